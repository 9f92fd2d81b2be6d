"""The program dashboard (its managers and org admins) and the organisation roll-up (org admins and
leaders). Views read one selector and render; every chart is drawn from the table printed beside it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentora.checkins.services import checkin_periods_publish
from mentora.core.decorators import person_required
from mentora.core.forms import flash_refusal
from mentora.core.privacy import MIN_AGGREGATE_GROUP
from mentora.core.roles import request_viewer
from mentora.evidence import rollup, selectors, services
from mentora.evidence.figures import program_figures, rollup_figures
from mentora.evidence.forms import PairActionForm
from mentora.evidence.permissions import can_read_rollup
from mentora.programs.selectors import program_get_managed, program_list_managed


@person_required
def program_dashboard(request, program_id: int):
    program = program_get_managed(viewer=request_viewer(request), program_id=program_id)
    checkin_periods_publish(program=program)  # as the check-ins page: the first read after a month closes
    services.fairness_snapshot_refresh(program=program)
    dashboard = selectors.program_dashboard(program=program)
    return render(
        request,
        "evidence/program_dashboard.html",
        {
            "program": program,
            "dashboard": dashboard,
            "figures": program_figures(dashboard),
            "healthy_match_rate": round(100 * selectors.HEALTHY_MATCH_RATE),
            "min_group_size": MIN_AGGREGATE_GROUP,
            "action_form": PairActionForm(),
        },
    )


@person_required
@require_POST
def pair_action(request, program_id: int, relationship_id: int):
    viewer = request_viewer(request)
    program = program_get_managed(viewer=viewer, program_id=program_id)
    form = PairActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an action; a message is at most 1000 characters."))
        return redirect("evidence:program", program_id=program.pk)
    try:
        services.pair_action_take(
            program=program,
            relationship_id=relationship_id,
            actor=viewer.person,
            action=form.cleaned_data["action"],
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(
            request,
            {
                services.PairAction.NUDGE: _("Both are asked by e-mail how it is going."),
                services.PairAction.MESSAGE: _("Your message is on its way to both."),
                services.PairAction.REMATCH: _(
                    "Both are told by e-mail that they may ask for another partner."
                ),
            }[form.cleaned_data["action"]],
        )
    return redirect("evidence:program", program_id=program.pk)


@person_required
def organisation_rollup(request):
    """The evidence home: the programs whose dashboards the viewer may open and, for org admins and
    leaders, the organisation roll-up."""
    viewer = request_viewer(request)
    allowed = can_read_rollup(viewer)
    if not (allowed or viewer.manages_people):
        raise Http404
    figures = None
    if allowed:
        services.leaders_reach_refresh(organisation_id=viewer.organisation_id)
        figures = rollup.organisation_rollup(organisation_id=viewer.organisation_id)
    return render(
        request,
        "evidence/rollup.html",
        {
            "rollup": figures,
            "figures": rollup_figures(figures) if figures else {},
            "programs": program_list_managed(viewer=viewer),
            "min_group_size": MIN_AGGREGATE_GROUP,
        },
    )
