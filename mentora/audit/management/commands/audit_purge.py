from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from mentora.audit.services import events_purge


class Command(BaseCommand):
    help = "Delete audit events older than AUDIT_RETENTION_DAYS (0 keeps them all). Meant for a daily cron."

    def handle(self, *args, **options) -> None:
        days = settings.AUDIT_RETENTION_DAYS
        if days <= 0:
            self.stdout.write("AUDIT_RETENTION_DAYS is 0: the audit log is kept in full.")
            return
        deleted = events_purge(before=timezone.now() - timedelta(days=days))
        self.stdout.write(f"{deleted} audit events older than {days} days deleted.")
