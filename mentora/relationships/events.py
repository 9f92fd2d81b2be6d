"""What happened to a pairing (proposed, started, declined, withdrawn), told once the change commits.

Relationships sits below notifications, so it cannot call the e-mail path itself: it sends this
signal and `mentora.notifications` (one floor up) queues the e-mails through its ledger.
"""

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

from mentora.relationships.models import Relationship

PAIRING_EVENTS = ("proposed", "started", "declined", "withdrawn")

# Sent with relationship_ids (list[int]) and event (one of PAIRING_EVENTS), after commit only.
pairing_changed = Signal()


def pairing_changed_after_commit(*, relationships: Iterable[Relationship], event: str) -> None:
    """Tell listeners about these pairings once the current transaction commits (never if it rolls back)."""
    ids = [relationship.pk for relationship in relationships]
    if ids:
        transaction.on_commit(
            lambda: pairing_changed.send(sender=Relationship, relationship_ids=ids, event=event)
        )
