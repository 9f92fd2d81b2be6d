"""`updated_since` on the lists whose rows keep an `updated_at`: a pair's notes, meetings and advocacy
log and the programs a manager manages. An integration syncing changes asks only for what changed since its
last call; the filter narrows what the caller may read, never widens it."""

import datetime

import pytest
from django.utils import timezone

from mentora.advocacy.models import AdvocacyAction
from mentora.advocacy.services import advocacy_action_confirm
from mentora.meetings.models import Meeting, MeetingStatus
from mentora.notes.models import Note, NoteVisibility
from mentora.programs.models import Program
from tests.factories import api_headers
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
OLD, RECENT = NOW - datetime.timedelta(days=3), NOW - datetime.timedelta(hours=1)
SINCE = (NOW - datetime.timedelta(days=1)).isoformat()


def note(pair, author, title, updated_at, visibility=NoteVisibility.SHARED):
    created = Note.objects.create(
        relationship=pair,
        author=author,
        updated_by=author,
        visibility=visibility,
        title=title,
        body="…",
    )
    Note.objects.filter(pk=created.pk).update(updated_at=updated_at)
    return created


def meeting(pair, topics, updated_at):
    created = Meeting.objects.create(
        relationship=pair,
        starts_at=NOW - datetime.timedelta(days=7),
        duration_minutes=45,
        status=MeetingStatus.HAPPENED,
        topics=topics,
    )
    Meeting.objects.filter(pk=created.pk).update(updated_at=updated_at)
    return created


def test_notes_changed_since_a_time(client, relationship, alice, bob):
    note(relationship, bob, "old", OLD)
    recent = note(relationship, bob, "recent", RECENT)
    note(relationship, bob, "bob's private", RECENT, visibility=NoteVisibility.PRIVATE)
    url = f"/api/pairs/{relationship.pk}/notes"
    body = client.get(url, {"updated_since": SINCE}, headers=api_headers(alice)).json()
    assert [n["id"] for n in body["results"]] == [recent.pk] and body["count"] == 1
    assert client.get(url, headers=api_headers(alice)).json()["count"] == 2


def test_meetings_changed_since_a_time(client, relationship, alice):
    meeting(relationship, "old", OLD)
    recent = meeting(relationship, "recent", RECENT)
    url = f"/api/pairs/{relationship.pk}/meetings"
    body = client.get(url, {"updated_since": SINCE}, headers=api_headers(alice)).json()
    assert [m["id"] for m in body["results"]] == [recent.pk]
    assert client.get(url, headers=api_headers(alice)).json()["count"] == 2


def action(pair, description, updated_at):
    created = AdvocacyAction.objects.create(
        relationship=pair, kind="introduction", occurred_on=NOW.date(), description=description
    )
    AdvocacyAction.objects.filter(pk=created.pk).update(updated_at=updated_at)
    return created


def test_advocacy_actions_changed_since_a_time(client, relationship, alice):
    action(relationship, "old", OLD)
    recent = action(relationship, "recent", RECENT)
    url = f"/api/advocacy/relationships/{relationship.pk}"
    body = client.get(url, {"updated_since": SINCE}, headers=api_headers(alice)).json()
    assert [a["id"] for a in body["results"]] == [recent.pk] and body["count"] == 1
    assert client.get(url, headers=api_headers(alice)).json()["count"] == 2


def test_confirming_an_advocacy_action_is_a_change_listed_since(client, relationship, alice):
    old = action(relationship, "old", OLD)
    advocacy_action_confirm(action=old, person=alice)
    url = f"/api/advocacy/relationships/{relationship.pk}"
    body = client.get(url, {"updated_since": SINCE}, headers=api_headers(alice)).json()
    assert [a["id"] for a in body["results"]] == [old.pk]


def test_a_time_in_another_offset_names_the_same_instant(client, relationship, alice):
    recent = meeting(relationship, "recent", RECENT)
    since = (RECENT - datetime.timedelta(minutes=1)).astimezone(
        datetime.timezone(datetime.timedelta(hours=-5))
    )
    url = f"/api/pairs/{relationship.pk}/meetings"
    body = client.get(url, {"updated_since": since.isoformat()}, headers=api_headers(alice)).json()
    assert [m["id"] for m in body["results"]] == [recent.pk]


def test_programs_changed_since_a_time(client, org, pam, program):
    older = ProgramFactory(organisation=org, managers=[pam], name="Older")
    Program.objects.filter(pk=older.pk).update(updated_at=OLD)
    Program.objects.filter(pk=program.pk).update(updated_at=RECENT)
    body = client.get("/api/programs/", {"updated_since": SINCE}, headers=api_headers(pam)).json()
    assert [p["id"] for p in body] == [program.pk]
    assert len(client.get("/api/programs/", headers=api_headers(pam)).json()) == 2


@pytest.mark.parametrize("who", ["pam", "olga", "lou", "dora", "charlie"])
@pytest.mark.parametrize("path", ["pairs/{}/notes", "advocacy/relationships/{}"])
def test_the_filter_reads_nothing_more_than_the_list(client, relationship, bob, who, path, request):
    note(relationship, bob, "recent", RECENT)
    action(relationship, "recent", RECENT)
    response = client.get(
        "/api/" + path.format(relationship.pk),
        {"updated_since": SINCE},
        headers=api_headers(request.getfixturevalue(who)),
    )
    assert response.status_code in (403, 404) and "recent" not in response.content.decode()


def test_another_organisations_manager_gets_none_of_the_programs(client, charlie, program):
    Program.objects.filter(pk=program.pk).update(updated_at=RECENT)
    body = client.get("/api/programs/", {"updated_since": SINCE}, headers=api_headers(charlie)).json()
    assert body == []


@pytest.mark.parametrize("value", ["2026-01-01T10:00:00", "yesterday", "2026-13-01T00:00:00Z", "\x00"])
@pytest.mark.parametrize("path", ["notes", "meetings", "programs", "advocacy"])
def test_a_time_without_its_offset_or_no_time_is_refused_naming_the_field(
    client,
    relationship,
    alice,
    pam,
    path,
    value,
):
    url, caller = {
        "programs": ("/api/programs/", pam),
        "advocacy": (f"/api/advocacy/relationships/{relationship.pk}", alice),
    }.get(path, (f"/api/pairs/{relationship.pk}/{path}", alice))
    response = client.get(url, {"updated_since": value}, headers=api_headers(caller))
    assert response.status_code == 422
    assert "updated_since" in str(response.json()["error"])
