from django.apps import AppConfig


class PairingConfig(AppConfig):
    name = "mentora.pairing"
    verbose_name = "Pairing"

    def ready(self) -> None:
        from mentora.ops.metrics import register_scrape_collector
        from mentora.pairing.metrics import match_run_durations, match_runs_by_status

        register_scrape_collector(match_runs_by_status)
        register_scrape_collector(match_run_durations)
