from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "mentora.privacy"
    verbose_name = "Privacy"
