"""Invitation pages: invite a round (by address or filter), follow it, and follow up the
invitations still open (resend, revoke). Program managers and org admins only; 404 for others."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mentora.core.forms import apply_service_errors, flash_refusal
from mentora.core.htmx import render_page_or_fragment
from mentora.core.roles import request_viewer
from mentora.programs import invitations, selectors
from mentora.programs.forms import InviteForm
from mentora.programs.invitations import REPORT_REASONS


def _managed(request, pk: int):
    return selectors.program_get_managed(viewer=request_viewer(request), program_id=pk)


@login_required
def program_invite(request, pk: int):
    program = _managed(request, pk)
    form = InviteForm(request.POST or None, organisation_id=program.organisation_id)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                batch = invitations.invitation_batch_start(
                    program=program,
                    actor=request_viewer(request).person,
                    emails=data["emails"],
                    department_ids=[department.pk for department in data["departments"]],
                    locations=data["locations"],
                    min_seniority=data["min_seniority"],
                    max_seniority=data["max_seniority"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("programs:invitation_batch", pk=program.pk, batch_id=batch.pk)
    return render(request, "programs/invite.html", {"program": program, "form": form}, status=status)


REASON_LABELS = {
    "duplicates": gettext_lazy("Given more than once (invited once)"),
    "unknown": gettext_lazy("Nobody in your organisation has this address"),
    "ineligible": gettext_lazy("Not eligible for this program"),
    "already_enrolled": gettext_lazy("Already applied or enrolled"),
    "already_invited": gettext_lazy("Already invited, invitation still open"),
}


@login_required
def invitation_batch(request, pk: int, batch_id: int):
    """A round's progress (polled by htmx while it runs), then its report."""
    program = _managed(request, pk)
    batch = selectors.invitation_batch_get(program=program, batch_id=batch_id)
    report = batch.report or {}
    reasons = [
        {"label": REASON_LABELS[reason], **report[reason]}
        for reason in REPORT_REASONS
        if report.get(reason, {}).get("count")
    ]
    context = {"program": program, "batch": batch, "report": report, "reasons": reasons}
    return render_page_or_fragment(
        request,
        page="programs/invitation_batch.html",
        fragment="programs/_invitation_batch.html",
        context=context,
    )


@login_required
def invitation_list(request, pk: int):
    program = _managed(request, pk)
    page = Paginator(
        selectors.invitation_list_outstanding(program=program), selectors.INVITATIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(request, "programs/invitation_list.html", {"program": program, "page": page})


def _follow_up(request, pk: int, invitation_id: int, action, done: str):
    program = _managed(request, pk)
    invitation = selectors.invitation_get_outstanding(program=program, invitation_id=invitation_id)
    try:
        action(invitation=invitation)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, done % {"name": invitation.person.full_name})
    return redirect("programs:invitations", pk=program.pk)


@login_required
@require_POST
def invitation_resend(request, pk: int, invitation_id: int):
    return _follow_up(
        request, pk, invitation_id, invitations.invitation_resend, _("Invitation sent again to %(name)s.")
    )


@login_required
@require_POST
def invitation_revoke(request, pk: int, invitation_id: int):
    return _follow_up(
        request, pk, invitation_id, invitations.invitation_revoke, _("Invitation to %(name)s withdrawn.")
    )
