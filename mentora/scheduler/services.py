"""The scheduler's writes: claim each due job's slot once (`scheduler_tick`, or `job_slot_claim` for a
cron command that must not sweep a slot the scheduler has swept) and run a claimed slot on a worker
(`job_run_execute`)."""

import dataclasses
import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentora.core.schedule import Job, registered_job, registered_jobs
from mentora.scheduler.models import JobRun, RunStatus

logger = logging.getLogger(__name__)
ERROR_CHARS = 2000


def _claim(*, job: Job, slot: datetime.datetime, now: datetime.datetime) -> JobRun | None:
    """Insert the job's row for this slot; another scheduler that got there first wins."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.name, slot=slot, enqueued_at=now)
    except IntegrityError:
        return None


def scheduler_tick(*, now: datetime.datetime | None = None) -> list[JobRun]:
    """Enqueue every registered job whose current slot has no run yet; returns the runs it claimed.
    Safe with several schedulers: the unique (job, slot) pair lets exactly one of them claim a slot."""
    from mentora.scheduler.tasks import run_scheduled_job

    now = now or timezone.now()
    jobs = registered_jobs()
    slots = {job.name: job.slot(now) for job in jobs}
    taken = set(JobRun.objects.filter(job__in=slots, slot__in=set(slots.values())).values_list("job", "slot"))
    claimed = []
    for job in jobs:
        if (job.name, slots[job.name]) in taken:
            continue
        run = _claim(job=job, slot=slots[job.name], now=now)
        if run is None:
            continue
        claimed.append(run)
        run_id = run.pk
        transaction.on_commit(lambda run_id=run_id: run_scheduled_job.enqueue(run_id=run_id))
    _prune(now=now)
    return claimed


def job_slot_claim(*, name: str, now: datetime.datetime | None = None) -> JobRun | None:
    """Claim a registered job's current slot from outside the scheduler (a cron command) through the
    same unique (job, slot) row: None when the scheduler or another cron has claimed it already."""
    now = now or timezone.now()
    job = registered_job(name)
    if job is None:
        raise LookupError(f"No job is registered as {name!r}.")
    return _claim(job=job, slot=job.slot(now), now=now)


def _prune(*, now: datetime.datetime) -> None:
    """Runs are kept SCHEDULER_KEEP_DAYS days: an every-minute job would otherwise grow forever."""
    JobRun.objects.filter(slot__lt=now - datetime.timedelta(days=settings.SCHEDULER_KEEP_DAYS)).delete()


def _as_result(value: object) -> dict:
    if value is None:
        return {}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return {str(key): item for key, item in value.items()}
    return {"result": str(value)}


def job_run_execute(*, run_id: int, func: Callable[[], object] | None = None) -> JobRun | None:
    """Run a queued slot's job and keep its outcome. A run already started (a task delivered twice)
    or whose job is no longer registered is left as it is, or marked failed. `func` runs instead of
    the registered function (a cron command's variant of the same job, e.g. sending in-process)."""
    now = timezone.now()
    if not JobRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now
    ):
        return None
    run = JobRun.objects.get(pk=run_id)
    job = registered_job(run.job)
    result: dict = {}
    error = ""
    if job is None:
        error = f"No job is registered as {run.job!r} any more."
    else:
        try:
            result = _as_result((func or job.func)())
        except Exception as exc:  # a job's failure is the run's outcome, not the worker's
            logger.exception("Scheduled job %s failed", run.job)
            error = f"{type(exc).__name__}: {exc}"[:ERROR_CHARS]
    run.status = RunStatus.FAILED if error else RunStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.result = result
    run.error = error
    run.save(update_fields=["status", "finished_at", "result", "error"])
    return run
