"""The org admin's SCIM page: the base URL for the identity provider, and its tokens (made,
rotated and revoked here; a new value is shown once)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mentora.core.decorators import person_required
from mentora.core.forms import apply_service_errors
from mentora.core.roles import Viewer, request_viewer
from mentora.scim import selectors, services
from mentora.scim.models import ScimToken
from mentora.scim.resources import base_url


class ScimTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=ScimToken._meta.get_field("name").max_length,
        help_text=gettext_lazy("Which identity provider will use it, e.g. “Okta production”."),
    )


def _org_admin(request: HttpRequest) -> Viewer:
    viewer = request_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may manage provisioning."))
    return viewer


def _page(request: HttpRequest, viewer: Viewer, form: ScimTokenForm, raw: str | None) -> HttpResponse:
    context = {
        "form": form,
        "raw": raw,
        "tokens": selectors.scim_token_list(organisation_id=viewer.organisation_id),
        "base_url": base_url(),
    }
    return render(request, "scim/tokens.html", context)


@person_required
def tokens(request: HttpRequest) -> HttpResponse:
    viewer = _org_admin(request)
    form = ScimTokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.scim_token_create(actor=viewer, name=form.cleaned_data["name"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            form = ScimTokenForm()
    return _page(request, viewer, form, raw)


@require_POST
@person_required
def token_rotate(request: HttpRequest, token_id: int) -> HttpResponse:
    viewer = _org_admin(request)
    try:
        _token, raw = services.scim_token_rotate(actor=viewer, token_id=token_id)
    except ScimToken.DoesNotExist:
        raise Http404 from None
    return _page(request, viewer, ScimTokenForm(), raw)


@require_POST
@person_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    viewer = _org_admin(request)
    try:
        services.scim_token_revoke(actor=viewer, token_id=token_id)
    except ScimToken.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Token revoked: your identity provider can no longer use it."))
    return redirect(reverse("scim:tokens"))
