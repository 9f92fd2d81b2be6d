import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "mentora.reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from mentora.core.schedule import register_job
        from mentora.reports.services import exports_expire, scheduled_reports_send

        register_job(
            name="reports.expire",
            func=exports_expire,
            description=_("Delete export files whose download time is over"),
            every=datetime.timedelta(minutes=15),
        )
        register_job(
            name="reports.monthly",
            func=scheduled_reports_send,
            description=_("Send the monthly program reports to the leaders chosen for them"),
            daily_at=datetime.time(6, 0),
        )
