from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "mentora.agreements"
    verbose_name = "Agreements"
