"""Reminders and nudges: the sweep, preferences, idempotency (twice, crash, failure), time zones."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from mentora.checkins.services import checkins_issue_due
from mentora.meetings.models import Meeting, MeetingStatus
from mentora.notifications import services, tasks
from mentora.notifications.models import DeliveryStatus, NotificationKind, SentNotification
from mentora.notifications.selectors import preferences_for
from mentora.relationships.models import Relationship
from tests.factories import api_headers

START = datetime.datetime(2031, 1, 1, 9, tzinfo=datetime.UTC)
# British Summer Time starts on Sunday 30 March 2031; New York has been on EDT since 9 March.
NOW = datetime.datetime(2031, 3, 30, 12, tzinfo=datetime.UTC)
MEETING_AT = datetime.datetime(2031, 3, 31, 9, tzinfo=datetime.UTC)


class WorkerKilled(BaseException):
    """Stands for the process dying (SIGKILL, OOM, deploy) in the middle of a send."""


@pytest.fixture
def pair(relationship, alice, bob):
    """Alice in London, Bob in New York; together since January, never met; a meeting tomorrow."""
    alice.time_zone = "Europe/London"
    alice.save()
    bob.time_zone = "America/New_York"
    bob.save()
    Relationship.objects.filter(pk=relationship.pk).update(started_at=START)
    relationship.refresh_from_db()
    meeting = Meeting.objects.create(relationship=relationship, starts_at=MEETING_AT, duration_minutes=45)
    return relationship, meeting


def outbox(kind_subject: str):
    return sorted((m.to[0], m.subject) for m in mail.outbox if kind_subject in m.subject)


def sweep(**kwargs):
    with freeze_time(NOW):
        return services.reminders_sweep(inline=True, **kwargs)


def test_one_sweep_sends_each_reminder_once_and_a_second_sweep_sends_nothing(pair, alice, bob):
    report = sweep()
    assert (report.meeting_reminders, report.silent_nudges) == (1, 1)
    assert report.checkins_issued == 2 and report.checkin_reminders == 2
    assert outbox("Reminder: meeting") == [
        (alice.email, "Reminder: meeting with Bob Baker"),
        (bob.email, "Reminder: meeting with Alice Archer"),
    ]
    assert len(outbox("It has been a while")) == 2
    assert len(outbox("check-in")) == 2
    first = len(mail.outbox)
    assert first == 6

    sweep()
    assert len(mail.outbox) == first
    assert SentNotification.objects.filter(status=DeliveryStatus.SENT).count() == first


def test_enqueued_tasks_run_twice_send_once(pair, immediate_tasks):
    with freeze_time(NOW):
        services.reminders_sweep()
        services.reminders_sweep()
        sent = len(mail.outbox)
        # A restarted worker picks the same task up again.
        tasks.send_meeting_reminders.call([pair[1].pk])
    assert sent == 6 and len(mail.outbox) == 6


def test_the_default_backend_queues_tasks_for_the_worker(pair):
    with freeze_time(NOW):
        out = StringIO()
        call_command("send_reminders", stdout=out)
    assert "meeting reminders: 1" in out.getvalue()
    assert (
        DBTaskResult.objects.filter(task_path="mentora.notifications.tasks.send_meeting_reminders").count()
        == 1
    )
    assert mail.outbox == []


def test_the_command_sends_inline_without_a_worker(pair):
    with freeze_time(NOW):
        call_command("send_reminders", "--inline", stdout=StringIO())
    assert len(outbox("Reminder: meeting")) == 2


def test_a_crash_between_claim_and_send_is_never_resent(pair, alice, bob):
    """At most once: the claim is committed before sending; if the worker dies we cannot know
    whether the email left, so the claim is not retried (and is listed for an operator)."""
    with (
        mock.patch("mentora.notifications.services.send_mail", side_effect=WorkerKilled),
        pytest.raises(WorkerKilled),
    ):
        sweep()
    stuck = SentNotification.objects.get()
    assert stuck.status == DeliveryStatus.CLAIMED and stuck.kind == NotificationKind.MEETING_REMINDER
    sweep()  # the restarted worker
    reminded = {m.to[0] for m in mail.outbox if m.subject.startswith("Reminder: meeting")}
    assert stuck.recipient.email not in reminded
    assert len(reminded) == 1  # the other side's reminder did go out
    assert SentNotification.objects.get(pk=stuck.pk).status == DeliveryStatus.CLAIMED  # left for an operator


def test_a_failed_send_is_retried_by_the_next_sweep_up_to_a_limit(pair):
    with mock.patch(
        "mentora.notifications.services.send_mail", side_effect=ConnectionRefusedError("smtp down")
    ):
        sweep()
    assert mail.outbox == []
    failed = SentNotification.objects.filter(status=DeliveryStatus.FAILED)
    assert failed.count() == 6 and "smtp down" in failed.first().error
    sweep()
    assert len(mail.outbox) == 6
    assert set(SentNotification.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 2)}


def test_a_key_is_claimed_once(alice):
    first = services.notification_claim(kind="meeting_reminder", object_id=1, recipient=alice, period="p")
    assert first is not None
    assert (
        services.notification_claim(kind="meeting_reminder", object_id=1, recipient=alice, period="p") is None
    )
    assert services.notification_claim(kind="meeting_reminder", object_id=1, recipient=alice, period="q")


def test_a_rescheduled_meeting_is_reminded_again(pair):
    sweep()
    Meeting.objects.filter(pk=pair[1].pk).update(starts_at=MEETING_AT + datetime.timedelta(hours=2))
    sweep()
    assert len(outbox("Reminder: meeting")) == 4


def test_cancelled_meetings_and_ended_pairs_get_nothing(pair):
    Meeting.objects.filter(pk=pair[1].pk).update(status=MeetingStatus.CANCELLED)
    with freeze_time(NOW):
        assert services.meeting_reminder_send(meeting_id=pair[1].pk) == 0
    Relationship.objects.filter(pk=pair[0].pk).update(status="ended", ended_at=NOW)
    mail.outbox.clear()
    sweep()
    assert mail.outbox == []


def test_preferences_are_respected(pair, alice, bob):
    services.preferences_update(person=alice, meeting_reminder=False, silent_pair_nudge=False)
    services.preferences_update(person=bob, checkin_reminder=False)
    sweep()
    assert [to for to, _ in outbox("Reminder: meeting")] == [bob.email]
    assert [to for to, _ in outbox("It has been a while")] == [bob.email]
    assert [to for to, _ in outbox("check-in")] == [alice.email]


def test_times_are_in_each_recipients_time_zone_across_the_dst_change(pair, alice, bob):
    sweep()
    bodies = {m.to[0]: m.body for m in mail.outbox if m.subject.startswith("Reminder: meeting")}
    assert "Monday 31 March 2031, 10:00 (BST, Europe/London)" in bodies[alice.email]
    assert "Monday 31 March 2031, 05:00 (EDT, America/New_York)" in bodies[bob.email]
    assert "45 minutes" in bodies[alice.email]
    # The same wall-clock meeting a day before British Summer Time: GMT in London.
    before = datetime.datetime(2031, 3, 29, 9, tzinfo=datetime.UTC)
    Meeting.objects.filter(pk=pair[1].pk).update(starts_at=before)
    mail.outbox.clear()
    with freeze_time(before - datetime.timedelta(hours=20)):
        services.meeting_reminder_send(meeting_id=pair[1].pk)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Saturday 29 March 2031, 09:00 (GMT, Europe/London)" in bodies[alice.email]
    assert "Saturday 29 March 2031, 05:00 (EDT, America/New_York)" in bodies[bob.email]


def test_a_checkin_reminder_links_to_the_answer_page_and_says_overdue_later(pair, alice):
    with freeze_time(NOW):
        checkins_issue_due()
    sweep()
    reminder = next(m for m in mail.outbox if m.to == [alice.email] and "check-in" in m.subject)
    assert "/checkins/" in reminder.body and "only you see your answers" in reminder.body
    mail.outbox.clear()
    with freeze_time(NOW + datetime.timedelta(days=10)):
        services.reminders_sweep(inline=True)
    assert [m.subject for m in mail.outbox if m.to == [alice.email] and "check-in" in m.subject] == [
        "Your check-in is overdue"
    ]


# ---- the preferences page and API ------------------------------------------------------------


def test_the_preferences_page_is_in_the_account_menu_and_saves(client, alice):
    client.force_login(alice.user)
    home = client.get(reverse("home")).content.decode()
    assert reverse("notifications:preferences") in home
    response = client.post(reverse("notifications:preferences"), {"checkin_reminder": "on"}, follow=True)
    assert "Your email preferences are saved" in response.content.decode()
    preference = preferences_for(person=alice)
    assert (preference.checkin_reminder, preference.meeting_reminder) == (True, False)


def test_preferences_api_is_per_person(client, alice, bob):
    headers = api_headers(alice)
    body = {
        "meeting_reminder": False,
        "silent_pair_nudge": True,
        "checkin_reminder": True,
        "relationship_update": False,
    }
    response = client.put(
        "/api/notifications/preferences", body, content_type="application/json", headers=headers
    )
    assert response.json() == body
    assert (
        client.put(
            "/api/notifications/preferences",
            {"meeting_reminder": "maybe"},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 422
    )
    other = client.get("/api/notifications/preferences", headers=api_headers(bob)).json()
    assert other["meeting_reminder"] is True
