"""What every pair-space endpoint shares: the viewer's side of a relationship, and one way of
answering a service's refusals."""

from functools import partial

from mentora.api.calls import api_viewer, call_service
from mentora.workspace.access import Pair, pair_for_viewer

# Refusals about the current state (someone else's edit, a closed relationship) rather than bad input.
CONFLICT_CODES = {"stale", "read_only", "not_scheduled", "not_yet"}


def api_pair(request, relationship_id: int) -> Pair:
    """The caller's side of the relationship; 404 unless they are its mentor or mentee."""
    return pair_for_viewer(viewer=api_viewer(request), relationship_id=relationship_id)


# Run a service; answer state conflicts with 409 and their own code, bad input with 422.
api_call = partial(call_service, conflicts=CONFLICT_CODES)
