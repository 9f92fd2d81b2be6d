from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mentora.api"
    verbose_name = "API"
