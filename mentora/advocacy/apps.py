from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    name = "mentora.advocacy"
    verbose_name = "Advocacy"
