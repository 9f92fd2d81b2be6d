"""`/api/hr-sync`: the organisation's HR file sync source, "run now", and its runs (docs/import.md)."""

import datetime

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import StrictBool

from mentora.api.calls import api_viewer
from mentora.api.errors import ErrorOut
from mentora.hrsync import selectors, services
from mentora.hrsync.models import HrSyncRun, HrSyncSource

router = Router(tags=["hr-sync"])


class HrSyncSourceIn(Schema):
    enabled: StrictBool
    kind: str = Field(description="folder or url")
    folder: str = ""
    url: str = ""
    bearer_token: str | None = Field(
        None, description="Omitted or null keeps the saved token; empty removes it"
    )
    every_hours: int = 24


class HrSyncSourceOut(Schema):
    enabled: bool
    kind: str
    folder: str
    url: str
    has_bearer_token: bool = Field(description="The token itself is never sent back")
    every_hours: int
    next_run_at: datetime.datetime | None


class HrSyncRunOut(Schema):
    id: int
    trigger: str = Field(description="schedule or manual")
    status: str = Field(description="queued, running, done, rejected (problems by row) or failed (reason)")
    source: str
    reason: str = Field(description="Why the source could not be read; empty otherwise")
    import_id: int | None = Field(
        description="The people import job: GET /api/people/import/{id} for its report"
    )
    created: int | None
    updated: int | None
    unchanged: int | None
    problems: int
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


def _source_out(source: HrSyncSource) -> dict:
    return {
        "enabled": source.enabled,
        "kind": source.kind,
        "folder": source.folder,
        "url": source.url,
        "has_bearer_token": bool(source.bearer_token),
        "every_hours": source.every_hours,
        "next_run_at": source.next_run_at,
    }


def _run_out(run: HrSyncRun) -> dict:
    report = (run.people_import.report if run.people_import else None) or {}
    done = run.status == "done"
    return {
        "id": run.pk,
        "trigger": run.trigger,
        "status": run.status,
        "source": run.source,
        "reason": run.reason,
        "import_id": run.people_import_id,
        "created": report.get("created") if done else None,
        "updated": report.get("updated") if done else None,
        "unchanged": report.get("unchanged") if done else None,
        "problems": len(report.get("errors", [])),
        "created_at": run.created_at,
        "finished_at": run.finished_at,
    }


@router.get("", response={200: HrSyncSourceOut, 404: ErrorOut}, summary="The HR file sync source")
def hr_sync_source(request):
    """Org admins only. 404 `not_found` until a source is saved."""
    source = selectors.hr_sync_source_get(viewer=api_viewer(request))
    if source is None:
        raise Http404
    return _source_out(source)


@router.put("", response={200: HrSyncSourceOut, 422: ErrorOut}, summary="Save the HR file sync source")
def hr_sync_source_save(request, body: HrSyncSourceIn):
    """Org admins only. A folder must be one the server allows (HR_SYNC_FOLDERS); an address must be
    https://. Turning the schedule on schedules a run at once."""
    source = services.hr_sync_configure(viewer=api_viewer(request), **body.dict())
    return _source_out(source)


@router.post("/runs", response={202: HrSyncRunOut}, summary="Run the HR file sync now")
def hr_sync_run_now(request):
    """Org admins only. 409 `running` while a run is queued or running, `no_source` before a source
    is saved."""
    run = services.hr_sync_request(viewer=api_viewer(request))
    return Status(202, _run_out(run))


@router.get("/runs", response=list[HrSyncRunOut], summary="The HR file sync's latest runs")
def hr_sync_runs(request):
    """Org admins only: the latest 30 runs, newest first."""
    return [_run_out(run) for run in selectors.hr_sync_runs(viewer=api_viewer(request))]
