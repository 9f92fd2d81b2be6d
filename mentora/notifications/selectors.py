"""Reads for email preferences and the delivery ledger."""

from mentora.notifications.models import NotificationPreference
from mentora.people.models import Person


def preferences_for(*, person: Person) -> NotificationPreference:
    """The person's preferences, or the defaults (every email on, unsaved)."""
    return NotificationPreference.objects.filter(person=person).first() or NotificationPreference(
        person=person
    )
