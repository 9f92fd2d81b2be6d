"""`/api/scheduler/jobs`: the periodic jobs, their schedule and their last run (see docs/architecture.md)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from mentora.core.roles import request_viewer
from mentora.scheduler.permissions import can_see_job_details, can_see_jobs
from mentora.scheduler.selectors import job_overview

router = Router(tags=["scheduler"])


class JobRunOut(Schema):
    slot: datetime.datetime
    status: str = Field(description="queued, running, succeeded or failed")
    enqueued_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    result: dict | None = Field(description="The job's figures; the site's staff only (null otherwise)")
    error: str | None = Field(description="Why it failed; the site's staff only (null otherwise)")


class ScheduledJobOut(Schema):
    name: str
    description: str
    every_seconds: int | None = Field(description="Interval between runs; null for a daily job")
    daily_at: datetime.time | None = Field(description="Daily time (UTC); null for an interval job")
    next_slot: datetime.datetime
    last_success_at: datetime.datetime | None
    last_run: JobRunOut | None


@router.get("/jobs", response=list[ScheduledJobOut], summary="Scheduled jobs and their last run")
def scheduled_jobs(request):
    """Org admins and the site's staff. The figures and error of a run are shown to staff only."""
    viewer = request_viewer(request)
    if not can_see_jobs(viewer):
        raise PermissionDenied(_("Only organisation admins and the site's staff can see scheduled jobs."))
    details = can_see_job_details(viewer)
    return [
        {
            "name": row.job.name,
            "description": str(row.job.description),
            "every_seconds": int(row.job.every.total_seconds()) if row.job.every else None,
            "daily_at": row.job.daily_at,
            "next_slot": row.next_slot,
            "last_success_at": row.last_success_at,
            "last_run": row.last_run
            and {
                "slot": row.last_run.slot,
                "status": row.last_run.status,
                "enqueued_at": row.last_run.enqueued_at,
                "started_at": row.last_run.started_at,
                "finished_at": row.last_run.finished_at,
                "result": row.last_run.result if details else None,
                "error": row.last_run.error if details else None,
            },
        }
        for row in job_overview()
    ]
