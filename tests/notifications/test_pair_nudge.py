"""Issue 9 §3.14: the at-risk list links each pair to its manager summary (dates and counts, never
private content), shows its last meeting and offers a nudge of both sides: e-mailed through the
notifications ledger, logged with who and when, at most once a week per pair, for the program's
managers only (page and API)."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentora.checkins.models import Checkin, CheckinAnswer, CheckinKind, CheckinStatus
from mentora.goals.services import goal_create
from mentora.meetings.models import Meeting, MeetingStatus
from mentora.notes.services import note_create
from mentora.notifications import nudges
from mentora.notifications.models import PairNudge
from mentora.notifications.services import preferences_update
from mentora.organisations.models import Role
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus
from tests.factories import PersonFactory, api_headers
from tests.programs.factories import ProgramFactory

SECRET = "PRIVATE-CONTENT-of-the-pair"


@pytest.fixture
def after_commit(immediate_tasks, django_capture_on_commit_callbacks):
    """The nudge's e-mails leave from a task queued after commit: `with after_commit():` runs both."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def quiet_pair(relationship):
    """Bob and Alice started long ago and last met ten weeks ago: the at-risk list shows them."""
    long_ago = timezone.now() - datetime.timedelta(weeks=30)
    Relationship.objects.filter(pk=relationship.pk).update(started_at=long_ago)
    Meeting.objects.create(
        relationship=relationship,
        starts_at=datetime.datetime(2026, 9, 22, 9, tzinfo=datetime.UTC),
        duration_minutes=30,
        status=MeetingStatus.HAPPENED,
    )
    relationship.refresh_from_db()
    return relationship


def nudge_page(client, person, relationship):
    client.force_login(person.user)
    return client.post(reverse("notifications:pair_nudge", args=[relationship.pk]), follow=True)


def nudge_api(client, person, relationship):
    return client.post(f"/api/notifications/pairs/{relationship.pk}/nudge", headers=api_headers(person))


def test_the_at_risk_list_links_the_summary_shows_the_last_meeting_and_offers_a_nudge(
    client, program, quiet_pair, pam
):
    client.force_login(pam.user)
    text = client.get(reverse("checkins:at_risk", args=[program.pk])).content.decode()
    summary_url = reverse("checkins:pair", args=[program.pk, quiet_pair.pk])
    assert f'<a href="{summary_url}"><bdi>Alice Archer</bdi></a>' in text
    assert "22 September 2026" in text
    assert f'action="{reverse("notifications:pair_nudge", args=[quiet_pair.pk])}"' in text
    listed = client.get(f"/api/checkins/programs/{program.pk}/at-risk", headers=api_headers(pam)).json()
    assert listed[0]["relationship_id"] == quiet_pair.pk
    assert listed[0]["last_met_at"].startswith("2026-09-22T09:00:00")


