from django.apps import AppConfig


class ServiceAccountsConfig(AppConfig):
    name = "mentora.serviceaccounts"
    verbose_name = "Service accounts"
