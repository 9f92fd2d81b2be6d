"""The scheduler's reads: every registered job with its latest run."""

import datetime
from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils import timezone

from mentora.core.schedule import Job, registered_jobs
from mentora.scheduler.models import JobRun, RunStatus


@dataclass(frozen=True)
class JobOverview:
    job: Job
    last_run: JobRun | None
    last_success_at: datetime.datetime | None
    next_slot: datetime.datetime


def job_overview(*, now: datetime.datetime | None = None) -> list[JobOverview]:
    """Each registered job, its latest run and its latest success: two queries, whatever the count."""
    now = now or timezone.now()
    jobs = registered_jobs()
    names = [job.name for job in jobs]
    latest = (
        JobRun.objects.filter(job__in=names)
        .values("job")
        .annotate(
            last_slot=Max("slot"),
            last_success=Max("finished_at", filter=Q(status=RunStatus.SUCCEEDED)),
        )
    )
    by_job = {row["job"]: row for row in latest}
    last_runs = {}
    wanted = Q()
    for row in by_job.values():
        wanted |= Q(job=row["job"], slot=row["last_slot"])
    if by_job:
        last_runs = {run.job: run for run in JobRun.objects.filter(wanted)}
    return [
        JobOverview(
            job=job,
            last_run=last_runs.get(job.name),
            last_success_at=by_job.get(job.name, {}).get("last_success"),
            next_slot=job.next_slot(now),
        )
        for job in jobs
    ]
