from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def person_can_sign_in(user) -> bool:
    """False for an account whose person is deactivated (a leaver), whatever else says yes."""
    person = getattr(user, "person", None)
    return person is None or person.is_active


class UserWithPersonMixin:
    """Every signed-in request reads the account's person (this check, the viewer, the time zone):
    load both in one query instead of two."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("person").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ActivePersonBackend(UserWithPersonMixin, ModelBackend):
    """Sign-in and every request's session refuse an account whose person is deactivated.

    `ModelBackend.get_user` asks `user_can_authenticate` on every request, so a leaver's open
    sessions stop working at once, even before `person_update` has ended them.
    """

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and person_can_sign_in(user)


class ActivePersonEmailBackend(UserWithPersonMixin, AuthenticationBackend):
    """django-allauth's backend (sign-in by work e-mail, and the one its SSO and MFA sign-ins put in
    the session), refusing a deactivated person in the same way, at sign-in and on every request."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and person_can_sign_in(user)
