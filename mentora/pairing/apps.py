import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairingConfig(AppConfig):
    name = "mentora.pairing"
    verbose_name = "Pairing"

    def ready(self) -> None:
        from mentora.core.schedule import register_job
        from mentora.ops.metrics import register_scrape_collector
        from mentora.pairing.metrics import match_run_durations, match_runs_by_status
        from mentora.pairing.services import match_runs_abandoned_sweep

        register_scrape_collector(match_runs_by_status)
        register_scrape_collector(match_run_durations)
        # A run whose worker died says so even when no manager opens it (docs/pairing.md).
        register_job(
            name="pairing.abandoned_runs",
            func=match_runs_abandoned_sweep,
            description=_("Mark failed the matching runs whose worker stopped"),
            every=datetime.timedelta(minutes=1),
        )
