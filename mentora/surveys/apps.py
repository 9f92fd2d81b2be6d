import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "mentora.surveys"
    verbose_name = "Surveys"

    def ready(self) -> None:
        from mentora.core.schedule import register_job
        from mentora.surveys.services import surveys_issue_due_sweep

        # Safe to run twice: an instance is unique per (template, pair, respondent, round).
        register_job(
            name="surveys.issue_due",
            func=surveys_issue_due_sweep,
            description=_("Ask the pairs the program surveys that are due"),
            daily_at=datetime.time(5, 30),
        )
