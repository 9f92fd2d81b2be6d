"""Meeting pages and API: times in each viewer's zone across a DST change, two tabs, .ics and the
calendar feed parsed back with icalendar, preparation, logging and who may see any of it."""

import datetime
import zoneinfo

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from mentora.meetings import selectors, services
from mentora.meetings.models import Meeting, MeetingStatus
from tests.factories import api_headers
from tests.meetings.test_services import in_the_past, schedule, soon

UTC = datetime.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")


def next_uk_spring_forward() -> datetime.date:
    """The next last Sunday of March (UK clocks go forward at 01:00 UTC), at least a week away."""
    year = timezone.now().year
    while True:
        day = datetime.date(year, 3, 31)
        day -= datetime.timedelta(days=(day.weekday() - 6) % 7)
        if day > timezone.now().date() + datetime.timedelta(days=7):
            return day
        year += 1


def next_uk_fall_back() -> datetime.date:
    year = timezone.now().year
    while True:
        day = datetime.date(year, 10, 31)
        day -= datetime.timedelta(days=(day.weekday() - 6) % 7)
        if day > timezone.now().date() + datetime.timedelta(days=7):
            return day
        year += 1


def api(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


def parse(content: bytes):
    events = [c for c in Calendar.from_ical(content).walk() if c.name == "VEVENT"]
    return events


@pytest.fixture
def new_yorker(bob):
    bob.time_zone = "America/New_York"
    bob.save()
    return bob


# ---- time zones ------------------------------------------------------------------------------


def test_a_meeting_set_in_london_on_the_day_clocks_change_is_right_in_new_york(
    client, relationship, alice, new_yorker
):
    day = next_uk_spring_forward()
    client.force_login(alice.user)  # Alice's profile is in Europe/London
    response = client.post(
        reverse("meetings:new", args=[relationship.pk]),
        {"starts_at": f"{day.isoformat()}T10:00", "duration_minutes": 60, "place": "Video"},
    )
    assert response.status_code == 302, response.content.decode()
    meeting = Meeting.objects.get()
    # 10:00 British Summer Time (UTC+1) on the day the clocks went forward at 01:00 UTC.
    assert meeting.starts_at == datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=UTC)

    detail = reverse("meetings:detail", args=[relationship.pk, meeting.pk])
    assert "10:00" in client.get(detail).content.decode()
    client.force_login(new_yorker.user)
    text = client.get(detail).content.decode()
    # New York is already on daylight time (UTC-4) by the last Sunday of March.
    assert f"{day.day} March {day.year}, 05:00" in text and "America/New_York" in text
    assert f'datetime="{day.isoformat()}T09:00:00+00:00"' in text


