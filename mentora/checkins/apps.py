from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "mentora.checkins"
    verbose_name = "Checkins"
