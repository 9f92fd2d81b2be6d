from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "mentora.agreements"
    verbose_name = "Agreements"

    def ready(self) -> None:
        # People sits floors below: it announces a leaver, their relationships end here.
        from mentora.agreements.closure import relationships_end_for_leaver
        from mentora.people.events import person_deactivated

        person_deactivated.connect(relationships_end_for_leaver, dispatch_uid="agreements.leaver_endings")
