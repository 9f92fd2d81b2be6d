"""How django-allauth behaves in Mentora: nobody signs themselves up (people come from the HR
import, invitations and provisioning), and a deactivated person is turned away on every path."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from mentora.accounts.backends import person_can_sign_in
from mentora.identity.selectors import password_sign_in_refusal


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        # Single sign-on enforced for this address's organisation: say where to go instead of
        # "wrong password" (mentora.identity.backends refuses the password on every other path too).
        provider = password_sign_in_refusal(
            login=credentials.get("email") or credentials.get("username") or ""
        )
        if provider is not None:
            raise forms.ValidationError(
                _(
                    "%(organisation)s signs in with single sign-on: use “Sign in with your organisation” "
                    "below. Passwords are not accepted."
                )
                % {"organisation": provider.organisation.name},
                code="sso_enforced",
            )
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request: HttpRequest, **credentials):
        # allauth hands back an account whose password matched but which may not sign in, to show
        # its "inactive" page; that would tell a guesser the password was right. Same answer as a
        # wrong password instead (django-axes has counted it as a failure already).
        user = super().authenticate(request, **credentials)
        if user is not None and not (user.is_active and person_can_sign_in(user)):
            return None
        return user

    def pre_login(self, request: HttpRequest, user, **kwargs) -> HttpResponse | None:
        # SSO sign-ins do not pass through a backend's password check: refuse a leaver here too.
        if not person_can_sign_in(user):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)
