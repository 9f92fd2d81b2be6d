"""One reminder sweep, for cron: `manage.py send_reminders` (queues the e-mails for a worker), or
`manage.py send_reminders --inline` to send in this process without a worker. It claims the same
(job, slot) row as the scheduler's job notifications.reminders, so a slot the scheduler (or another
cron) has swept is not swept again."""

from django.core.management.base import BaseCommand

from mentora.notifications.apps import REMINDERS_JOB
from mentora.notifications.services import reminders_sweep
from mentora.scheduler.models import RunStatus
from mentora.scheduler.services import job_run_execute, job_slot_claim


class Command(BaseCommand):
    help = "Issue due check-ins and queue meeting reminders, silent-pair nudges and check-in reminders."

    def add_arguments(self, parser):
        parser.add_argument(
            "--inline", action="store_true", help="Send now in this process instead of queueing tasks."
        )

    def handle(self, *args, inline: bool = False, **options):
        claimed = job_slot_claim(name=REMINDERS_JOB)
        if claimed is None:
            self.stdout.write(
                f"The {REMINDERS_JOB} sweep of this slot has already run (the scheduler or another cron "
                "claimed it): nothing to do."
            )
            return
        run = job_run_execute(run_id=claimed.pk, func=lambda: reminders_sweep(inline=inline))
        if run.status == RunStatus.FAILED:
            self.stderr.write(f"The reminder sweep failed: {run.error}")
            raise SystemExit(1)
        report = run.result
        self.stdout.write(
            f"check-ins issued: {report['checkins_issued']}; "
            f"meeting reminders: {report['meeting_reminders']}; "
            f"silent-pair nudges: {report['silent_nudges']}; "
            f"check-in reminders: {report['checkin_reminders']}; failed e-mails retried: {report['retried']}"
        )
