from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mentora.audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from mentora.audit import receivers, tracked  # noqa: F401  (connects the sign-in and change hooks)

        tracked.register_all()
