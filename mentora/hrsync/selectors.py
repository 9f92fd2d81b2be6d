"""The HR file sync's reads: the organisation's source and its recent runs with their reports."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from mentora.core.roles import Viewer
from mentora.hrsync.models import HrSyncRun, HrSyncSource

RUNS_SHOWN = 30


def _require_org_admin(viewer: Viewer) -> None:
    if viewer.person is None or not viewer.is_org_admin:
        raise PermissionDenied(_("Only organisation admins can see the HR file sync."))


def hr_sync_source_get(*, viewer: Viewer) -> HrSyncSource | None:
    _require_org_admin(viewer)
    return HrSyncSource.objects.filter(organisation_id=viewer.organisation_id).first()


def hr_sync_runs(*, viewer: Viewer, limit: int = RUNS_SHOWN) -> list[HrSyncRun]:
    """The latest runs, each with its import job (report) and who asked: one query."""
    _require_org_admin(viewer)
    return list(
        HrSyncRun.objects.filter(organisation_id=viewer.organisation_id)
        .select_related("people_import", "requested_by")
        .defer("people_import__content")[:limit]
    )
