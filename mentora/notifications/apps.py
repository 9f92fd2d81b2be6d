import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The reminder sweep's job: the scheduler runs it, or `manage.py send_reminders` from cron, never both
# for one slot (they claim the same (job, slot) row).
REMINDERS_JOB = "notifications.reminders"


class NotificationsConfig(AppConfig):
    name = "mentora.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Relationships is a floor below: it announces pairing changes, the e-mails are queued here.
        from mentora.core.schedule import register_job
        from mentora.notifications.services import pairing_news_queue, reminders_sweep
        from mentora.relationships.events import pairing_changed

        pairing_changed.connect(pairing_news_queue, dispatch_uid="notifications.pairing_news")
        # The sweep that `manage.py send_reminders` runs by hand or from cron (docs/reminders.md).
        register_job(
            name=REMINDERS_JOB,
            func=reminders_sweep,
            description=_("Issue due check-ins and queue meeting reminders, nudges and check-in reminders"),
            every=datetime.timedelta(minutes=15),
        )
