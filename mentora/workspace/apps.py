from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "mentora.workspace"
    verbose_name = "Workspace"
