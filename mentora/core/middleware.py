from django.contrib.auth import SESSION_KEY, logout
from django.utils import timezone

from mentora.core.zones import UTC


class ActivePersonMiddleware:
    """End a session whose account or person was deactivated since it signed in.

    The authentication backend already refuses such a session (the request is anonymous); this
    deletes it for good, so that reactivating the person does not revive it, and also covers
    sessions opened through any other backend (single sign-on later).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SESSION_KEY in request.session and not _may_stay_signed_in(request.user):
            logout(request)
        return self.get_response(request)


def _may_stay_signed_in(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    person = getattr(user, "person", None)
    return person is None or person.is_active


class ViewerTimezoneMiddleware:
    """Show every time in the viewer's own time zone (their profile's), UTC otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = UTC
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            person = getattr(user, "person", None)
            if person is not None:
                zone = person.zone
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
