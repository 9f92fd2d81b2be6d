import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "mentora.people"
    verbose_name = "People"

    def ready(self) -> None:
        from mentora.core.schedule import register_job
        from mentora.people.services import leavers_deactivate

        register_job(
            name="people.leavers",
            func=leavers_deactivate,
            description=_("Deactivate people whose leaving date has come"),
            every=datetime.timedelta(hours=1),
        )
