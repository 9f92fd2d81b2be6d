from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mentora.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Relationships is a floor below: it announces pairing changes, the e-mails are queued here.
        from mentora.notifications.services import pairing_news_queue
        from mentora.relationships.events import pairing_changed

        pairing_changed.connect(pairing_news_queue, dispatch_uid="notifications.pairing_news")
