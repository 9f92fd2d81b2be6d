"""Who wants which emails, and which emails have been claimed or sent (the idempotency ledger)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentora.people.models import Person
from mentora.relationships.models import Relationship


class NotificationKind(models.TextChoices):
    MEETING_REMINDER = "meeting_reminder", _("Meeting reminders")
    SILENT_PAIR_NUDGE = "silent_pair_nudge", _("Nudges when we have not met for a while")
    CHECKIN_REMINDER = "checkin_reminder", _("Check-in reminders")
    RELATIONSHIP_UPDATE = "relationship_update", _("Updates about my relationships")
    PAIRING = "pairing", _("A pairing proposed, started or not going ahead")


# Always sent: a pairing waits for both sides' answer, so neither may switch its news off.
MANDATORY_KINDS = frozenset({NotificationKind.PAIRING})


class NotificationPreference(models.Model):
    """One row per person who changed a default; everything is on until they turn it off."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="notification_preference")
    meeting_reminder = models.BooleanField(_("Meeting reminders (a day before)"), default=True)
    silent_pair_nudge = models.BooleanField(_("A nudge when my pair has not met for a while"), default=True)
    checkin_reminder = models.BooleanField(_("Reminders of check-ins I have not answered"), default=True)
    relationship_update = models.BooleanField(
        _("Updates about my relationships (agreement, closure, advocacy)"), default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"Email preferences of {self.person_id}"

    def wants(self, kind: str) -> bool:
        return kind in MANDATORY_KINDS or bool(getattr(self, kind))


class DeliveryStatus(models.TextChoices):
    CLAIMED = "claimed", _("Claimed, being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will be retried")


class SentNotification(models.Model):
    """The ledger that makes sending idempotent: a row is claimed (inserted) BEFORE the email goes
    out, and the unique key means a second sweep or a restarted worker finds it and sends nothing.

    A claim left in CLAIMED (the worker died between claim and send) is never retried: delivery is
    at most once. See docs/reminders.md.
    """

    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    object_id = models.PositiveBigIntegerField()
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.CLAIMED)
    attempts = models.PositiveSmallIntegerField(default=1)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("sent notification")
        verbose_name_plural = _("sent notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "recipient", "period"], name="sent_notification_unique_key"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="sent_notification_valid_kind"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="sent_notification_valid_status"
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False),
                name="sent_notification_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "claimed_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} → {self.recipient_id} ({self.period})"


class PairNudge(models.Model):
    """A program manager nudged both sides of a pair (from the at-risk list): who, which pair, when.
    The e-mails go through the ledger (kind silent_pair_nudge, period `manager-<id>`)."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("pair nudge")
        verbose_name_plural = _("pair nudges")
        indexes = [models.Index(fields=["relationship", "created_at"])]

    def __str__(self) -> str:
        return f"Nudge of relationship {self.relationship_id} by {self.sent_by_id} at {self.created_at}"
