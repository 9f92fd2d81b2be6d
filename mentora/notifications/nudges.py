"""A program manager nudges both sides of a pair from the at-risk list: logged (who, when), at most
once per pair every NUDGE_INTERVAL, and e-mailed through the notifications ledger after commit."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from mentora.notifications import emails
from mentora.notifications.models import NotificationKind, PairNudge
from mentora.notifications.services import notification_deliver
from mentora.people.models import Person
from mentora.relationships.models import Relationship, RelationshipStatus

# A pair is nudged at most once in this long, whoever of its managers asks.
NUDGE_INTERVAL = timedelta(days=7)


@transaction.atomic
def pair_nudge_create(*, relationship: Relationship, actor: Person, now: datetime | None = None) -> PairNudge:
    """Log a nudge of both sides and queue its e-mails; the caller checked that `actor` manages the
    pair's program. Refused (code `not_active`) for a pair that is not running and (code `too_soon`)
    within NUDGE_INTERVAL of the pair's last nudge."""
    now = now or timezone.now()
    # The pair's row lock makes two managers' nudges at once queue up: the second sees the first.
    relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)
    if relationship.status != RelationshipStatus.ACTIVE:
        raise ValidationError(_("Only a running pair can be nudged."), code="not_active")
    last = PairNudge.objects.filter(relationship=relationship).order_by("-created_at").first()
    if last is not None and last.created_at > now - NUDGE_INTERVAL:
        raise ValidationError(
            _("This pair was nudged on %(date)s; nudge it again a week after that at the earliest.")
            % {"date": date_format(timezone.localtime(last.created_at), "DATE_FORMAT")},
            code="too_soon",
        )
    nudge = PairNudge.objects.create(relationship=relationship, sent_by=actor, created_at=now)
    transaction.on_commit(lambda: send_pair_nudge.enqueue(nudge.pk))
    return nudge


def pair_nudge_send(*, nudge_id: int) -> int:
    """E-mail both sides of a logged nudge (once each: the ledger's key is the nudge) unless they
    turned nudges off; nothing for a pair that ended meanwhile."""
    nudge = (
        PairNudge.objects.filter(pk=nudge_id, relationship__status=RelationshipStatus.ACTIVE)
        .select_related("relationship__mentor", "relationship__mentee", "relationship__program", "sent_by")
        .first()
    )
    if nudge is None:
        return 0
    relationship = nudge.relationship
    manager_name = nudge.sent_by.full_name if nudge.sent_by else _("Your program manager")
    sent = 0
    for recipient in (relationship.mentor, relationship.mentee):
        partner = relationship.partner_of(recipient)
        sent += notification_deliver(
            kind=NotificationKind.SILENT_PAIR_NUDGE,
            object_id=relationship.pk,
            recipient=recipient,
            period=f"manager-{nudge.pk}",
            compose=lambda recipient=recipient, partner=partner: emails.manager_nudge(
                recipient=recipient,
                partner=partner,
                manager_name=manager_name,
                program_name=relationship.program.name,
                relationship_id=relationship.pk,
            ),
        )
    return sent


@task()
def send_pair_nudge(nudge_id: int) -> int:
    return pair_nudge_send(nudge_id=nudge_id)
