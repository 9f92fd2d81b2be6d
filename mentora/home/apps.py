from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "mentora.home"
    verbose_name = "Home"
