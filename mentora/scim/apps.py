from django.apps import AppConfig


class ScimConfig(AppConfig):
    name = "mentora.scim"
    verbose_name = "SCIM provisioning"
