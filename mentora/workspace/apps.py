from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class WorkspaceConfig(AppConfig):
    name = "mentora.workspace"
    verbose_name = "Workspace"

    def ready(self):
        # Each app contributes its section of the pair's space from its own panels.py.
        autodiscover_modules("panels")