def test_a_time_the_clocks_skip_is_refused_and_the_form_kept(client, relationship, alice):
    day = next_uk_spring_forward()
    client.force_login(alice.user)
    response = client.post(
        reverse("meetings:new", args=[relationship.pk]),
        {"starts_at": f"{day.isoformat()}T01:30", "duration_minutes": 60, "place": "The usual café"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and "may not exist" in text and "The usual café" in text
    assert not Meeting.objects.exists()


def test_scheduling_in_the_past_from_the_page_says_so(client, relationship, alice):
    client.force_login(alice.user)
    yesterday = timezone.localtime(timezone.now() - datetime.timedelta(days=1), LONDON)
    response = client.post(
        reverse("meetings:new", args=[relationship.pk]),
        {"starts_at": yesterday.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 60},
    )
    assert "This time is in the past." in response.content.decode()


@pytest.mark.parametrize(
    ("body", "code", "field", "message"),
    [
        ({"starts_at": "2031-02-30T10:00"}, "invalid_input", "body.payload.starts_at", ""),
        ({"starts_at": "tomorrow at ten"}, "invalid_input", "body.payload.starts_at", ""),
        (
            {"starts_at": "SPRING", "time_zone": "Mars/Olympus_Mons"},
            "bad_choice",
            "time_zone",
            "not a time zone",
        ),
        (
            {"starts_at": "SPRING-01:30", "time_zone": "Europe/London"},
            "nonexistent_time",
            "starts_at",
            "does not exist",
        ),
        (
            {"starts_at": "AUTUMN-01:30", "time_zone": "Europe/London"},
            "ambiguous_time",
            "starts_at",
            "happens twice",
        ),
        ({"starts_at": "2001-01-01T10:00:00Z"}, "in_past", "starts_at", "in the past"),
        ({"duration_minutes": 1000}, "bad_range", "duration_minutes", "between 15 and 240"),
    ],
)
def test_the_api_refuses_malformed_times_and_zones_clearly(
    client, relationship, alice, body, code, field, message
):
    spring, autumn = next_uk_spring_forward().isoformat(), next_uk_fall_back().isoformat()
    body = {"starts_at": f"{spring}T10:00", "duration_minutes": 60} | body
    body["starts_at"] = (
        body["starts_at"]
        .replace("SPRING-", f"{spring}T")
        .replace("AUTUMN-", f"{autumn}T")
        .replace("SPRING", spring + "T10:00")
    )
    response = api(client, alice, "post", f"/api/pairs/{relationship.pk}/meetings", body)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field), error
    assert any(d["field"] == field and message in d["message"] for d in error["details"]), error


def test_the_api_reads_a_wall_clock_time_in_the_given_zone_and_answers_in_utc(
    client, relationship, alice, bob
):
    day = next_uk_spring_forward()
    response = api(
        client,
        bob,
        "post",
        f"/api/pairs/{relationship.pk}/meetings",
        {"starts_at": f"{day}T06:00", "time_zone": "America/New_York", "duration_minutes": 30},
    )
    assert response.status_code == 201, response.content
    assert response.json()["starts_at"] == f"{day}T10:00:00Z"
    # Without a zone, the caller's profile zone (Alice: Europe/London).
    response = api(
        client,
        alice,
        "post",
        f"/api/pairs/{relationship.pk}/meetings",
        {"starts_at": f"{day}T12:00", "duration_minutes": 30},
    )
    assert response.json()["starts_at"] == f"{day}T11:00:00Z"


# ---- two tabs --------------------------------------------------------------------------------


def test_the_second_tab_is_told_to_reload_and_keeps_what_was_typed(client, relationship, alice, bob):
    meeting = schedule(relationship, alice)
    edit = reverse("meetings:edit", args=[relationship.pk, meeting.pk])
    local = timezone.localtime(meeting.starts_at, LONDON).strftime("%Y-%m-%dT%H:%M")
    client.force_login(alice.user)
    first = client.post(edit, {"starts_at": local, "duration_minutes": 45, "place": "Room 1", "version": 1})
    assert first.status_code == 302
    client.force_login(bob.user)
    second = client.post(
        edit, {"starts_at": local, "duration_minutes": 30, "place": "Room TWO", "version": 1}
    )
    text = second.content.decode()
    assert second.status_code == 409
    assert "changed by someone else" in text and 'value="Room TWO"' in text
    meeting.refresh_from_db()
    assert meeting.place == "Room 1"


def test_the_api_answers_a_stale_version_with_a_conflict(client, relationship, alice, bob):
    meeting = schedule(relationship, alice)
    url = f"/api/pairs/{relationship.pk}/meetings/{meeting.pk}"
    body = {"starts_at": soon(50).isoformat(), "duration_minutes": 30, "version": 1}
    assert api(client, alice, "put", url, body).json()["version"] == 2
    response = api(client, bob, "put", url, body | {"place": "elsewhere"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "stale"
    assert api(client, bob, "post", f"{url}/cancel", {"version": 1}).status_code == 409
    assert api(client, bob, "post", f"{url}/cancel", {"version": 2}).json()["status"] == "cancelled"


# ---- iCalendar -------------------------------------------------------------------------------


def test_a_meeting_downloads_as_valid_ics_in_utc(client, relationship, alice):
    meeting = schedule(relationship, alice, video_url="https://meet.example.com/abc")
    services.meeting_prep_save(meeting=meeting, person=alice, version=0, agenda="SECRET-AGENDA", questions="")
    client.force_login(alice.user)
    response = client.get(reverse("meetings:ics", args=[relationship.pk, meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    raw = response.content.decode()
    assert raw.startswith("BEGIN:VCALENDAR") and "VERSION:2.0" in raw and "PRODID:" in raw
    assert f"DTSTART:{meeting.starts_at:%Y%m%dT%H%M%S}Z" in raw
    assert "SECRET-AGENDA" not in raw
    (event,) = parse(response.content)
    assert str(event["UID"]) == f"{meeting.uid}@mentora"
    assert event["DTSTART"].dt == meeting.starts_at and event["DTSTART"].dt.utcoffset() == datetime.timedelta(
        0
    )
    assert event["DTEND"].dt == meeting.ends_at
    assert event["DTSTAMP"].dt.tzinfo is not None
    assert str(event["SUMMARY"]) == "Mentoring with Bob Baker"
    assert str(event["LOCATION"]) == "Café on the 3rd floor"
    assert str(event["URL"]) == "https://meet.example.com/abc"
    assert event["SEQUENCE"] == 0 and str(event["STATUS"]) == "CONFIRMED"


def test_a_change_raises_the_sequence_and_a_cancellation_shows_in_the_ics(client, relationship, alice, bob):
    meeting = schedule(relationship, alice)
    services.meeting_reschedule(
        meeting=meeting, person=alice, version=1, starts_at=soon(60), duration_minutes=30, place="Room 1"
    )
    services.meeting_cancel(meeting=meeting, person=bob, version=2)
    response = api(client, bob, "get", f"/api/pairs/{relationship.pk}/meetings/{meeting.pk}/ics")
    (event,) = parse(response.content)
    assert event["SEQUENCE"] == 2 and str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "Mentoring with Alice Archer"


def test_the_calendar_feed_needs_only_its_random_address(
    client, relationship, other_relationship, alice, dora
):
    ours = schedule(relationship, alice)
    schedule(other_relationship, dora)
    client.force_login(alice.user)
    page = client.get(reverse("calendar:subscribe")).content.decode()
    assert "You have no calendar address yet." in page
    assert client.post(reverse("calendar:subscribe")).status_code == 302
    token = selectors.calendar_feed_token(person=alice)
    feed = reverse("calendar:feed", args=[token])
    assert feed in client.get(reverse("calendar:subscribe")).content.decode()
    client.logout()
    response = client.get(feed)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert [str(e["UID"]) for e in parse(response.content)] == [f"{ours.uid}@mentora"]
    assert client.get(feed.replace(token[-6:], "abcdef")).status_code == 404

    # A new address revokes the old one.
    client.force_login(alice.user)
    client.post(reverse("calendar:subscribe"))
    client.logout()
    assert client.get(feed).status_code == 404
    new = api(client, alice, "get", "/api/calendar/feed").json()["url"]
    assert client.get(new).status_code == 200


def test_an_old_signed_calendar_address_is_not_found(client, settings, alice):
    """Before feeds had random keys, anyone who knew SECRET_KEY could sign a token for any person."""
    services.calendar_feed_reset(person=alice)
    forged = signing.Signer(salt="mentora.meetings.calendar-feed").sign_object({"p": alice.pk, "g": 1})
    assert client.get(reverse("calendar:feed", args=[forged])).status_code == 404
    lookup = selectors.calendar_feed_token(person=alice)[:16]
    assert client.get(reverse("calendar:feed", args=[lookup + "x" * 43])).status_code == 404


def test_a_feed_shows_only_its_owners_meetings_whatever_organisation(client, relationship, alice, charlie):
    schedule(relationship, alice)
    services.calendar_feed_reset(person=charlie)
    response = client.get(reverse("calendar:feed", args=[selectors.calendar_feed_token(person=charlie)]))
    assert response.status_code == 200 and parse(response.content) == []


def test_the_api_makes_and_replaces_my_calendar_address(client, alice):
    assert api(client, alice, "get", "/api/calendar/feed").json() == {"url": None}
    first = api(client, alice, "post", "/api/calendar/feed/reset").json()["url"]
    assert api(client, alice, "get", "/api/calendar/feed").json()["url"] == first
    assert client.get(first).status_code == 200
    second = api(client, alice, "post", "/api/calendar/feed/reset").json()["url"]
    assert second != first
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200


# ---- preparation, log, pages -----------------------------------------------------------------


def test_the_mentee_prepares_with_htmx_and_the_mentor_reads_it(client, relationship, alice, bob):
    meeting = schedule(relationship, bob)
    url = reverse("meetings:prep", args=[relationship.pk, meeting.pk])
    client.force_login(alice.user)
    response = client.post(
        url,
        {"agenda": "My talk", "questions": "How do I open?", "version": 0},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and 'id="prep"' in text and "<html" not in text
    assert "Preparation saved." in text
    client.force_login(bob.user)
    text = client.get(reverse("meetings:detail", args=[relationship.pk, meeting.pk])).content.decode()
    assert "How do I open?" in text and "Save my preparation" not in text
    assert client.post(url, {"agenda": "x", "questions": "", "version": 1}).status_code == 403


def test_a_meeting_is_logged_from_its_page_afterwards(client, relationship, alice):
    meeting = schedule(relationship, alice)
    detail = reverse("meetings:detail", args=[relationship.pk, meeting.pk])
    client.force_login(alice.user)
    assert "Log the meeting" not in client.get(detail).content.decode()
    in_the_past(meeting)
    assert "Log the meeting" in client.get(detail).content.decode()
    response = client.post(
        reverse("meetings:log", args=[relationship.pk, meeting.pk]),
        {
            "outcome": "happened",
            "actual_duration_minutes": 55,
            "topics": "Openings",
            "rating": "4",
            "version": 1,
        },
        follow=True,
    )
    assert "Meeting logged." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HAPPENED and meeting.mentee_rating == 4


def test_the_api_logs_and_shows_only_my_own_rating(client, relationship, alice, bob):
    meeting = in_the_past(schedule(relationship, alice))
    url = f"/api/pairs/{relationship.pk}/meetings/{meeting.pk}"
    body = {"version": 1, "outcome": "happened", "rating": 2, "topics": "x"}
    assert api(client, alice, "post", f"{url}/log", body).json()["my_rating"] == 2
    assert api(client, bob, "get", url).json()["my_rating"] is None
    response = api(client, alice, "post", f"{url}/log", body | {"version": 2, "rating": 9})
    assert response.status_code == 422


@pytest.mark.parametrize(
    "role", ["program manager", "org admin", "line manager", "another pair's mentee", "other organisation"]
)
def test_nobody_else_sees_the_meetings(client, relationship, alice, outsiders, role):
    meeting = schedule(relationship, alice)
    person = outsiders[role]
    client.force_login(person.user)
    for name in ("detail", "ics"):
        assert client.get(reverse(f"meetings:{name}", args=[relationship.pk, meeting.pk])).status_code == 404
    base = f"/api/pairs/{relationship.pk}/meetings"
    assert api(client, person, "get", base).status_code == 404
    assert api(client, person, "get", f"{base}/{meeting.pk}/prep").status_code == 404
    body = {"starts_at": soon().isoformat(), "duration_minutes": 30}
    assert api(client, person, "post", base, body).status_code == 404


def test_the_meetings_section_costs_the_same_queries_for_many_meetings(client, relationship, alice):
    def count():
        client.force_login(alice.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("workspace:pair", args=[relationship.pk])).status_code == 200
        return len(queries)

    schedule(relationship, alice)
    one = count()
    for hours in range(50, 55):
        meeting = schedule(relationship, alice, starts_at=soon(hours))
        services.meeting_prep_save(meeting=meeting, person=alice, version=0, agenda="a", questions="q")
    in_the_past(meeting)
    assert count() == one
