"""How django-allauth behaves in Mentora: nobody signs themselves up (people come from the HR
import, invitations and provisioning), and a deactivated person is turned away on every path."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest, HttpResponse

from mentora.accounts.backends import person_can_sign_in


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

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
