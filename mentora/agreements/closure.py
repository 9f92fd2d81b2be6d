"""The end of a relationship that ran its course: close (goals met, cycle ended) or extend, and
each side's reflection. After closing, the relationship is read-only history (status "ended").

The no-fault exit stays the relationships app's `relationship_end_no_fault`; this is the other,
happier ending, and it records why in a Closure row.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.agreements.models import TEXT_LIMIT, Closure, ClosureReason, Extension, Reflection
from mentora.agreements.selectors import relationship_ends_on
from mentora.checkins.services import checkins_close_for_relationship
from mentora.core.text import check_texts
from mentora.notifications.services import notify_relationship_update
from mentora.people.models import Person
from mentora.relationships.models import Relationship, RelationshipStatus
from mentora.relationships.services import relationship_close
from mentora.workspace.access import ensure_writable

MAX_EXTENSION = timedelta(days=366)


def _clean_learned(learned: str) -> str:
    learned = (learned or "").strip()
    if len(learned) > TEXT_LIMIT:
        raise ValidationError(
            {
                "learned": _("Keep this under %(limit)d characters (it has %(length)d).")
                % {"limit": TEXT_LIMIT, "length": len(learned)}
            },
            code="too_long",
        )
    check_texts(multi_line={"learned": learned})
    return learned


@transaction.atomic
def relationship_close_with_reason(
    *, relationship: Relationship, person: Person, reason: str, learned: str = ""
) -> Closure:
    """Close an active relationship (goals met or cycle ended), optionally with the closer's
    reflection. Closing twice is refused with code "not_active"."""
    if reason not in ClosureReason.values:
        raise ValidationError({"reason": _("Choose why you are closing.")})
    learned = _clean_learned(learned)
    if relationship.side_of(person) is None:
        raise PermissionDenied(_("Only the mentor or the mentee can do this."))
    if relationship.status != RelationshipStatus.ACTIVE:
        raise ValidationError(_("Only an active relationship can be closed."), code="not_active")
    relationship = relationship_close(relationship=relationship, person=person)
    try:
        with transaction.atomic():
            closure = Closure.objects.create(
                relationship=relationship, reason=reason, closed_by=person, closed_at=relationship.ended_at
            )
    except IntegrityError:
        raise ValidationError(_("Only an active relationship can be closed."), code="not_active") from None
    if learned:
        Reflection.objects.create(relationship=relationship, author=person, learned=learned)
    checkins_close_for_relationship(relationship=relationship, today=timezone.localdate())
    notify_relationship_update(
        relationship_id=relationship.pk,
        recipient_id=relationship.partner_id_of(person),
        event="closed",
        period="closed",
    )
    return closure


@transaction.atomic
def relationship_extend(
    *, relationship: Relationship, person: Person, ends_on: date, today: date | None = None
) -> Extension:
    """Keep going past the current end date. The new date must be later than the current end and
    in the future, and at most a year past the current end."""
    today = today or timezone.localdate()
    # Locked, so that concurrent extensions read the previous end one after the other.
    relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)
    ensure_writable(relationship=relationship, person=person)
    current = relationship_ends_on(relationship=relationship)
    if ends_on <= today:
        raise ValidationError(
            {"ends_on": ValidationError(_("The new end date must be in the future."), code="in_past")}
        )
    if ends_on <= current:
        message = _("The new end date must be after the current one (%(date)s).") % {
            "date": current.isoformat()
        }
        raise ValidationError({"ends_on": ValidationError(message, code="not_later")})
    if ends_on > current + MAX_EXTENSION:
        raise ValidationError(
            {"ends_on": ValidationError(_("Extend by at most a year at a time."), code="too_far")}
        )
    extension = Extension.objects.create(
        relationship=relationship, ends_on=ends_on, previous_ends_on=current, extended_by=person
    )
    notify_relationship_update(
        relationship_id=relationship.pk,
        recipient_id=relationship.partner_id_of(person),
        event="extended",
        period=f"extended-{extension.pk}",
    )
    return extension


@transaction.atomic
def reflection_save(*, relationship: Relationship, person: Person, learned: str) -> Reflection:
    """Write or rewrite my reflection, while the relationship runs or after it was closed (not
    after a no-fault exit, and never someone else's)."""
    if relationship.side_of(person) is None:
        raise PermissionDenied(_("Only the mentor or the mentee can do this."))
    relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)  # its status now
    closed = Closure.objects.filter(relationship=relationship).exists()
    if relationship.status != RelationshipStatus.ACTIVE and not closed:
        raise ValidationError(_("Reflections are written while the relationship runs or when it closes."))
    learned = _clean_learned(learned)
    if not learned:
        raise ValidationError({"learned": _("Write a sentence or two.")}, code="empty")
    reflection, _created = Reflection.objects.update_or_create(
        relationship=relationship, author=person, defaults={"learned": learned}
    )
    return reflection
