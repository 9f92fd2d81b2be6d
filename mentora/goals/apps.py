from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "mentora.goals"
    verbose_name = "Goals"
