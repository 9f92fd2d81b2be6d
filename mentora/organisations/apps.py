from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "mentora.organisations"
    verbose_name = "Organisations"
