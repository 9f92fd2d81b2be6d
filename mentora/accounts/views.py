"""Account pages: the lock-out explanation, the org admin's unlock page, sign-in e-mail changes,
activation (the link's page and the org admin's sending page), the organisation's sign-in rules."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mentora.accounts import selectors, services
from mentora.accounts.activation import activation_user
from mentora.accounts.forms import ActivationForm, ActivationRoundForm, EmailChangeForm, SignInPolicyForm
from mentora.api.errors import error_body
from mentora.api.middleware import API_PREFIX
from mentora.core.decorators import person_required
from mentora.core.forms import apply_service_errors
from mentora.core.roles import request_viewer
from mentora.identity.selectors import provider_for_organisation
from mentora.people import sign_in
from mentora.people.permissions import can_edit_person
from mentora.people.selectors import person_get


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers (429) to a sign-in of a locked-out account, on /accounts/login/ and
    /admin/login/ alike: why, and what to do; under /api/ (a token made with a password) in the API's
    error shape."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path_info.startswith(API_PREFIX):
        message = ngettext(
            "Sign-in locked after too many wrong attempts: try again in %(minutes)d minute.",
            "Sign-in locked after too many wrong attempts: try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        return JsonResponse(error_body("sign_in_locked", message), status=429)
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


def activate(request, token: str):
    """The link from an activation e-mail: choose a first password (on POST only, so that a mail
    scanner opening the link changes nothing), then sign in."""
    try:
        user = activation_user(token=token)
    except ValidationError as exc:
        return render(request, "account/activation_invalid.html", {"error": exc.messages[0]}, status=400)
    # Where an invitation's link leads once the password is chosen: a path on this site only.
    then = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(then, allowed_hosts=None):
        then = ""
    form = ActivationForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_activate(token=token, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your password is set. Sign in with your work e-mail and it."))
            if then:
                return redirect(reverse("login") + "?" + urlencode({"next": then}))
            return redirect("login")
    uses_sso = provider_for_organisation(organisation_id=user.person.organisation_id) is not None
    context = {"form": form, "email": user.email, "uses_sso": uses_sso, "next": then}
    return render(request, "account/activation.html", context)


@person_required
def activation_rounds(request):
    """The org admin's page: (re)send activation e-mails to chosen people or to everyone who never
    signed in, and see the latest rounds with how many e-mails went out."""
    viewer = request_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may send activation e-mails."))
    search = request.GET.get("q", "").strip()[:200]
    candidates = selectors.activation_candidates(organisation_id=viewer.organisation_id, search=search)
    # An empty POST (nothing ticked) is still a submission: `request.POST or None` would ignore it.
    form = ActivationRoundForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.activation_round_start(
                actor=viewer,
                person_ids=form.cleaned_data["people"],
                never_signed_in=form.cleaned_data["never_signed_in"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The activation e-mails are being sent; the count appears below."))
            return redirect("accounts:activation")
    context = {
        "form": form,
        "search": search,
        "candidates": candidates,
        "never_signed_in": selectors.never_signed_in_count(organisation_id=viewer.organisation_id),
        "rounds": selectors.activation_rounds(organisation_id=viewer.organisation_id),
        "page_limit": selectors.ACTIVATION_PAGE_PEOPLE,
    }
    return render(request, "account/activation_rounds.html", context)


@person_required
def sign_in_policy(request):
    """The org admin's sign-in rules: require a second factor of org admins and program managers."""
    viewer = request_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may change the sign-in rules."))
    policy = selectors.sign_in_policy(organisation_id=viewer.organisation_id)
    data = request.POST if request.method == "POST" else None  # unticked: an empty but real submission
    form = SignInPolicyForm(data, initial={"mfa_required_for_staff": policy.mfa_required_for_staff})
    if request.method == "POST" and form.is_valid():
        services.sign_in_policy_set(
            actor=viewer, mfa_required_for_staff=form.cleaned_data["mfa_required_for_staff"]
        )
        messages.success(request, _("The sign-in rules are saved."))
        return redirect("accounts:sign_in_policy")
    return render(request, "account/sign_in_policy.html", {"form": form, "policy": policy})
