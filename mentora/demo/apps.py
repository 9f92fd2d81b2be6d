from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mentora.demo"
    verbose_name = "Demo"
