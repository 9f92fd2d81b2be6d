"""Reads for email preferences and the delivery ledger."""

from datetime import datetime

from django.db.models import QuerySet

from mentora.notifications.models import DeliveryStatus, NotificationPreference, SentNotification
from mentora.people.models import Person


def preferences_for(*, person: Person) -> NotificationPreference:
    """The person's preferences, or the defaults (every email on, unsaved)."""
    return NotificationPreference.objects.filter(person=person).first() or NotificationPreference(
        person=person
    )


def notifications_stuck(*, claimed_before: datetime) -> QuerySet:
    """Claims whose worker died before the email went out. They are never re-sent automatically
    (at most once); this lists them for an operator."""
    return SentNotification.objects.filter(status=DeliveryStatus.CLAIMED, claimed_at__lt=claimed_before)
