from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mentora.accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from mentora.accounts import receivers  # noqa: F401  (connects the password-change hook)
