"""Sending reminders and updates exactly as people asked, and never twice.

Idempotency: before an email goes out, its key (kind, object id, recipient, period) is claimed by
inserting a SentNotification row; the unique constraint makes the insert the lock. A second
sweep, a task enqueued twice or a restarted worker finds the row and sends nothing.

Semantics — at most once. If the worker dies after the claim and before the send completes, the
row stays "claimed" and is never retried, because we cannot know whether the email left. When the
email backend raises, we do know it did not go out: the row is marked "failed" and the next sweep
may claim it again (up to MAX_ATTEMPTS). See docs/reminders.md.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from mentora.checkins.models import Checkin, CheckinKind, CheckinStatus
from mentora.checkins.selectors import checkins_to_remind, silent_pairs_everywhere
from mentora.checkins.services import checkins_issue_due
from mentora.core.batches import chunks
from mentora.core.text import one_line
from mentora.meetings.models import Meeting, MeetingStatus
from mentora.meetings.selectors import meetings_starting_between
from mentora.notifications import emails
from mentora.notifications.models import (
    MANDATORY_KINDS,
    DeliveryStatus,
    NotificationKind,
    NotificationPreference,
    SentNotification,
)
from mentora.notifications.selectors import preferences_for
from mentora.people.models import Person
from mentora.programs.models import Invitation, ProgramStatus
from mentora.programs.tasks import invitation_emails_task
from mentora.relationships.events import PAIRING_EVENTS
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
MEETING_REMINDER_LEAD = timedelta(hours=24)
# Reminders a sweep hands to one task.
REMINDER_BATCH = 500

# ------------------------------------------------------------------------------------ preferences


def preferences_update(*, person: Person, **wants: bool) -> NotificationPreference:
    unknown = set(wants) - (set(NotificationKind.values) - MANDATORY_KINDS)
    if unknown:
        raise ValueError(f"Unknown notification kinds: {sorted(unknown)}")
    preference, _created = NotificationPreference.objects.update_or_create(
        person=person, defaults={kind: bool(value) for kind, value in wants.items()}
    )
    return preference


# ------------------------------------------------------------------------------------ the ledger


def notification_claim(
    *, kind: str, object_id: int, recipient: Person, period: str, now: datetime | None = None
) -> SentNotification | None:
    """Claim the right to send this email; None when it was sent or is being sent already.

    The insert commits on its own (autocommit) before the caller sends, so a concurrent worker
    sees it; a failed earlier attempt is re-claimed with a conditional update.
    """
    now = now or timezone.now()
    key = {"kind": kind, "object_id": object_id, "recipient": recipient, "period": period}
    try:
        with transaction.atomic():
            return SentNotification.objects.create(**key, claimed_at=now)
    except IntegrityError:
        pass
    row = SentNotification.objects.filter(**key).first()
    if row is None or row.status != DeliveryStatus.FAILED or row.attempts >= MAX_ATTEMPTS:
        return None
    reclaimed = SentNotification.objects.filter(
        pk=row.pk, status=DeliveryStatus.FAILED, attempts=row.attempts
    ).update(status=DeliveryStatus.CLAIMED, attempts=F("attempts") + 1, claimed_at=now)
    return SentNotification.objects.get(pk=row.pk) if reclaimed else None


def notification_deliver(
    *, kind: str, object_id: int, recipient: Person, period: str, compose: Callable[[], tuple[str, str]]
) -> bool:
    """Send one email if the recipient wants this kind and nobody claimed it yet. True if sent."""
    if not preferences_for(person=recipient).wants(kind):
        return False
    claim = notification_claim(kind=kind, object_id=object_id, recipient=recipient, period=period)
    if claim is None:
        return False
    try:
        subject, body = compose()
        send_mail(one_line(subject), body, None, [recipient.email], fail_silently=False)
    except Exception as error:
        SentNotification.objects.filter(pk=claim.pk, status=DeliveryStatus.CLAIMED).update(
            status=DeliveryStatus.FAILED, error=str(error)[:500]
        )
        logger.exception("Sending %s %s to person %s failed", kind, object_id, recipient.pk)
        return False
    SentNotification.objects.filter(pk=claim.pk).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
    return True


# ------------------------------------------------------------------------------------ the emails


def _sides(relationship: Relationship):
    return ((relationship.mentor, relationship.mentee), (relationship.mentee, relationship.mentor))


def _deliver_to_both(
    relationship: Relationship,
    *,
    kind: str,
    object_id: int,
    period: str,
    compose: Callable[[Person, Person], tuple[str, str]],
) -> int:
    """One email to each side of the pair, composed for its recipient and their partner; how many left."""
    return sum(
        notification_deliver(
            kind=kind,
            object_id=object_id,
            recipient=recipient,
            period=period,
            compose=lambda recipient=recipient, partner=partner: compose(recipient, partner),
        )
        for recipient, partner in _sides(relationship)
    )


def meeting_reminder_send(*, meeting_id: int, now: datetime | None = None) -> int:
    """Remind both sides of a meeting in the next 24 hours. The period is the meeting's start, so
    a rescheduled meeting is reminded again and an unchanged one never twice."""
    now = now or timezone.now()
    meeting = (
        Meeting.objects.filter(pk=meeting_id, relationship__status=RelationshipStatus.ACTIVE)
        .select_related("relationship__mentor", "relationship__mentee")
        .first()
    )
    if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
        return 0
    if not now <= meeting.starts_at <= now + MEETING_REMINDER_LEAD:
        return 0
    return _deliver_to_both(
        meeting.relationship,
        kind=NotificationKind.MEETING_REMINDER,
        object_id=meeting.pk,
        period=meeting.starts_at.isoformat(),
        compose=lambda recipient, partner: emails.meeting_reminder(
            recipient=recipient,
            partner=partner,
            starts_at=meeting.starts_at,
            duration_minutes=meeting.duration_minutes,
            relationship_id=meeting.relationship_id,
        ),
    )


def silent_pair_nudge_send(*, relationship_id: int, weeks: int, period: str) -> int:
    relationship = (
        Relationship.objects.filter(pk=relationship_id, status=RelationshipStatus.ACTIVE)
        .select_related("mentor", "mentee")
        .first()
    )
    if relationship is None:
        return 0
    return _deliver_to_both(
        relationship,
        kind=NotificationKind.SILENT_PAIR_NUDGE,
        object_id=relationship.pk,
        period=period,
        compose=lambda recipient, partner: emails.silent_pair_nudge(
            recipient=recipient, partner=partner, weeks=weeks, relationship_id=relationship.pk
        ),
    )


def checkin_reminder_send(*, checkin_id: int, overdue: bool) -> int:
    checkin = (
        Checkin.objects.filter(pk=checkin_id, status=CheckinStatus.PENDING)
        .select_related("respondent", "relationship__mentor", "relationship__mentee")
        .first()
    )
    if checkin is None:
        return 0
    relationship = checkin.relationship
    partner = relationship.partner_of(checkin.respondent)
    return int(
        notification_deliver(
            kind=NotificationKind.CHECKIN_REMINDER,
            object_id=checkin.pk,
            recipient=checkin.respondent,
            period="overdue" if overdue else "due",
            compose=lambda: emails.checkin_reminder(
                recipient=checkin.respondent,
                partner=partner,
                kind_label=str(CheckinKind(checkin.kind).label),
                due_on=checkin.due_on,
                overdue=overdue,
                checkin_id=checkin.pk,
            ),
        )
    )


def relationship_update_send(*, relationship_id: int, recipient_id: int, event: str, period: str) -> int:
    relationship = (
        Relationship.objects.select_related("mentor", "mentee", "program").filter(pk=relationship_id).first()
    )
    if relationship is None or recipient_id not in (relationship.mentor_id, relationship.mentee_id):
        return 0
    recipient, partner = next(pair for pair in _sides(relationship) if pair[0].pk == recipient_id)
    detail = relationship.ends_on.isoformat() if event == "extended" else ""
    return int(
        notification_deliver(
            kind=NotificationKind.RELATIONSHIP_UPDATE,
            object_id=relationship.pk,
            recipient=recipient,
            period=f"{event}:{period}",
            compose=lambda: emails.relationship_update(
                recipient=recipient,
                partner=partner,
                event=event,
                relationship_id=relationship.pk,
                detail=detail,
            ),
        )
    )


def notify_relationship_update(*, relationship_id: int, recipient_id: int, event: str, period: str) -> None:
    """Queue an update email to one side once the current transaction commits (none if it rolls back)."""
    from mentora.notifications.tasks import send_relationship_update

    transaction.on_commit(
        lambda: send_relationship_update.enqueue(relationship_id, recipient_id, event, period)
    )


def pairing_news_send(*, relationship_id: int, event: str) -> int:
    """Tell both sides that their pairing was proposed, started, declined or withdrawn (always sent)."""
    relationship = (
        Relationship.objects.select_related("mentor", "mentee", "program").filter(pk=relationship_id).first()
    )
    if relationship is None or event not in PAIRING_EVENTS:
        return 0
    return _deliver_to_both(
        relationship,
        kind=NotificationKind.PAIRING,
        object_id=relationship.pk,
        period=event,
        compose=lambda recipient, partner: emails.pairing_news(
            recipient=recipient,
            partner=partner,
            event=event,
            program_id=relationship.program_id,
            program_name=relationship.program.name,
            requested=relationship.origin == RelationshipOrigin.MENTEE_REQUEST,
            mentor_side=recipient.pk == relationship.mentor_id,
        ),
    )


def pairing_news_queue(*, relationship_ids: list[int], event: str, **_signal) -> None:
    """Receiver of `relationships.events.pairing_changed` (already after commit): one task for the
    lot, so publishing a whole run queues one row, not one per pair."""
    from mentora.notifications.tasks import send_pairing_news

    send_pairing_news.enqueue(relationship_ids, event)


# ------------------------------------------------------------------------------------ the sweep


@dataclass(frozen=True)
class SweepReport:
    checkins_issued: int
    meeting_reminders: int
    silent_nudges: int
    checkin_reminders: int
    retried: int


def reminders_sweep(*, now: datetime | None = None, inline: bool = False) -> SweepReport:
    """One pass for cron: issue due check-ins, then queue (or, inline, send) every reminder that
    is due. Safe to run as often as you like: each email is claimed once (see the module doc).

    Set-based: a fixed number of queries whatever the number of pairs, and the reminders go out
    REMINDER_BATCH to a task, so ten thousand pairs queue a few dozen tasks, not one per pair."""
    from mentora.notifications import tasks

    now = now or timezone.now()
    today = timezone.localdate(now)
    issued = checkins_issue_due(today=today)

    def run(task, *args) -> None:
        if inline:
            task.call(*args)
        else:
            task.enqueue(*args)

    def run_in_batches(task, items: list) -> None:
        for batch in chunks(items, REMINDER_BATCH):
            run(task, list(batch))

    meeting_ids = list(
        meetings_starting_between(start=now, end=now + MEETING_REMINDER_LEAD)
        .select_related(None)
        .values_list("pk", flat=True)
    )
    run_in_batches(tasks.send_meeting_reminders, meeting_ids)

    # One nudge per `weeks`-long window of silence, counted from the relationship's start.
    nudges = [
        [
            pair.relationship_id,
            pair.weeks,
            f"{pair.weeks}w:{(now - pair.started_at).days // (7 * pair.weeks)}",
        ]
        for pair in silent_pairs_everywhere(now=now)
    ]
    run_in_batches(tasks.send_silent_pair_nudges, nudges)

    checkin_reminders = checkins_to_remind(today=today)
    run_in_batches(tasks.send_checkin_reminders, checkin_reminders)

    # Reminders above are found again by their own query; a one-off update or pairing news is
    # found again only here, from its failed ledger row (bounded by MAX_ATTEMPTS).
    failed = SentNotification.objects.filter(
        status=DeliveryStatus.FAILED,
        attempts__lt=MAX_ATTEMPTS,
        kind__in=[NotificationKind.PAIRING, NotificationKind.RELATIONSHIP_UPDATE],
    ).values_list("kind", "object_id", "recipient_id", "period")
    pairing_retries, update_retries = set(), set()
    for kind, object_id, recipient_id, period in failed:
        if kind == NotificationKind.PAIRING:
            pairing_retries.add((object_id, period))  # one task tells both sides
        else:
            event, _colon, event_period = period.partition(":")
            update_retries.add((object_id, recipient_id, event, event_period))
    for relationship_id, event in pairing_retries:
        run(tasks.send_pairing_news, [relationship_id], event)
    for args in update_retries:
        run(tasks.send_relationship_update, *args)
    # Invitations keep their own claim on the Invitation row; a failed one is tried again here too.
    invitation_ids = list(
        Invitation.objects.filter(
            emailed_at=None,
            accepted_at=None,
            revoked_at=None,
            program__status=ProgramStatus.OPEN,
            email_attempts__lt=MAX_ATTEMPTS,
        )
        .exclude(email_error="")
        .values_list("pk", flat=True)
    )
    for invitation_id in invitation_ids:
        run(invitation_emails_task, None, invitation_id)

    return SweepReport(
        checkins_issued=issued,
        meeting_reminders=len(meeting_ids),
        silent_nudges=len(nudges),
        checkin_reminders=len(checkin_reminders),
        retried=len(pairing_retries) + len(update_retries) + len(invitation_ids),
    )
