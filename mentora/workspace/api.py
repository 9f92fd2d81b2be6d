"""What every pair-space endpoint shares: the viewer's side of a relationship."""

from mentora.api.calls import api_viewer
from mentora.workspace.access import Pair, pair_for_viewer


def api_pair(request, relationship_id: int) -> Pair:
    """The caller's side of the relationship; 404 unless they are its mentor or mentee."""
    return pair_for_viewer(viewer=api_viewer(request), relationship_id=relationship_id)
