"""Retention periods: set by the org admin (page and API), applied daily by the scheduler, each
rule removing only what is past its period, idempotent, with a count per rule."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mentora.agreements.models import Agreement, Reflection
from mentora.audit.models import Action, AuditEvent
from mentora.checkins.models import CheckinAnswer
from mentora.core.roles import viewer_for
from mentora.core.schedule import registered_job
from mentora.demo.org import DEMO_PASSWORD, DEMO_RETENTION_MONTHS
from mentora.goals.models import Goal
from mentora.meetings.models import Meeting
from mentora.notes.models import Note, NoteVisibility
from mentora.notifications.models import DeliveryStatus, SentNotification
from mentora.people.models import PeopleImport
from mentora.privacy import services
from mentora.privacy.models import RetentionPolicy, RetentionRun
from mentora.relationships.models import Relationship, RelationshipStatus
from tests.factories import PersonFactory, api_headers
from tests.privacy.conftest import pair_history
from tests.programs.factories import ProgramFactory
from tests.workspace.fixtures import active_relationship

NOW = datetime.datetime(2026, 6, 15, 3, 0, tzinfo=datetime.UTC)


def set_periods(olga, **months):
    return services.retention_policy_set(actor=viewer_for(olga.user), **months)


def end(relationship, at):
    Relationship.objects.filter(pk=relationship.pk).update(status=RelationshipStatus.ENDED, ended_at=at)


@pytest.fixture
def two_pairs(relationship, other_relationship):
    """Alice and Bob's pair ended 7 months before NOW; Dora and Mo's 2 months before."""
    pair_history(relationship, tag=" old")
    pair_history(other_relationship, tag=" recent")
    end(relationship, NOW - datetime.timedelta(days=7 * 31))
    end(other_relationship, NOW - datetime.timedelta(days=2 * 31))
    return relationship, other_relationship


def test_months_before_keeps_the_day_or_the_months_last():
    assert services.months_before(NOW, 6) == datetime.datetime(2025, 12, 15, 3, 0, tzinfo=datetime.UTC)
    may_31 = datetime.datetime(2026, 5, 31, tzinfo=datetime.UTC)
    assert services.months_before(may_31, 3) == datetime.datetime(2026, 2, 28, tzinfo=datetime.UTC)
    assert services.months_before(may_31, 17) == datetime.datetime(2024, 12, 31, tzinfo=datetime.UTC)


def test_private_notes_go_after_their_period_and_only_then(two_pairs, olga, org):
    old, recent = two_pairs
    set_periods(olga, private_notes_months=6)
    run = services.retention_apply(organisation=org, now=NOW)
    assert run.removed == {"private_notes": 2}
    assert not Note.objects.filter(relationship=old, visibility=NoteVisibility.PRIVATE).exists()
    assert Note.objects.filter(relationship=old, visibility=NoteVisibility.SHARED).count() == 1
    assert Note.objects.filter(relationship=recent, visibility=NoteVisibility.PRIVATE).count() == 2


def test_a_live_relationships_notes_stay(relationship, olga, org):
    pair_history(relationship)
    set_periods(olga, private_notes_months=1, closed_texts_months=1)
    run = services.retention_apply(organisation=org, now=NOW + datetime.timedelta(days=3650))
    assert run.removed == {"private_notes": 0, "closed_texts": 0}
    assert Note.objects.filter(relationship=relationship).count() == 3


def test_free_texts_of_ended_relationships_are_emptied_and_the_figures_stay(two_pairs, olga, org):
    old, recent = two_pairs
    set_periods(olga, closed_texts_months=6)
    run = services.retention_apply(organisation=org, now=NOW)
    assert run.removed["closed_texts"] > 0
    assert Agreement.objects.get(relationship=old).expectations == ""
    assert Goal.objects.get(relationship=old).plan == ""
    meeting = Meeting.objects.get(relationship=old)
    assert meeting.topics == "" and meeting.mentee_rating == 5 and meeting.actual_duration_minutes == 55
    assert CheckinAnswer.objects.get(checkin__relationship=old).blockers == ""
    assert CheckinAnswer.objects.get(checkin__relationship=old).usefulness == 4
    assert not Reflection.objects.filter(relationship=old).exists()
    assert not Note.objects.filter(relationship=old, visibility=NoteVisibility.SHARED).exists()
    assert (
        Note.objects.filter(relationship=old, visibility=NoteVisibility.PRIVATE).count() == 2
    )  # its own rule
    assert Agreement.objects.get(relationship=recent).expectations == "agreed expectations recent"


def test_a_second_run_removes_nothing(two_pairs, olga, org):
    set_periods(
        olga, private_notes_months=6, closed_texts_months=6, job_reports_months=1, notifications_months=1
    )
    first = services.retention_apply(organisation=org, now=NOW)
    assert sum(first.removed.values()) > 0
    second = services.retention_apply(organisation=org, now=NOW)
    assert second.removed == {"private_notes": 0, "closed_texts": 0, "job_reports": 0, "notifications": 0}
    assert RetentionRun.objects.filter(organisation=org).count() == 2


def test_old_import_reports_and_sent_mail_records_go(olga, org, alice):
    old = NOW - datetime.timedelta(days=100)
    PeopleImport.objects.create(
        organisation=org, filename="hr.csv", dry_run=False, status="done", report={"rows": 3}, finished_at=old
    )
    PeopleImport.objects.create(
        organisation=org,
        filename="new.csv",
        dry_run=False,
        status="done",
        report={"rows": 1},
        finished_at=NOW,
    )
    for at in (old, NOW):
        SentNotification.objects.create(
            kind="meeting_reminder",
            object_id=at.day,
            recipient=alice,
            period=at.isoformat(),
            status=DeliveryStatus.SENT,
            claimed_at=at,
            sent_at=at,
        )
    set_periods(olga, job_reports_months=2, notifications_months=2)
    run = services.retention_apply(organisation=org, now=NOW)
    assert run.removed == {"job_reports": 1, "notifications": 1}
    assert PeopleImport.objects.get(filename="").report is None
    assert PeopleImport.objects.get(filename="new.csv").report == {"rows": 1}
    assert SentNotification.objects.get().claimed_at == NOW


def test_an_open_checkins_reminder_record_stays(olga, org, alice, relationship):
    checkin = relationship.checkins.create(respondent=alice, kind="pulse", due_on=NOW.date())
    at = NOW - datetime.timedelta(days=400)
    SentNotification.objects.create(
        kind="checkin_reminder", object_id=checkin.pk, recipient=alice, period="overdue", claimed_at=at
    )
    set_periods(olga, notifications_months=1)
    assert services.retention_apply(organisation=org, now=NOW).removed == {"notifications": 0}


def test_another_organisations_content_is_not_touched(two_pairs, olga, org, other_org, charlie):
    program = ProgramFactory(organisation=other_org, status="running")
    globex = active_relationship(program, charlie, PersonFactory(organisation=other_org))
    pair_history(globex, tag=" globex")
    end(globex, NOW - datetime.timedelta(days=3650))
    set_periods(olga, private_notes_months=1, closed_texts_months=1)
    services.retention_apply(organisation=org, now=NOW)
    assert Note.objects.filter(relationship=globex).count() == 3
    assert Agreement.objects.get(relationship=globex).expectations == "agreed expectations globex"


def test_the_daily_job_runs_every_organisation_with_periods(two_pairs, olga, org):
    job = registered_job("privacy.retention")
    assert job is not None and job.daily_at == datetime.time(2, 30)
    set_periods(olga, private_notes_months=1)
    totals = job.func()
    assert totals == {"private_notes": 4}
    assert job.func() == {"private_notes": 0}
    assert AuditEvent.objects.filter(action=Action.RETENTION_APPLIED).count() == 1


def test_setting_periods_is_audited(olga, org):
    set_periods(olga, private_notes_months=12, notifications_months=None)
    policy = RetentionPolicy.objects.get(organisation=org)
    assert (policy.private_notes_months, policy.notifications_months) == (12, None)
    event = AuditEvent.objects.get(action=Action.RETENTION_CHANGED)
    assert event.details["after"]["private_notes_months"] == 12


@pytest.mark.parametrize("value", [0, -1, 121, 1.5, "6", True])
def test_it_refuses_bad_periods(olga, org, value):
    set_periods(olga, private_notes_months=6)
    with pytest.raises(ValidationError) as refused:
        set_periods(olga, private_notes_months=value)
    assert "private_notes_months" in refused.value.message_dict
    assert RetentionPolicy.objects.get(organisation=org).private_notes_months == 6


@pytest.mark.parametrize("role", ["alice", "pam", "lou", "leo"])
def test_only_org_admins_set_periods(request, role, org):
    with pytest.raises(PermissionDenied):
        set_periods(request.getfixturevalue(role), private_notes_months=6)
    assert not RetentionPolicy.objects.exists()


# ---- the page and the API ----------------------------------------------------------------------


def test_the_org_admin_sets_periods_on_the_page(olga, org, client):
    client.force_login(olga.user)
    page = client.get(reverse("privacy:admin"))
    assert page.status_code == 200
    assert f'href="{reverse("privacy:admin")}"' in client.get(reverse("home")).content.decode()
    response = client.post(
        reverse("privacy:retention"), {"private_notes_months": "6", "job_reports_months": ""}
    )
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(organisation=org)
    assert (policy.private_notes_months, policy.job_reports_months) == (6, None)


@pytest.mark.parametrize("value", ["0", "121", "abc", "2.5"])
def test_the_page_refuses_bad_periods_and_keeps_the_old_ones(olga, org, client, value):
    set_periods(olga, private_notes_months=6)
    client.force_login(olga.user)
    response = client.post(reverse("privacy:retention"), {"private_notes_months": value})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert RetentionPolicy.objects.get(organisation=org).private_notes_months == 6


@pytest.mark.parametrize("role", ["alice", "bob", "pam", "lou", "leo", "charlie"])
def test_nobody_else_sees_or_sets_periods(request, role, olga, client):
    client.force_login(request.getfixturevalue(role).user)
    assert client.get(reverse("privacy:admin")).status_code == 403
    assert client.post(reverse("privacy:retention"), {"private_notes_months": "1"}).status_code == 403
    assert f'href="{reverse("privacy:admin")}"' not in client.get(reverse("home")).content.decode()
    assert not RetentionPolicy.objects.exists()


def test_the_api_reads_and_sets_periods(olga, org, client):
    headers = api_headers(olga)
    assert client.get("/api/privacy/retention", headers=headers).json()["private_notes_months"] is None
    body = {"private_notes_months": 6, "closed_texts_months": 12, "job_reports_months": None}
    response = client.put("/api/privacy/retention", body, content_type="application/json", headers=headers)
    assert response.status_code == 200
    assert response.json()["closed_texts_months"] == 12
    services.retention_apply(organisation=org, now=timezone.now())
    runs = client.get("/api/privacy/retention/runs", headers=headers).json()
    assert runs[0]["removed"] == {"private_notes": 0, "closed_texts": 0}


@pytest.mark.parametrize("value", [0, 121, "six", 2.5, True])
def test_the_api_refuses_bad_periods(olga, org, client, value):
    set_periods(olga, private_notes_months=6)
    response = client.put(
        "/api/privacy/retention",
        {"private_notes_months": value},
        content_type="application/json",
        headers=api_headers(olga),
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert RetentionPolicy.objects.get(organisation=org).private_notes_months == 6


@pytest.mark.parametrize("role", ["alice", "bob", "pam", "lou", "leo", "charlie"])
def test_the_api_refuses_everyone_but_org_admins(request, role, olga, client):
    headers = api_headers(request.getfixturevalue(role))
    assert client.get("/api/privacy/retention", headers=headers).status_code == 403
    response = client.put(
        "/api/privacy/retention",
        {"private_notes_months": 1},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    assert client.get("/api/privacy/retention/runs", headers=headers).status_code == 403
    assert not RetentionPolicy.objects.exists()


def test_the_demo_organisation_has_retention_periods_and_its_mentee_downloads_their_data(db, client):
    call_command("demo_org", "--people", "120", "--seed", "7")
    policy = RetentionPolicy.objects.get(organisation__slug="demo")
    assert {field: getattr(policy, field) for field in DEMO_RETENTION_MONTHS} == DEMO_RETENTION_MONTHS
    client.login(username="mentee@demo.mentora.test", password=DEMO_PASSWORD)
    response = client.get(reverse("privacy:my_data_json"))
    assert response.status_code == 200
    document = response.json()
    assert document["person"]["email"] == "mentee@demo.mentora.test"
    assert document["relationships"] and document["relationships"][0]["meetings"]
    assert client.get(reverse("privacy:my_data")).status_code == 200