def test_the_summary_shows_dates_and_counts_and_nothing_private(client, program, quiet_pair, pam, alice, bob):
    goal_create(
        relationship=quiet_pair,
        person=alice,
        title=SECRET,
        measure=SECRET,
        plan=SECRET,
        relevance=SECRET,
        target_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    note_create(relationship=quiet_pair, person=bob, visibility="shared", body=SECRET, title=SECRET)
    checkin = Checkin.objects.create(
        relationship=quiet_pair,
        respondent=alice,
        kind=CheckinKind.PULSE,
        due_on=timezone.localdate(),
        status=CheckinStatus.ANSWERED,
        answered_at=timezone.now(),
    )
    CheckinAnswer.objects.create(
        checkin=checkin, usefulness=2, meeting_frequency="monthly", blockers=SECRET, tell_program_manager=True
    )
    client.force_login(pam.user)
    text = client.get(reverse("checkins:pair", args=[program.pk, quiet_pair.pk])).content.decode()
    assert "<dt>Meetings held</dt><dd>1</dd>" in text
    assert "<dt>Last meeting</dt><dd>22 September 2026</dd>" in text
    assert "<dt>Goals in progress / achieved</dt><dd>1 / 0</dd>" in text
    assert "<dt>Check-ins answered / waiting</dt><dd>1 / 0</dd>" in text
    assert "No meeting for a while" in text and "Asked the program manager for help" in text
    assert SECRET not in text


def test_a_manager_nudges_both_sides_once_a_week(client, program, quiet_pair, pam, alice, bob, after_commit):
    with after_commit():
        response = nudge_page(client, pam, quiet_pair)
    assert response.redirect_chain[-1][0] == reverse("checkins:at_risk", args=[program.pk])
    assert "Alice Archer and Bob Baker are asked by e-mail how it is going." in response.content.decode()
    nudge = PairNudge.objects.get()
    assert (nudge.relationship, nudge.sent_by) == (quiet_pair, pam)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([alice.email, bob.email])
    assert "Pam Planner" in mail.outbox[0].body and program.name in mail.outbox[0].body

    response = nudge_page(client, pam, quiet_pair)
    assert "This pair was nudged on" in response.content.decode()
    assert PairNudge.objects.count() == 1 and len(mail.outbox) == 2
    response = nudge_api(client, pam, quiet_pair)
    assert response.status_code == 409 and response.json()["error"]["code"] == "too_soon"

    later = timezone.now() + nudges.NUDGE_INTERVAL + datetime.timedelta(minutes=1)
    with after_commit():
        nudges.pair_nudge_create(relationship=quiet_pair, actor=pam, now=later)
    assert PairNudge.objects.count() == 2 and len(mail.outbox) == 4


def test_the_nudge_respects_who_turned_nudges_off(client, quiet_pair, pam, alice, bob, after_commit):
    preferences_update(person=alice, silent_pair_nudge=False)
    with after_commit():
        nudge_page(client, pam, quiet_pair)
    assert [message.to[0] for message in mail.outbox] == [bob.email]


def test_the_api_nudges_and_refuses_an_ended_pair(client, quiet_pair, pam):
    response = nudge_api(client, pam, quiet_pair)
    assert response.status_code == 201
    assert response.json()["relationship_id"] == quiet_pair.pk and response.json()["sent_by_id"] == pam.pk
    Relationship.objects.filter(pk=quiet_pair.pk).update(
        status=RelationshipStatus.ENDED, ended_at=timezone.now()
    )
    PairNudge.objects.all().delete()
    response = nudge_api(client, pam, quiet_pair)
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_active"
    assert not PairNudge.objects.exists()


def test_bad_ids_and_methods(client, quiet_pair, pam):
    client.force_login(pam.user)
    assert client.get(reverse("notifications:pair_nudge", args=[quiet_pair.pk])).status_code == 405
    assert client.post(reverse("notifications:pair_nudge", args=[987654])).status_code == 404
    assert client.post("/api/notifications/pairs/987654/nudge", headers=api_headers(pam)).status_code == 404
    assert client.post(f"/api/notifications/pairs/{2**63}/nudge", headers=api_headers(pam)).status_code == 422
    assert client.get(reverse("checkins:pair", args=[quiet_pair.program_id, 987654])).status_code == 404
    assert not PairNudge.objects.exists()


def test_nobody_but_the_programs_managers_nudges_or_reads_the_summary(
    client, org, other_org, program, quiet_pair, alice, bob, lou, leo, dora, olga, charlie
):
    quinn = PersonFactory(organisation=org, roles=[Role.PROGRAM_MANAGER])
    ProgramFactory(organisation=org, managers=[quinn])
    globex_admin = PersonFactory(organisation=other_org, roles=[Role.ORG_ADMIN])
    summary = reverse("checkins:pair", args=[program.pk, quiet_pair.pk])
    for person in (alice, bob, lou, leo, dora, quinn, charlie, globex_admin):
        client.force_login(person.user)
        assert client.get(summary).status_code == 404, person
        assert client.post(reverse("notifications:pair_nudge", args=[quiet_pair.pk])).status_code == 404, (
            person
        )
        assert nudge_api(client, person, quiet_pair).status_code == 404, person
    assert not PairNudge.objects.exists()
    client.force_login(olga.user)
    assert client.get(summary).status_code == 200
    assert nudge_api(client, olga, quiet_pair).status_code == 201


def test_the_at_risk_list_takes_the_same_queries_for_more_pairs(client, org, program, quiet_pair, pam, bob):
    def quiet_pairs(count):
        long_ago = timezone.now() - datetime.timedelta(weeks=30)
        for _ in range(count):
            relationship = Relationship.objects.create(
                program=program,
                mentor=bob,
                mentee=PersonFactory(organisation=org),
                origin=RelationshipOrigin.MANUAL,
                ends_on=program.ends_on,
                status=RelationshipStatus.ACTIVE,
                started_at=long_ago,
                mentor_consented_at=long_ago,
                mentee_consented_at=long_ago,
            )
            Meeting.objects.create(
                relationship=relationship,
                starts_at=long_ago,
                duration_minutes=30,
                status=MeetingStatus.HAPPENED,
            )

    client.force_login(pam.user)
    url = reverse("checkins:at_risk", args=[program.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    quiet_pairs(6)
    with CaptureQueriesContext(connection) as many:
        text = client.get(url).content.decode()
    assert text.count("Nudge both") == 7
    assert len(many) == len(few)
