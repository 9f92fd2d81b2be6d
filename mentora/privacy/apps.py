import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "mentora.privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from mentora.core.schedule import register_job
        from mentora.privacy.services import retention_apply_all

        register_job(
            name="privacy.retention",
            func=retention_apply_all,
            description=_("Delete private content past every organisation's retention periods"),
            daily_at=datetime.time(2, 30),
        )
