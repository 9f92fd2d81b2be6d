"""A meeting that happened without being scheduled here first can be logged afterwards: within the
relationship's dates, never in the future. Service, page, API, bad input and who may do it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mentora.agreements.closure import relationship_end_no_fault
from mentora.meetings import services
from mentora.meetings.models import Meeting, MeetingStatus
from mentora.relationships.models import Relationship
from tests.factories import api_headers


def api(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


def ago(**delta) -> datetime.datetime:
    return (timezone.now() - datetime.timedelta(**delta)).replace(microsecond=0)


@pytest.fixture
def running(relationship):
    """Alice and Bob's relationship, started three weeks ago."""
    Relationship.objects.filter(pk=relationship.pk).update(started_at=ago(days=21))
    relationship.refresh_from_db()
    return relationship


def test_a_meeting_that_happened_is_logged_with_my_rating(running, alice):
    meeting = services.meeting_record_past(
        relationship=running,
        person=alice,
        starts_at=ago(days=2),
        duration_minutes=45,
        place="Corridor",
        topics="Career questions",
        rating=4,
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HAPPENED and meeting.logged_at is not None
    assert (meeting.actual_duration_minutes, meeting.topics, meeting.place) == (
        45,
        "Career questions",
        "Corridor",
    )
    assert (meeting.mentee_rating, meeting.mentor_rating) == (4, None)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"starts_at": timezone.now() + datetime.timedelta(hours=1)}, "starts_at", "still to come"),
        ({"starts_at": ago(days=40)}, "starts_at", "before your relationship started"),
        ({"starts_at": datetime.datetime(2026, 1, 1, 10, 0)}, "starts_at", "time zone"),
        ({"duration_minutes": 5}, "duration_minutes", "between 15 and 240"),
        ({"rating": 7}, "rating", "from 1 to 5"),
        ({"topics": "x" * 4001}, "topics", "4000"),
        ({"topics": "bad\x00byte"}, "topics", ""),
        ({"place": "two\nlines"}, "place", ""),
    ],
)
def test_bad_input_gets_a_clear_error(running, alice, overrides, field, message):
    fields = {"starts_at": ago(days=1), "duration_minutes": 30} | overrides
    with pytest.raises(ValidationError) as error:
        services.meeting_record_past(relationship=running, person=alice, **fields)
    assert message in " ".join(error.value.message_dict[field])
    assert not Meeting.objects.exists()


def test_nothing_is_logged_after_the_end_date_or_once_the_relationship_ended(running, alice):
    Relationship.objects.filter(pk=running.pk).update(ends_on=ago(days=3).date())
    running.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.meeting_record_past(
            relationship=running, person=alice, starts_at=ago(days=1), duration_minutes=30
        )
    assert "after your relationship's end date" in " ".join(error.value.message_dict["starts_at"])
    relationship_end_no_fault(relationship=running, person=alice)
    running.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.meeting_record_past(
            relationship=running, person=alice, starts_at=ago(days=4), duration_minutes=30
        )
    assert error.value.code == "read_only"
    assert not Meeting.objects.exists()


def test_only_the_pair_logs(running, outsiders):
    for person in outsiders.values():
        with pytest.raises(PermissionDenied):
            services.meeting_record_past(
                relationship=running, person=person, starts_at=ago(days=1), duration_minutes=30
            )


def test_the_page_logs_a_past_meeting_and_refuses_the_future(client, running, alice, bob):
    client.force_login(bob.user)
    space = client.get(reverse("workspace:pair", args=[running.pk])).content.decode()
    url = reverse("meetings:past", args=[running.pk])
    assert url in space
    assert (
        "Log a meeting with <bdi>Alice Archer</bdi> that already happened" in client.get(url).content.decode()
    )
    later = timezone.localtime(timezone.now() + datetime.timedelta(days=1))
    response = client.post(url, {"starts_at": later.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 30})
    assert response.status_code == 400 and "still to come" in response.content.decode()
    response = client.post(url, {"starts_at": "yesterday", "duration_minutes": 30})
    assert response.status_code == 400
    earlier = timezone.localtime(ago(days=1))
    response = client.post(
        url, {"starts_at": earlier.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 30, "rating": "5"}
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "meetings:detail", args=[running.pk, meeting.pk]
    )
    assert meeting.status == MeetingStatus.HAPPENED and meeting.mentor_rating == 5


def test_the_api_logs_a_past_meeting(client, running, alice, outsiders):
    url = f"/api/pairs/{running.pk}/meetings/past"
    when = ago(days=3).isoformat()
    response = api(client, alice, "post", url, {"starts_at": when, "duration_minutes": 60, "topics": "Goals"})
    assert response.status_code == 201
    body = response.json()
    assert (
        body["status"] == "happened" and body["actual_duration_minutes"] == 60 and body["topics"] == "Goals"
    )
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    response = api(client, alice, "post", url, {"starts_at": future, "duration_minutes": 60})
    assert response.status_code == 422 and response.json()["error"]["details"][0]["field"] == "starts_at"
    response = api(client, alice, "post", url, {"starts_at": "soon", "duration_minutes": 60})
    assert response.status_code == 422
    for person in outsiders.values():
        assert (
            api(client, person, "post", url, {"starts_at": when, "duration_minutes": 60}).status_code == 404
        )
    assert Meeting.objects.count() == 1
