from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from mentora.core.roles import Viewer


def require_org_admin(viewer: Viewer) -> Viewer:
    """Retention periods and erasure are for the organisation's org admins only."""
    if viewer.person is None or not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may manage privacy operations."))
    return viewer
