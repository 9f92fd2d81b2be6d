"""How django-allauth's single sign-on behaves in Mentora (docs/security.md "Single sign-on").

An identity coming back from an organisation's provider signs in the person of THAT organisation
only: either the person it was linked to before, or the active person of the organisation whose
e-mail it carries, if that e-mail is verified. Nobody is created; anything else is refused with a
page that says why, and counts as a failed sign-in (mentora.identity.lock).
"""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from mentora.identity.linking import SsoRefusal, person_for_identity
from mentora.identity.lock import sso_failure_record, sso_is_locked
from mentora.identity.selectors import provider_for_app


def refusal_response(request: HttpRequest, message: str, *, status: int = 403):
    return render(request, "identity/refused.html", {"message": message}, status=status)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        provider = provider_for_app(provider_id=sociallogin.account.provider)
        email = (sociallogin.user.email or "") if sociallogin.user else ""
        if sso_is_locked(request, email=email):
            raise ImmediateHttpResponse(
                refusal_response(
                    request,
                    _("Too many failed single sign-on attempts: try again later, or ask your org admin."),
                    status=429,
                )
            )
        try:
            person = person_for_identity(provider=provider, sociallogin=sociallogin)
        except SsoRefusal as refusal:
            sso_failure_record(request, email=email)
            raise ImmediateHttpResponse(refusal_response(request, refusal.message)) from None
        if not sociallogin.is_existing:
            sociallogin.connect(request, person.user)

    def on_authentication_error(
        self, request: HttpRequest, provider, error=None, exception=None, extra_context=None
    ) -> None:
        locked = sso_is_locked(request)
        sso_failure_record(request)
        message = (
            _("Too many failed single sign-on attempts: try again later, or ask your org admin.")
            if locked
            else _(
                "Your organisation's identity provider did not sign you in: its answer was refused. "
                "Try again, or ask your IT team."
            )
        )
        raise ImmediateHttpResponse(refusal_response(request, message, status=429 if locked else 403))
