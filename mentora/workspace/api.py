"""What every pair-space endpoint shares: the viewer's side of a relationship, and one way of
answering a service's refusals."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mentora.api.errors import ApiError
from mentora.core.roles import request_viewer
from mentora.workspace.access import Pair, pair_for_viewer

# Refusals about the current state (someone else's edit, a closed relationship) rather than bad input.
CONFLICT_CODES = {"stale", "read_only", "not_scheduled", "not_yet"}


def api_pair(request, relationship_id: int) -> Pair:
    """The caller's side of the relationship; 404 unless they are its mentor or mentee."""
    viewer = request_viewer(request)
    if viewer.person is None:
        raise ApiError(403, "no_person", _("Your account is not linked to a person in any organisation."))
    return pair_for_viewer(viewer=viewer, relationship_id=relationship_id)


def api_call(service, **kwargs):
    """Run a service; answer state conflicts with 409 and their own code, bad input with 422."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        code = getattr(error, "code", None)
        if code in CONFLICT_CODES:
            raise ApiError(409, code, " ".join(error.messages)) from None
        raise
