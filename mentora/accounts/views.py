"""Account pages: the lock-out explanation, the org admin's unlock page, sign-in e-mail changes."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentora.accounts import selectors, services
from mentora.accounts.forms import EmailChangeForm
from mentora.core.decorators import person_required
from mentora.core.forms import apply_service_errors
from mentora.core.roles import request_viewer
from mentora.people import sign_in
from mentora.people.permissions import can_edit_person
from mentora.people.selectors import person_get


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers (429) to a sign-in of a locked-out account, on /accounts/login/ and
    /admin/login/ alike: why, and what to do."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


def _org_admin(request):
    viewer = request_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may see and unlock locked accounts."))
    return viewer


@person_required
def lockout_list(request):
    viewer = _org_admin(request)
    rows = selectors.locked_accounts(organisation_id=viewer.organisation_id)
    return render(request, "registration/lockouts.html", {"rows": rows})


@require_POST
@person_required
def lockout_release(request, person_id: int):
    viewer = _org_admin(request)
    person = person_get(viewer=viewer, person_id=person_id)
    services.lockout_release(actor=viewer, person=person)
    messages.success(request, _("%(name)s can sign in again.") % {"name": person.full_name})
    return redirect("accounts:lockouts")


@person_required
def email_change(request, person_id: int):
    """Ask for a change of someone's sign-in e-mail: theirs, or of a person the manager may edit."""
    viewer = request_viewer(request)
    person = person_get(viewer=viewer, person_id=person_id)
    is_self = person.pk == viewer.person.pk
    if not is_self and not can_edit_person(viewer, person):
        raise PermissionDenied(_("You may not change this person's sign-in e-mail."))
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new_email = sign_in.email_change_request(
                actor=viewer, person=person, new_email=form.cleaned_data["new_email"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("A confirmation link was sent to %(new)s; the e-mail changes when it is opened.")
                % {"new": new_email},
            )
            return redirect("people:detail", pk=person.pk)
    return render(request, "registration/email_change_form.html", {"form": form, "person": person})


def email_confirm(request, token: str):
    """The link from the confirmation e-mail: shows what will change, and changes it on POST (so
    that a mail scanner opening the link changes nothing)."""
    try:
        if request.method == "POST":
            person = sign_in.email_change_confirm(token=token)
            return render(request, "registration/email_change_done.html", {"person": person})
        person, new_email = sign_in.email_change_preview(token=token)
    except ValidationError as exc:
        return render(
            request, "registration/email_change_confirm.html", {"error": exc.messages[0]}, status=400
        )
    context = {"person": person, "new_email": new_email}
    return render(request, "registration/email_change_confirm.html", context)
