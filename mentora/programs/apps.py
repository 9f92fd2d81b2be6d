from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ProgramsConfig(AppConfig):
    name = "mentora.programs"
    verbose_name = "Programs"

    def ready(self):
        # Apps above programs contribute the sections of its manager pages from program_sections.py.
        autodiscover_modules("program_sections")
