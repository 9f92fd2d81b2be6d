from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    name = "mentora.scheduler"
    verbose_name = "Scheduler"
