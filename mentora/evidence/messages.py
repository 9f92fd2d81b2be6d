"""A manager's message to a pair, or a no-fault rematch offer, e-mailed to both sides through the
notifications ledger (once each: the ledger's key is the audit event of the action)."""

from django.utils.translation import gettext as _
from django_tasks import task

from mentora.audit.models import AuditEvent
from mentora.core.links import site_url
from mentora.notifications.emails import _footer, as_recipient
from mentora.notifications.models import NotificationKind
from mentora.notifications.services import notification_deliver
from mentora.people.models import Person
from mentora.relationships.models import Relationship, RelationshipStatus


def _compose(
    *,
    action: str,
    recipient: Person,
    partner: Person,
    manager: str,
    program: str,
    relationship_id: int,
    text: str,
) -> tuple[str, str]:
    with as_recipient(recipient):
        values = {
            "name": recipient.full_name,
            "partner": partner.full_name,
            "manager": manager,
            "program": program,
            "message": text,
            "link": site_url("workspace:pair", relationship_id),
        }
        if action == "rematch":
            subject = _("Is your mentoring with %(partner)s working for you?") % values
            body = (
                _(
                    "Hello %(name)s,\n\n%(manager)s, who runs “%(program)s”, wants you to know that a "
                    "pairing that does not work is nobody's fault. If you would rather have another partner, "
                    "end the pairing from your pair's page and ask to be matched again; %(manager)s will "
                    "help.\n%(link)s"
                )
                % values
            )
        else:
            subject = _("A message from %(manager)s about your mentoring") % values
            body = (
                _(
                    "Hello %(name)s,\n\n%(manager)s, who runs “%(program)s”, writes:\n\n"
                    "%(message)s\n\n%(link)s"
                )
                % values
            )
        return subject, body + _footer()


def pair_message_send(*, event_id: int, text: str) -> int:
    """E-mail both sides of the pair the audit event names, unless the pair ended meanwhile."""
    event = AuditEvent.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    relationship = (
        Relationship.objects.filter(pk=int(event.target_id), status=RelationshipStatus.ACTIVE)
        .select_related("mentor", "mentee", "program")
        .first()
    )
    if relationship is None:
        return 0
    manager = event.actor_label or _("Your program manager")
    sent = 0
    for recipient in (relationship.mentor, relationship.mentee):
        partner = relationship.partner_of(recipient)
        sent += notification_deliver(
            kind=NotificationKind.RELATIONSHIP_UPDATE,
            object_id=relationship.pk,
            recipient=recipient,
            period=f"evidence-{event.pk}",
            compose=lambda recipient=recipient, partner=partner: _compose(
                action=event.details.get("action", ""),
                recipient=recipient,
                partner=partner,
                manager=manager,
                program=relationship.program.name,
                relationship_id=relationship.pk,
                text=text,
            ),
        )
    return sent


@task()
def send_pair_message(event_id: int, text: str) -> int:
    return pair_message_send(event_id=event_id, text=text)
