import zoneinfo

from django.utils import timezone


class ViewerTimezoneMiddleware:
    """Show every time in the viewer's own time zone (their profile's), UTC otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = zoneinfo.ZoneInfo("UTC")
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
