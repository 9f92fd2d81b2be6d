"""One reminder sweep, for cron: `manage.py send_reminders` (queues tasks for `db_worker`), or
`manage.py send_reminders --inline` to send in this process without a worker."""

from django.core.management.base import BaseCommand

from mentora.notifications.services import reminders_sweep


class Command(BaseCommand):
    help = "Issue due check-ins and queue meeting reminders, silent-pair nudges and check-in reminders."

    def add_arguments(self, parser):
        parser.add_argument(
            "--inline", action="store_true", help="Send now in this process instead of queueing tasks."
        )

    def handle(self, *args, inline: bool = False, **options):
        report = reminders_sweep(inline=inline)
        self.stdout.write(
            f"check-ins issued: {report.checkins_issued}; meeting reminders: {report.meeting_reminders}; "
            f"silent-pair nudges: {report.silent_nudges}; check-in reminders: {report.checkin_reminders}; "
            f"failed e-mails retried: {report.retried}"
        )
