"""My mentoring (consent, decline). Endings are the agreements app's; pairing by hand, the pairing app's."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mentora.core.forms import flash_refusal
from mentora.core.htmx import render_page_or_fragment, vary_on_htmx, wants_fragment
from mentora.core.roles import request_viewer
from mentora.programs.models import Program
from mentora.programs.selectors import program_get_managed
from mentora.relationships import selectors, services


@login_required
def my_mentoring(request):
    viewer = request_viewer(request)
    relationships = selectors.my_relationships(person=viewer.person) if viewer.person else []
    return render_page_or_fragment(
        request,
        page="relationships/my_mentoring.html",
        fragment="relationships/_relationships.html",
        context={"relationships": relationships},
    )


def _after_action(request):
    if wants_fragment(request):
        return my_mentoring(request)
    return redirect("relationships:mine")


@login_required
@require_POST
def relationship_consent(request, pk: int):
    viewer = request_viewer(request)
    relationship = selectors.relationship_get_for_party(viewer=viewer, relationship_id=pk)
    try:
        relationship = services.relationship_consent(relationship=relationship, person=viewer.person)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        if relationship.status == "active":
            messages.success(request, _("You both agreed: the relationship has started."))
        else:
            messages.success(request, _("Thank you. We are waiting for the other person to agree."))
    return _after_action(request)


@login_required
@require_POST
def relationship_decline(request, pk: int):
    viewer = request_viewer(request)
    relationship = selectors.relationship_get_for_party(viewer=viewer, relationship_id=pk)
    try:
        services.relationship_decline(relationship=relationship, person=viewer.person)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("Declined. No one is at fault; you are both back in the pool."))
    return _after_action(request)


def relationship_end_moved(request, pk: int):
    """The no-fault exit moved into the pair's space with the other endings; old links still work."""
    return redirect("agreements:end", relationship_id=pk, permanent=True)


def relationship_pair_moved(request, program_id: int):
    """Pairing by hand moved to the matching pages, where the matching rules are checked; old links
    still work."""
    return redirect("pairing:pair", program_id=program_id, permanent=True)


@login_required
def program_close(request, program_id: int):
    """Closing a program, after a confirmation that says what happens to its pairs."""
    program = program_get_managed(viewer=request_viewer(request), program_id=program_id)
    if request.method == "POST":
        try:
            closed = services.program_close(program=program)
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The program is closed. %(count)d pairing waiting for consent was withdrawn.",
                    "The program is closed. %(count)d pairings waiting for consent were withdrawn.",
                    len(closed.withdrawn),
                )
                % {"count": len(closed.withdrawn)},
            )
        return redirect("programs:manage", pk=program.pk)
    return render(
        request,
        "relationships/program_close.html",
        {"program": program, "counts": selectors.live_pair_counts(program=program)},
    )


def _program_panel(
    request, program_id: int, template: str, context: Callable[[Program], dict]
) -> HttpResponse:
    """A panel of the program's page, fetched again after a change of its enrolments (the
    `enrolments-changed` event): for the program's managers only."""
    program = program_get_managed(viewer=request_viewer(request), program_id=program_id)
    return vary_on_htmx(render(request, template, {"program": program} | context(program)))


@login_required
def program_gaps(request, program_id: int):
    """Who is missing in a program."""
    return _program_panel(
        request,
        program_id,
        "relationships/_program_gaps.html",
        lambda program: {"gaps": selectors.program_gaps(program=program)},
    )


@login_required
def program_pool(request, program_id: int):
    """Who is free to be (re)matched in a program."""
    return _program_panel(
        request,
        program_id,
        "relationships/_program_pool.html",
        lambda program: {"pool": selectors.program_pool(program=program)},
    )
