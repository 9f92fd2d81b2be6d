"""The scheduler process: `manage.py run_scheduler` checks the registered periodic jobs every
`--tick` seconds and enqueues each due slot once, for `db_worker` (or RQ workers) to run.
`--once` checks once and exits (for cron and tests). Several may run: each slot is claimed once.
`--heartbeat-file` is touched after every check, for a container's health check (deploy/healthcheck.py)."""

import signal
import threading
from pathlib import Path

from django.core.management.base import BaseCommand

from mentora.core.schedule import registered_jobs
from mentora.scheduler.services import scheduler_tick


class Command(BaseCommand):
    help = "Enqueue the periodic jobs that are due (see docs/architecture.md, the scheduler)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once, enqueue what is due, exit.")
        parser.add_argument(
            "--tick", type=int, default=30, help="Seconds between two checks (default 30, at least 1)."
        )
        parser.add_argument(
            "--heartbeat-file", type=Path, help="A file touched after every check (a health check reads it)."
        )

    def handle(
        self, *args, once: bool = False, tick: int = 30, heartbeat_file: Path | None = None, **options
    ):
        if tick < 1:
            self.stderr.write("--tick must be at least 1 second.")
            raise SystemExit(2)
        if once:
            self._tick(heartbeat_file)
            return
        stopping = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())
        names = ", ".join(job.name for job in registered_jobs())
        self.stdout.write(f"Scheduler started (every {tick} s): {names}", ending="\n")
        self.stdout.flush()
        while not stopping.is_set():
            self._tick(heartbeat_file)
            stopping.wait(tick)
        self.stdout.write("Scheduler stopped.")

    def _tick(self, heartbeat_file: Path | None) -> None:
        for run in scheduler_tick():
            self.stdout.write(f"queued {run.job} for {run.slot:%Y-%m-%d %H:%M} UTC")
        self.stdout.flush()
        if heartbeat_file:
            heartbeat_file.touch()
