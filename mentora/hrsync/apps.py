import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrSyncConfig(AppConfig):
    name = "mentora.hrsync"
    verbose_name = "HR file sync"

    def ready(self) -> None:
        from mentora.core.schedule import register_job
        from mentora.hrsync.services import hr_syncs_due

        register_job(
            name="hrsync.due",
            func=hr_syncs_due,
            description=_("Start the HR file syncs that are due"),
            every=datetime.timedelta(minutes=5),
        )
