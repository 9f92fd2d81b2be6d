"""Who may open a pair's space, and whether it can still be written to.

A pair's space belongs to its mentor and its mentee alone: program managers, line managers and
org admins get 404 here (they see aggregates elsewhere, never the pair's content).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from mentora.core.roles import Viewer, request_viewer
from mentora.people.models import Person
from mentora.relationships.models import Relationship, RelationshipStatus
from mentora.relationships.selectors import relationship_get_for_party

MENTEE = "mentee"


@dataclass(frozen=True)
class Pair:
    """A relationship seen by one of its two people."""

    relationship: Relationship
    person: Person
    side: str

    @property
    def partner(self) -> Person:
        return self.relationship.partner_of(self.person)

    @property
    def is_mentee(self) -> bool:
        return self.side == MENTEE

    @property
    def read_only(self) -> bool:
        return read_only_reason(self.relationship) is not None


def pair_for_viewer(*, viewer: Viewer, relationship_id: int) -> Pair:
    """The viewer's side of a relationship; 404 for anyone who is not its mentor or mentee."""
    relationship = relationship_get_for_party(viewer=viewer, relationship_id=relationship_id)
    return Pair(relationship=relationship, person=viewer.person, side=relationship.side_of(viewer.person))


def request_pair(request, relationship_id: int) -> Pair:
    """`pair_for_viewer` for a page's signed-in viewer."""
    return pair_for_viewer(viewer=request_viewer(request), relationship_id=relationship_id)


def read_only_reason(relationship: Relationship) -> str | None:
    """Why nothing can be written to this pair's space now, or None while it is active."""
    if relationship.status == RelationshipStatus.ACTIVE:
        return None
    if relationship.status == RelationshipStatus.ENDED:
        return _("This relationship has ended. Its space is kept as read-only history.")
    if relationship.status == RelationshipStatus.PENDING_CONSENT:
        return _("This relationship has not started yet: you can write here once you have both agreed.")
    return _("This pairing did not go ahead, so nothing can be written here.")


def ensure_writable(*, relationship: Relationship, person: Person) -> str:
    """Refuse writes to a pair's space by anyone but its two people, or once it is not active.

    Returns the person's side. Every service of the pair's space calls this first.
    """
    side = relationship.side_of(person)
    if side is None:
        raise PermissionDenied(_("Only the mentor or the mentee can do this."))
    reason = read_only_reason(relationship)
    if reason is not None:
        raise ValidationError(reason, code="read_only")
    return side


def ensure_mentee(*, relationship: Relationship, person: Person, message: str) -> None:
    """The mentee owns goals and meeting preparation; the mentor may read and comment only."""
    if relationship.side_of(person) != MENTEE:
        raise PermissionDenied(message)
