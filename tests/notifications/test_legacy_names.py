"""A name saved with a line break before names were checked still gets its reminders sent."""

from django.core import mail

from mentora.notifications.models import DeliveryStatus, SentNotification
from mentora.people.models import Person
from tests.notifications.test_reminders import pair, sweep  # noqa: F401


def test_a_partner_name_with_a_line_break_is_folded_into_the_subject(pair, alice, bob):  # noqa: F811
    Person.objects.filter(pk=bob.pk).update(full_name="Bob\r\nBaker")
    sweep()
    subjects = [message.subject for message in mail.outbox if message.to == [alice.email]]
    assert "Reminder: meeting with Bob Baker" in subjects
    assert not SentNotification.objects.filter(status=DeliveryStatus.FAILED).exists()
