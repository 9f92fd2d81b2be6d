"""Small helpers shared by the API's endpoints: who is calling, and service refusals mapped onto the
one error shape."""

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mentora.api.errors import ApiError, refusal_answer
from mentora.core.roles import Viewer, request_viewer

# The relationship-support apps' (agreements, check-ins, advocacy) refusals that conflict with the
# current state (409) rather than malformed input (422).
CONFLICT_CODES = frozenset(
    {"stale", "not_active", "read_only", "already_answered", "not_pending", "empty", "incomplete"}
)


def api_viewer(request) -> Viewer:
    viewer = request_viewer(request)
    if viewer.person is None:
        raise ApiError(403, "no_person", _("Your account is not linked to a person in any organisation."))
    return viewer


def call_service(service, /, *, conflicts: Collection[str] = CONFLICT_CODES, **kwargs):
    """Run a service; answer its refusals coded in `conflicts` with 409, others (through the API's
    handler) with 422, each with its rule's code and field (a stale version's refusal that names the
    current version gives it in `details`)."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        code, message, field, details = refusal_answer(error)
        if code in conflicts:
            params = getattr(error, "params", None) or {}
            if code == "stale" and "version" in params:
                details = [{"field": "version", "code": code, "message": str(params["version"])}]
            raise ApiError(409, code, message, details, field=field) from None
        raise
