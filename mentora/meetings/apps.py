from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "mentora.meetings"
    verbose_name = "Meetings"
