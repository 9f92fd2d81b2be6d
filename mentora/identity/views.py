"""Single sign-on pages: "Sign in with your organisation" and the org admin's configuration."""

import logging

import requests
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from onelogin.saml2.errors import OneLogin_Saml2_Error

from mentora.core.decorators import person_required
from mentora.core.forms import apply_service_errors
from mentora.core.roles import Viewer, request_viewer
from mentora.identity import selectors, services
from mentora.identity.forms import ProviderForm, SsoStartForm
from mentora.identity.models import IdentityProvider, Protocol
from mentora.organisations.models import Organisation

logger = logging.getLogger(__name__)
# What starting a sign-in raises when the provider's discovery document cannot be read (OpenID
# Connect) or its configuration cannot be used (SAML): the person is told, never shown a 500.
PROVIDER_UNREACHABLE = (requests.RequestException, ValueError, KeyError, OAuth2Error, OneLogin_Saml2_Error)


def sso_start(request: HttpRequest) -> HttpResponse:
    """The person types their work e-mail and is sent to their organisation's identity provider."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    form = SsoStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provider = selectors.provider_for_email(email=form.cleaned_data["email"])
        if provider is None:
            form.add_error(
                "email",
                _(
                    "Single sign-on is not set up for this address's domain. Sign in with your password, "
                    "or ask your IT team."
                ),
            )
        else:
            try:
                allauth_provider = provider.app.get_provider(request)
                return allauth_provider.redirect(request, process="login", next_url=next_url or None)
            except PROVIDER_UNREACHABLE:
                logger.warning(
                    "The identity provider of %s cannot be reached", provider.organisation.slug, exc_info=True
                )
                form.add_error(
                    "email",
                    _(
                        "Your organisation's identity provider cannot be reached just now. Try again later, "
                        "or ask your IT team."
                    ),
                )
    return render(request, "identity/sso_start.html", {"form": form, "next": next_url})


def _org_admin(request: HttpRequest) -> Viewer:
    viewer = request_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may configure single sign-on."))
    return viewer


def _initial(provider: IdentityProvider | None) -> dict:
    if provider is None:
        return {"protocol": Protocol.OIDC}
    current = selectors.provider_settings(provider)
    return {**vars(current), "domains": ", ".join(current.domains)}


def service_provider_addresses(request: HttpRequest, organisation: Organisation) -> dict[str, str]:
    """What the IT team enters at their identity provider: Mentora's addresses for this organisation."""
    try:
        return {
            "oidc_redirect_uri": request.build_absolute_uri(
                reverse(
                    "openid_connect_callback",
                    kwargs={"provider_id": services.provider_id_for(organisation, Protocol.OIDC)},
                )
            ),
            "saml_acs_url": request.build_absolute_uri(reverse("saml_acs", args=[organisation.slug])),
            "saml_metadata_url": request.build_absolute_uri(
                reverse("saml_metadata", args=[organisation.slug])
            ),
            "sign_in_url": request.build_absolute_uri(reverse("identity:start")),
        }
    except NoReverseMatch:
        return {}


@person_required
def sso_settings(request: HttpRequest) -> HttpResponse:
    viewer = _org_admin(request)
    organisation = viewer.person.organisation
    provider = selectors.provider_for_organisation(organisation_id=organisation.pk)
    form = ProviderForm(request.POST or None, initial=_initial(provider), organisation_id=organisation.pk)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "break_glass_admins"}
        data["break_glass_admin_ids"] = [person.pk for person in form.cleaned_data["break_glass_admins"]]
        try:
            services.identity_provider_save(actor=viewer, data=services.ProviderInput(**data))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Single sign-on settings saved."))
            return redirect("identity:settings")
    context = {
        "form": form,
        "provider": provider,
        "has_secret": bool(provider and provider.protocol == Protocol.OIDC and provider.app.secret),
        "addresses": service_provider_addresses(request, organisation),
    }
    return render(request, "identity/settings.html", context)


@require_POST
@person_required
def sso_remove(request: HttpRequest) -> HttpResponse:
    viewer = _org_admin(request)
    services.identity_provider_delete(actor=viewer)
    messages.success(request, _("Single sign-on is switched off: your people sign in with passwords."))
    return redirect("identity:settings")
