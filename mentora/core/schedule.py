"""Periodic jobs: each app declares its own from its `AppConfig.ready` with `register_job`, and
`manage.py run_scheduler` (mentora.scheduler) enqueues each job once per slot, on a worker.

A job runs every `every` (slots aligned on the Unix epoch: every 15 minutes is :00, :15, :30, :45
UTC) or once a day at `daily_at` (UTC). When the scheduler was down, only the latest missed slot
runs, once. The function takes no argument and returns None, a dict or a dataclass of figures
(kept with the run and shown on the jobs page). This module imports no app, so every app may use it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
SHORTEST_INTERVAL = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], object]
    description: str
    every: datetime.timedelta | None = None
    daily_at: datetime.time | None = None

    def slot(self, now: datetime.datetime) -> datetime.datetime:
        """The start of the latest slot at or before `now` (an aware datetime)."""
        now = now.astimezone(datetime.UTC)
        if self.every is not None:
            return EPOCH + ((now - EPOCH) // self.every) * self.every
        today = datetime.datetime.combine(now.date(), self.daily_at, tzinfo=datetime.UTC)
        return today if today <= now else today - datetime.timedelta(days=1)

    def next_slot(self, now: datetime.datetime) -> datetime.datetime:
        return self.slot(now) + (self.every or datetime.timedelta(days=1))


_jobs: dict[str, Job] = {}


def register_job(
    *,
    name: str,
    func: Callable[[], object],
    description: str,
    every: datetime.timedelta | None = None,
    daily_at: datetime.time | None = None,
) -> Job:
    """Declare a periodic job (call it from the owning app's `AppConfig.ready`). `name` is stable
    (runs are kept under it), e.g. "notifications.reminders"; `description` is a lazy translation."""
    if (every is None) == (daily_at is None):
        raise ValueError(f"Job {name!r}: give exactly one of `every` and `daily_at`.")
    if every is not None and every < SHORTEST_INTERVAL:
        raise ValueError(f"Job {name!r}: `every` must be at least {SHORTEST_INTERVAL}.")
    if daily_at is not None and daily_at.tzinfo is not None:
        raise ValueError(f"Job {name!r}: `daily_at` is a naive time, read as UTC.")
    if len(name) > 100:
        raise ValueError(f"Job {name!r}: the name is longer than 100 characters.")
    job = Job(name=name, func=func, description=description, every=every, daily_at=daily_at)
    existing = _jobs.get(name)
    if existing is not None and existing != job:
        raise ValueError(f"Another job is already registered as {name!r}.")
    _jobs[name] = job
    return job


def registered_jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def registered_job(name: str) -> Job | None:
    return _jobs.get(name)
