"""The advocacy log inside the pair's space: the mentor records, the mentee confirms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentora.advocacy import selectors, services
from mentora.advocacy.forms import AdvocacyForm
from mentora.core.forms import apply_service_errors, flash_refusal
from mentora.core.htmx import wants_fragment
from mentora.workspace.access import request_pair


def _log_context(request, pair, form=None) -> dict:
    actions = selectors.advocacy_actions_for(relationship=pair.relationship)
    return {
        "pair": pair,
        "relationship": pair.relationship,
        "actions": Paginator(actions, selectors.ACTIONS_PER_PAGE).get_page(request.GET.get("page")),
        "form": form if form is not None else (AdvocacyForm() if pair.side == "mentor" else None),
    }


@login_required
def advocacy_log(request, relationship_id: int):
    pair = request_pair(request, relationship_id)
    if request.method != "POST":
        return render(request, "advocacy/log.html", _log_context(request, pair))
    if pair.side != "mentor":
        raise PermissionDenied(_("Only the mentor records sponsorship actions; the mentee confirms them."))
    form = AdvocacyForm(request.POST)
    if form.is_valid():
        try:
            services.advocacy_action_create(
                relationship=pair.relationship, person=pair.person, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Recorded. Your mentee is asked to confirm it."))
            return redirect("advocacy:log", relationship_id)
    return render(request, "advocacy/log.html", _log_context(request, pair, form=form), status=400)


@login_required
def advocacy_edit(request, relationship_id: int, action_id: int):
    pair = request_pair(request, relationship_id)
    action = selectors.advocacy_action_get(relationship=pair.relationship, action_id=action_id)
    if pair.side != "mentor":
        raise PermissionDenied(_("Only the mentor records sponsorship actions; the mentee confirms them."))
    form = AdvocacyForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.advocacy_action_update(action=action, person=pair.person, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("advocacy:log", relationship_id)
    return render(
        request,
        "advocacy/edit.html",
        {"pair": pair, "relationship": pair.relationship, "form": form, "action": action},
    )


@login_required
@require_POST
def advocacy_delete(request, relationship_id: int, action_id: int):
    pair = request_pair(request, relationship_id)
    action = selectors.advocacy_action_get(relationship=pair.relationship, action_id=action_id)
    try:
        services.advocacy_action_delete(action=action, person=pair.person)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("Deleted."))
    return redirect("advocacy:log", relationship_id)


@login_required
@require_POST
def advocacy_confirm(request, relationship_id: int, action_id: int):
    pair = request_pair(request, relationship_id)
    action = selectors.advocacy_action_get(relationship=pair.relationship, action_id=action_id)
    try:
        action = services.advocacy_action_confirm(action=action, person=pair.person)
    except ValidationError as error:
        flash_refusal(request, error)
    if wants_fragment(request):
        return render(request, "advocacy/_action.html", {"pair": pair, "action": action})
    return redirect("advocacy:log", relationship_id)
