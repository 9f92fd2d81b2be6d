"""Meeting services: scheduling rules, two tabs, cancel, log, preparation, reminders, feed keys."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentora.agreements.closure import relationship_end_no_fault
from mentora.meetings import selectors, services
from mentora.meetings.models import CalendarFeed, Meeting, MeetingStatus

UTC = datetime.UTC


def soon(hours=48):
    return (timezone.now() + datetime.timedelta(hours=hours)).replace(microsecond=0)


def schedule(relationship, person, **overrides):
    fields = {"starts_at": soon(), "duration_minutes": 60, "place": "Café on the 3rd floor"} | overrides
    return services.meeting_schedule(relationship=relationship, person=person, **fields)


def in_the_past(meeting, hours=2):
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=hours))
    meeting.refresh_from_db()
    return meeting


def test_either_side_schedules_a_meeting_stored_in_utc(relationship, alice):
    day = (timezone.now() + datetime.timedelta(days=30)).date()
    plus_one = datetime.timezone(datetime.timedelta(hours=1))
    local = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=plus_one)
    meeting = schedule(relationship, alice, starts_at=local, video_url="https://meet.example.com/abc")
    meeting.refresh_from_db()
    assert meeting.starts_at == datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=UTC)
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.version == 1 and meeting.sequence == 0
    assert meeting.ends_at == datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=UTC)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"starts_at": timezone.now() - datetime.timedelta(minutes=5)}, "starts_at", "in the past"),
        ({"starts_at": datetime.datetime(2031, 1, 1, 10, 0)}, "starts_at", "time zone"),
        ({"starts_at": timezone.now() + datetime.timedelta(days=3 * 365)}, "starts_at", "two years"),
        ({"duration_minutes": 5}, "duration_minutes", "between 15 and 240"),
        ({"duration_minutes": 600}, "duration_minutes", "between 15 and 240"),
        ({"video_url": "javascript:alert(1)"}, "video_url", "https://"),
        ({"place": "x" * 201}, "place", "200"),
    ],
)
def test_bad_scheduling_input_gets_a_clear_error(relationship, alice, overrides, field, message):
    with pytest.raises(ValidationError) as error:
        schedule(relationship, alice, **overrides)
    assert message in " ".join(error.value.message_dict[field])
    assert not Meeting.objects.exists()


def test_the_second_of_two_tabs_is_told_to_reload_and_the_first_edit_stays(relationship, alice, bob):
    meeting = schedule(relationship, alice)
    tab_one = Meeting.objects.get(pk=meeting.pk)
    tab_two = Meeting.objects.get(pk=meeting.pk)
    services.meeting_reschedule(
        meeting=tab_one, person=alice, version=1, starts_at=soon(72), duration_minutes=45, place="Room 1"
    )
    with pytest.raises(ValidationError) as error:
        services.meeting_reschedule(
            meeting=tab_two, person=bob, version=1, starts_at=soon(96), duration_minutes=30, place="Room 2"
        )
    assert error.value.code == "stale"
    assert "changed by someone else" in error.value.messages[0] and "Reload" in error.value.messages[0]
    meeting.refresh_from_db()
    assert (meeting.place, meeting.duration_minutes, meeting.version, meeting.sequence) == (
        "Room 1",
        45,
        2,
        1,
    )


def test_a_cancelled_meeting_cannot_be_moved_and_tells_calendars(relationship, alice, bob):
    meeting = schedule(relationship, alice)
    meeting = services.meeting_cancel(meeting=meeting, person=bob, version=1)
    assert meeting.status == MeetingStatus.CANCELLED and meeting.cancelled_by == bob
    assert meeting.sequence == 1 and meeting.version == 2
    with pytest.raises(ValidationError) as error:
        services.meeting_reschedule(
            meeting=meeting, person=alice, version=2, starts_at=soon(), duration_minutes=60
        )
    assert error.value.code == "not_scheduled"


def test_a_meeting_is_logged_afterwards_with_a_rating_per_side(relationship, alice, bob):
    meeting = schedule(relationship, alice)
    with pytest.raises(ValidationError) as error:
        services.meeting_log(meeting=meeting, person=alice, version=1, outcome="happened")
    assert error.value.code == "not_yet"

    meeting = in_the_past(meeting)
    meeting = services.meeting_log(
        meeting=meeting,
        person=alice,
        version=1,
        outcome="happened",
        actual_duration_minutes=50,
        topics="Talk outline",
        rating=5,
    )
    meeting = services.meeting_log(
        meeting=meeting,
        person=bob,
        version=meeting.version,
        outcome="happened",
        topics="Talk outline",
        rating=3,
    )
    assert meeting.status == MeetingStatus.HAPPENED and meeting.logged_at is not None
    assert (meeting.mentee_rating, meeting.mentor_rating) == (5, 3)
    assert meeting.actual_duration_minutes is None  # Bob's log left the duration out


def test_a_log_refuses_ratings_out_of_range_and_for_meetings_that_did_not_happen(relationship, alice):
    meeting = in_the_past(schedule(relationship, alice))
    with pytest.raises(ValidationError) as error:
        services.meeting_log(meeting=meeting, person=alice, version=1, outcome="happened", rating=6)
    assert "rating" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.meeting_log(meeting=meeting, person=alice, version=1, outcome="cancelled", rating=4)
    assert "rating" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.meeting_log(meeting=meeting, person=alice, version=1, outcome="maybe")
    assert "outcome" in error.value.message_dict
    logged = services.meeting_log(meeting=meeting, person=alice, version=1, outcome="cancelled")
    assert logged.status == MeetingStatus.CANCELLED and logged.sequence == 1


def test_the_mentee_prepares_and_the_mentor_reads(relationship, alice, bob):
    meeting = schedule(relationship, bob)
    prep = services.meeting_prep_save(
        meeting=meeting, person=alice, version=0, agenda="My talk", questions="How do I open?"
    )
    assert prep.version == 1
    with pytest.raises(PermissionDenied):
        services.meeting_prep_save(meeting=meeting, person=bob, version=1, agenda="Mine", questions="")
    with pytest.raises(ValidationError) as error:
        services.meeting_prep_save(meeting=meeting, person=alice, version=0, agenda="Other tab", questions="")
    assert error.value.code == "stale"
    prep = services.meeting_prep_save(meeting=meeting, person=alice, version=1, agenda="v2", questions="Q")
    assert (prep.agenda, prep.version) == ("v2", 2)


def test_nothing_is_scheduled_once_the_relationship_ended(relationship, alice):
    meeting = schedule(relationship, alice)
    relationship_end_no_fault(relationship=relationship, person=alice)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        schedule(meeting.relationship, alice)
    assert error.value.code == "read_only"
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=meeting, person=alice, version=1)


def test_an_outsider_cannot_use_the_services(relationship, alice, pam):
    with pytest.raises(PermissionDenied):
        schedule(relationship, pam)


def test_reminders_read_scheduled_meetings_of_active_pairs_in_a_window(
    relationship, other_relationship, alice, dora
):
    start = timezone.now()
    ours = schedule(relationship, alice, starts_at=soon(2))
    services.meeting_cancel(meeting=schedule(relationship, alice, starts_at=soon(3)), person=alice, version=1)
    schedule(relationship, alice, starts_at=soon(30))  # outside the window
    theirs = schedule(other_relationship, dora, starts_at=soon(4))
    relationship_end_no_fault(relationship=other_relationship, person=dora)
    found = list(selectors.meetings_starting_between(start, start + datetime.timedelta(hours=24)))
    assert found == [ours]
    assert theirs not in found


def test_calendar_tokens_name_their_person_until_reset(alice, bob):
    assert selectors.calendar_feed_token(person=alice) is None  # reading makes nothing
    assert not CalendarFeed.objects.exists()
    services.calendar_feed_reset(person=alice)
    token = selectors.calendar_feed_token(person=alice)
    assert selectors.calendar_feed_person(token=token) == alice
    assert selectors.calendar_feed_token(person=alice) == token
    assert selectors.calendar_feed_person(token=token[:-2] + "xx") is None
    assert selectors.calendar_feed_person(token="not-a-token") is None
    services.calendar_feed_reset(person=alice)
    assert selectors.calendar_feed_person(token=token) is None
    assert selectors.calendar_feed_person(token=selectors.calendar_feed_token(person=alice)) == alice
    services.calendar_feed_reset(person=bob)
    assert selectors.calendar_feed_token(person=bob) != selectors.calendar_feed_token(person=alice)


def test_calendar_tokens_are_random_not_derived_from_the_secret_key(alice, settings):
    services.calendar_feed_reset(person=alice)
    first = selectors.calendar_feed_token(person=alice)
    settings.SECRET_KEY = "another-key-entirely"
    assert selectors.calendar_feed_person(token=first) == alice
    services.calendar_feed_reset(person=alice)
    assert selectors.calendar_feed_token(person=alice) != first


def test_a_calendar_token_stops_working_when_its_person_is_deactivated(alice):
    services.calendar_feed_reset(person=alice)
    token = selectors.calendar_feed_token(person=alice)
    alice.is_active = False
    alice.save()
    assert selectors.calendar_feed_person(token=token) is None
