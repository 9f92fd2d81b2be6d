"""The audit log's one write, `record`, and its append-only rule (ORM everywhere, raw SQL on PostgreSQL)."""

import io
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import RequestFactory
from django.utils import timezone
from freezegun import freeze_time

from mentora.audit.models import Action, AppendOnlyError, AuditEvent
from mentora.audit.services import REDACTED, events_purge, events_redact_person, record
from mentora.core.roles import viewer_for

pytestmark = pytest.mark.django_db


def test_it_records_actor_target_organisation_and_request(olga, alice):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox/140")
    event = record(
        action=Action.ROLES_CHANGED,
        actor=viewer_for(olga.user),
        target=alice,
        details={"added": ["program_manager"]},
        request=request,
    )
    event.refresh_from_db()
    assert (event.organisation_id, event.actor_person_id, event.actor_user_id) == (
        olga.organisation_id,
        olga.pk,
        olga.user_id,
    )
    assert (event.actor_label, event.target_type, event.target_id, event.target_label) == (
        "Olga Owner",
        "people.person",
        str(alice.pk),
        str(alice),
    )
    assert (event.ip_address, event.user_agent) == ("203.0.113.9", "Firefox/140")
    assert event.details == {"added": ["program_manager"]}
    assert event.created_at.utcoffset() == timedelta(0)


def test_it_takes_the_actor_from_a_person_or_a_user(olga, alice):
    assert record(action=Action.SIGN_IN, actor=olga).actor_user_id == olga.user_id
    by_user = record(action=Action.SIGN_IN, actor=alice.user)
    assert (by_user.actor_person_id, by_user.organisation_id) == (alice.pk, alice.organisation_id)


def test_a_system_event_takes_the_targets_organisation(alice):
    event = record(action=Action.PERSON_DEACTIVATED, target=alice)
    assert (event.organisation_id, event.actor_label) == (alice.organisation_id, "")


def test_it_refuses_an_unknown_action_and_details_that_are_not_an_object(alice):
    with pytest.raises(ValueError, match="Unknown audit action"):
        record(action="people.teleported", actor=alice)
    with pytest.raises(TypeError):
        record(action=Action.SIGN_IN, actor=alice, details=["not", "a", "dict"])
    assert not AuditEvent.objects.exclude(action=Action.RECORD_CHANGED).exists()


def test_an_address_that_is_not_an_ip_is_left_out(alice):
    request = RequestFactory().get("/", REMOTE_ADDR="unix-socket")
    assert record(action=Action.SIGN_IN, actor=alice, request=request).ip_address is None


def test_the_orm_refuses_to_change_or_delete_an_event(alice):
    event = record(action=Action.SIGN_IN, actor=alice)
    event.action = Action.SIGN_OUT
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.SIGN_OUT)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])
    event.refresh_from_db()
    assert event.action == Action.SIGN_IN


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'auth.sign_out'",
        "UPDATE audit_auditevent SET actor_label = 'someone else'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_postgresql_refuses_raw_updates_and_deletes(alice, sql):
    event = record(action=Action.SIGN_IN, actor=alice)
    before = AuditEvent.objects.count()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    event.refresh_from_db()
    assert (event.action, event.actor_label, AuditEvent.objects.count()) == (
        Action.SIGN_IN,
        "Alice Archer",
        before,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_lets_a_redaction_blank_names_but_never_change_what_happened(alice):
    event = record(action=Action.SIGN_IN, actor=alice)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT set_config('mentora.audit_redact', 'on', true)")
        cursor.execute("UPDATE audit_auditevent SET action = 'auth.sign_out'")
    event.refresh_from_db()
    assert event.action == Action.SIGN_IN


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_lets_a_purge_delete_only_older_events(alice):
    record(action=Action.SIGN_IN, actor=alice)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT set_config('mentora.audit_purge_before', '2000-01-01T00:00:00+00:00', true)")
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(action=Action.SIGN_IN).count() == 1


def test_redaction_blanks_the_persons_names_address_and_personal_details(olga, alice, bob):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox/140")
    by_alice = record(action=Action.SIGN_IN, actor=alice, request=request, details={"login": "alice@x"})
    to_alice = record(
        action=Action.EMAIL_CHANGED,
        actor=olga,
        target=alice,
        request=request,
        details={"old_email": "a@x", "n": 1},
    )
    untouched = record(action=Action.SIGN_IN, actor=bob, request=request)
    created = AuditEvent.objects.get(
        action=Action.RECORD_CHANGED, target_type="people.person", target_id=alice.pk
    )
    assert "Alice Archer" in str(created.details["changes"])
    role = AuditEvent.objects.get(
        target_type="organisations.rolemembership", target_label__contains="Alice Archer"
    )

    assert events_redact_person(person=alice) == 4

    by_alice.refresh_from_db()
    assert (by_alice.actor_label, by_alice.ip_address, by_alice.user_agent) == (REDACTED, None, "")
    assert by_alice.details == {"login": REDACTED}
    assert (by_alice.action, by_alice.actor_person_id) == (Action.SIGN_IN, alice.pk)
    to_alice.refresh_from_db()
    assert (to_alice.actor_label, to_alice.target_label, to_alice.ip_address) == (
        "Olga Owner",
        REDACTED,
        "203.0.113.9",
    )
    assert to_alice.details == {"old_email": REDACTED, "n": 1}
    untouched.refresh_from_db()
    assert untouched.actor_label == "Bob Baker"
    created.refresh_from_db()
    assert (created.target_label, created.details["changes"], created.details["operation"]) == (
        REDACTED,
        REDACTED,
        "create",
    )
    role.refresh_from_db()
    assert "Alice Archer" not in role.target_label and REDACTED in role.target_label
    assert not LogEntry.objects.get_for_object(alice).exists()


def test_a_purge_deletes_only_events_older_than_the_cut_off(alice):
    record(action=Action.SIGN_IN, actor=alice)
    everything = AuditEvent.objects.count()
    assert events_purge(before=timezone.now() - timedelta(days=1)) == 0
    assert events_purge(before=timezone.now() + timedelta(seconds=1)) == everything
    assert not AuditEvent.objects.exists()


def test_the_purge_command_keeps_the_retention_period(settings, alice):
    with freeze_time(timezone.now() - timedelta(days=40)):
        old = record(action=Action.SIGN_IN, actor=alice)
    recent = record(action=Action.SIGN_OUT, actor=alice)

    settings.AUDIT_RETENTION_DAYS = 0
    call_command("audit_purge", stdout=io.StringIO())
    assert AuditEvent.objects.filter(pk=old.pk).exists()

    settings.AUDIT_RETENTION_DAYS = 30
    out = io.StringIO()
    call_command("audit_purge", stdout=out)
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    assert "older than 30 days deleted" in out.getvalue()
