from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend


def person_can_sign_in(user) -> bool:
    """False for an account whose person is deactivated (a leaver), whatever else says yes."""
    person = getattr(user, "person", None)
    return person is None or person.is_active


class ActivePersonBackend(ModelBackend):
    """Sign-in and every request's session refuse an account whose person is deactivated.

    `ModelBackend.get_user` asks `user_can_authenticate` on every request, so a leaver's open
    sessions stop working at once, even before `person_update` has ended them.
    """

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and person_can_sign_in(user)


class ActivePersonEmailBackend(AuthenticationBackend):
    """django-allauth's backend (sign-in by work e-mail, and the one its SSO and MFA sign-ins put in
    the session), refusing a deactivated person in the same way, at sign-in and on every request."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and person_can_sign_in(user)
