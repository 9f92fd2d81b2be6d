"""Small helpers shared by the endpoints of the relationship-support apps (agreements, check-ins,
advocacy, notifications): who is calling, and service refusals mapped onto the one error shape."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mentora.api.errors import ApiError
from mentora.core.roles import Viewer, request_viewer

# Refusals that conflict with the current state (409) rather than malformed input (422).
CONFLICT_CODES = frozenset(
    {"stale", "not_active", "read_only", "already_answered", "not_pending", "empty", "incomplete"}
)


def api_viewer(request) -> Viewer:
    viewer = request_viewer(request)
    if viewer.person is None:
        raise ApiError(403, "no_person", _("Your account is not linked to a person in any organisation."))
    return viewer


def call_service(service, **kwargs):
    """Run a service; answer its state conflicts with 409 and their own code (and, for a stale
    version, the current version in `details`)."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        code = getattr(error, "code", None)
        if code in CONFLICT_CODES:
            details = (
                [{"field": "version", "message": str(error.params["version"])}] if code == "stale" else []
            )
            raise ApiError(409, code, " ".join(error.messages), details) from None
        raise
