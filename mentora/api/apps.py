from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "mentora.api"
    verbose_name = "API"

    def ready(self) -> None:
        from mentora.api.idempotency import idempotency_keys_purge
        from mentora.core.schedule import register_job

        register_job(
            name="api.idempotency_keys",
            func=idempotency_keys_purge,
            description=_("Forget the API's idempotency keys past their retention"),
            every=timedelta(hours=1),
        )
