from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "mentora.identity"
    verbose_name = "Single sign-on"
