"""Every ending (no-fault exit, "cycle ended", a confirmed "goals met") does the same afterwards:
unanswered check-ins lapse, meetings still to come are cancelled in both calendars, the partner is told."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from mentora.agreements import closure
from mentora.checkins.models import Checkin, CheckinKind, CheckinStatus
from mentora.meetings import services as meeting_services
from mentora.meetings.models import MeetingStatus
from mentora.relationships.models import RelationshipStatus
from tests.meetings.test_pages_api import parse
from tests.meetings.test_services import in_the_past, schedule, soon

NEAR_THE_END = datetime.date(2031, 12, 28)  # the fixture program ends on 31 December 2031


def no_fault(relationship, alice, bob):
    closure.relationship_end_no_fault(relationship=relationship, person=alice, reason="PRIVATE")


def cycle_ended(relationship, alice, bob):
    closure.relationship_close_with_reason(
        relationship=relationship, person=alice, reason="cycle_ended", today=NEAR_THE_END
    )


def goals_met_confirmed(relationship, alice, bob):
    closure.relationship_close_with_reason(relationship=relationship, person=bob, reason="goals_met")
    closure.closure_confirm(relationship=relationship, person=alice)


@pytest.mark.parametrize("end", [no_fault, cycle_ended, goals_met_confirmed])
def test_an_ending_cancels_what_is_to_come_and_tells_the_partner(
    client, relationship, alice, bob, end, immediate_tasks, django_capture_on_commit_callbacks
):
    coming = schedule(relationship, bob, starts_at=soon(72))
    earlier = in_the_past(schedule(relationship, bob, starts_at=soon(24)))
    pulse = Checkin.objects.create(
        relationship=relationship, respondent=alice, kind=CheckinKind.PULSE, due_on=datetime.date(2031, 2, 1)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        end(relationship, alice, bob)

    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ENDED and relationship.ended_by == alice
    coming.refresh_from_db()
    assert coming.status == MeetingStatus.CANCELLED and coming.cancelled_by == alice
    assert (coming.sequence, coming.version) == (1, 2)
    earlier.refresh_from_db()
    assert earlier.status == MeetingStatus.SCHEDULED  # it may have happened: left to be logged
    pulse.refresh_from_db()
    assert pulse.status == CheckinStatus.MISSED
    assert [message.to for message in mail.outbox if message.to == [bob.email]] == [[bob.email]]
    assert all("PRIVATE" not in message.body for message in mail.outbox)

    # Bob's calendar drops the meeting: his .ics download and his subscription both say CANCELLED.
    client.force_login(bob.user)
    ics = client.get(reverse("meetings:ics", args=[relationship.pk, coming.pk]))
    (event,) = parse(ics.content)
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1
    feed = meeting_services.calendar_feed_reset(person=bob)
    client.logout()
    response = client.get(reverse("calendar:feed", args=[feed.token]))
    statuses = {str(e["UID"]): str(e["STATUS"]) for e in parse(response.content)}
    assert statuses[f"{coming.uid}@mentora"] == "CANCELLED"
