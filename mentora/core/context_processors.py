from django.contrib.auth.models import AnonymousUser

from mentora.core.roles import request_viewer, viewer_for


def viewer(request) -> dict:
    if not hasattr(request, "user"):
        # The error page of a request refused before the authentication middleware ran (a Host not
        # in ALLOWED_HOSTS answers 400 from CommonMiddleware) has nobody signed in to describe.
        return {"viewer": viewer_for(AnonymousUser())}
    return {"viewer": request_viewer(request)}
