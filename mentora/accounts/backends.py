from django.contrib.auth.backends import ModelBackend


class ActivePersonBackend(ModelBackend):
    """Sign-in and every request's session refuse an account whose person is deactivated.

    `ModelBackend.get_user` asks `user_can_authenticate` on every request, so a leaver's open
    sessions stop working at once, even before `person_update` has ended them.
    """

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        person = getattr(user, "person", None)
        return person is None or person.is_active
