from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "mentora.notes"
    verbose_name = "Notes"
