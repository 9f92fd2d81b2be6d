"""An org admin or program manager whose organisation requires a second factor is sent to set up an
authenticator app before anything else (pages; a session's API calls answer 403 until then).

Whether that is needed is decided once at sign-in (mentora.accounts.receivers) and kept in the
session, so pages pay no query for it; a rule turned on later applies from the next sign-in."""

from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from mentora.api.errors import error_body

MFA_SETUP_SESSION_KEY = "mentora_mfa_setup_required"

# What such a person may still open: setting up the factor (and re-entering the password it asks
# for), signing out, static files.
ALLOWED_PREFIXES = ("/accounts/2fa/", "/accounts/reauthenticate/", "/accounts/logout/", "/static/")


class MfaEnforcementMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(MFA_SETUP_SESSION_KEY)
            and request.user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not self._set_up_now(request)
        ):
            if request.path.startswith("/api/"):
                message = _("Your organisation requires a second factor: set up an authenticator app first.")
                return JsonResponse(error_body("mfa_setup_required", message), status=403)
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _set_up_now(request: HttpRequest) -> bool:
        """True (and the mark removed) once the person has an authenticator app: one query, only
        for the sessions still marked."""
        if Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
            request.session.pop(MFA_SETUP_SESSION_KEY, None)
            return True
        return False
