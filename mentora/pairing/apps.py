from django.apps import AppConfig


class PairingConfig(AppConfig):
    name = "mentora.pairing"
    verbose_name = "Pairing"
