"""Every ending of a relationship, in one place: the no-fault exit, and closing a relationship
that ran its course (goals met, cycle ended); extending it instead; each side's reflection.

Both endings share `_end`: the state change (`relationships.services.relationship_close`), then
unanswered check-ins lapse, meetings still to come are cancelled in both calendars, and the
partner is told. After it the relationship is read-only history (status "ended").
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.agreements.models import TEXT_LIMIT, Closure, ClosureReason, Extension, Reflection
from mentora.checkins.services import checkins_ask_end_survey, checkins_lapse_for_relationship
from mentora.core.refusals import Refusal
from mentora.core.text import check_texts, too_long_error
from mentora.meetings.services import meetings_cancel_upcoming
from mentora.notifications.services import notify_relationship_update
from mentora.people.models import Person
from mentora.relationships.models import LIVE_STATUSES, Relationship, RelationshipStatus
from mentora.relationships.services import relationship_close, relationship_decline
from mentora.workspace.access import ensure_writable

MAX_EXTENSION = timedelta(days=366)
# "The cycle has ended" can be said from a week before the pair's end date, when the end-of-cycle
# survey is asked; before that only "goals met" (with the partner's confirmation) or a no-fault exit.
CYCLE_END_LEAD = timedelta(days=7)


def _clean_learned(learned: str) -> str:
    learned = (learned or "").strip()
    if too_long := too_long_error(learned, limit=TEXT_LIMIT):
        raise Refusal(too_long, code="too_long", field="learned")
    check_texts(multi_line={"learned": learned})
    return learned


def _end(*, relationship: Relationship, person: Person, event: str, reason: str = "") -> Relationship:
    """End the relationship on `person`'s word, then what every ending does: unanswered check-ins
    lapse, meetings still to come are cancelled, and the partner is told (`event` says how)."""
    relationship = relationship_close(relationship=relationship, person=person, reason=reason)
    checkins_lapse_for_relationship(relationship=relationship)
    meetings_cancel_upcoming(relationship=relationship, person=person)
    notify_relationship_update(
        relationship_id=relationship.pk,
        recipient_id=relationship.partner_id_of(person),
        event=event,
        period=event,
    )
    return relationship


def _locked_party(relationship: Relationship, person: Person) -> Relationship:
    """The relationship's row, locked so that concurrent endings and confirmations queue up."""
    if relationship.side_of(person) is None:
        raise PermissionDenied(_("Only the mentor or the mentee can do this."))
    return Relationship.objects.select_for_update().select_related("program").get(pk=relationship.pk)


def _not_active() -> ValidationError:
    return ValidationError(_("Only an active relationship can be closed."), code="not_active")


@transaction.atomic
def relationship_end_no_fault(
    *, relationship: Relationship, person: Person, reason: str = ""
) -> Relationship:
    """Either side ends an active relationship without blame, at once. The reason stays private to
    the program's managers and the person who gave it; the partner is told only that it ended.
    A "goals met" closure still waiting for confirmation is dropped."""
    relationship = _locked_party(relationship, person)
    relationship = _end(relationship=relationship, person=person, event="ended", reason=reason)
    Closure.objects.filter(relationship=relationship, closed_at__isnull=True).delete()
    return relationship


@transaction.atomic
def relationships_end_for_leaver(*, person: Person, **_signal) -> list[Relationship]:
    """Receiver of `people.events.person_deactivated`: the leaver's active relationships end without
    fault, the partner told only that the leaver no longer takes part ("partner_left"), and their
    pairings still waiting for consent are declined. Nothing is deleted: goals, meetings and notes
    stay, private ones private. Returns the relationships that ended."""
    ended = []
    live = Relationship.objects.filter(Q(mentor=person) | Q(mentee=person), status__in=LIVE_STATUSES)
    for relationship in live.order_by("pk"):
        if relationship.status == RelationshipStatus.PENDING_CONSENT:
            relationship_decline(relationship=relationship, person=person)
            continue
        ended.append(_end(relationship=relationship, person=person, event="partner_left"))
        Closure.objects.filter(relationship=relationship, closed_at__isnull=True).delete()
    return ended


@transaction.atomic
def relationship_close_with_reason(
    *, relationship: Relationship, person: Person, reason: str, learned: str = "", today: date | None = None
) -> Closure:
    """Close an active relationship, optionally with the closer's reflection.

    "Goals met" is proposed to the partner, who confirms (`closure_confirm`, then it closes) or
    disputes it (`closure_dispute`); "the cycle has ended" closes at once, from a week before the
    end date. Refusals: "not_active", "closure_pending" (a proposal waits), "cycle_not_over".
    """
    today = today or timezone.localdate()
    if reason not in ClosureReason.values:
        raise Refusal(_("Choose why you are closing."), code="required", field="reason")
    learned = _clean_learned(learned)
    relationship = _locked_party(relationship, person)
    if relationship.status != RelationshipStatus.ACTIVE:
        raise _not_active()
    if Closure.objects.filter(relationship=relationship).exists():
        raise Refusal(_("A closure is already waiting for confirmation."), code="closure_pending")
    if reason == ClosureReason.CYCLE_ENDED and today < relationship.ends_on - CYCLE_END_LEAD:
        message = _(
            "The cycle runs until %(date)s. Before then, close because your goals are met (your "
            "partner confirms), extend, or end it without blame."
        ) % {"date": relationship.ends_on.isoformat()}
        raise Refusal(message, code="cycle_not_over", field="reason")
    if learned:
        Reflection.objects.update_or_create(
            relationship=relationship, author=person, defaults={"learned": learned}
        )
    if reason == ClosureReason.CYCLE_ENDED:
        relationship = _end(relationship=relationship, person=person, event="closed")
        checkins_ask_end_survey(relationship=relationship, today=today)
        return Closure.objects.create(
            relationship=relationship, reason=reason, closed_by=person, closed_at=relationship.ended_at
        )
    # Proposals queue on the relationship's lock, so the check above still holds here.
    closure = Closure.objects.create(relationship=relationship, reason=reason, closed_by=person)
    notify_relationship_update(
        relationship_id=relationship.pk,
        recipient_id=relationship.partner_id_of(person),
        event="closure_proposed",
        period=f"proposal-{closure.pk}",
    )
    return closure


def _pending_closure(relationship: Relationship, person: Person) -> Closure:
    """The "goals met" proposal waiting for `person`, who must be the proposer's partner."""
    closure = Closure.objects.filter(relationship=relationship, closed_at__isnull=True).first()
    if closure is None or relationship.status != RelationshipStatus.ACTIVE:
        raise Refusal(_("No closure is waiting for confirmation."), code="no_pending_closure")
    if closure.closed_by_id == person.pk:
        raise Refusal(
            _("You proposed this closure: your partner confirms or disputes it."), code="own_proposal"
        )
    return closure


@transaction.atomic
def closure_confirm(*, relationship: Relationship, person: Person, today: date | None = None) -> Closure:
    """The partner agrees that the goals are met: the relationship closes."""
    relationship = _locked_party(relationship, person)
    closure = _pending_closure(relationship, person)
    relationship = _end(relationship=relationship, person=person, event="closed")
    closure.closed_at = relationship.ended_at
    closure.save(update_fields=["closed_at"])
    checkins_ask_end_survey(relationship=relationship, today=today or timezone.localdate())
    return closure


@transaction.atomic
def closure_dispute(*, relationship: Relationship, person: Person) -> None:
    """The partner does not agree that the goals are met: the proposal goes, the relationship
    continues, and the proposer is told. Their reflection, if they wrote one, stays."""
    relationship = _locked_party(relationship, person)
    closure = _pending_closure(relationship, person)
    proposal = closure.pk
    closure.delete()
    notify_relationship_update(
        relationship_id=relationship.pk,
        recipient_id=relationship.partner_id_of(person),
        event="closure_disputed",
        period=f"proposal-{proposal}",
    )


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
    current = relationship.ends_on
    if ends_on <= today:
        raise Refusal(_("The new end date must be in the future."), code="in_past", field="ends_on")
    if ends_on <= current:
        message = _("The new end date must be after the current one (%(date)s).") % {
            "date": current.isoformat()
        }
        raise Refusal(message, code="not_later", field="ends_on")
    if ends_on > current + MAX_EXTENSION:
        raise Refusal(_("Extend by at most a year at a time."), code="too_far", field="ends_on")
    extension = Extension.objects.create(
        relationship=relationship, ends_on=ends_on, previous_ends_on=current, extended_by=person
    )
    relationship.ends_on = ends_on
    relationship.save(update_fields=["ends_on"])
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
    closed = Closure.objects.filter(relationship=relationship, closed_at__isnull=False).exists()
    if relationship.status != RelationshipStatus.ACTIVE and not closed:
        raise Refusal(
            _("Reflections are written while the relationship runs or when it closes."), code="not_active"
        )
    learned = _clean_learned(learned)
    if not learned:
        raise Refusal(_("Write a sentence or two."), code="empty", field="learned")
    reflection, _created = Reflection.objects.update_or_create(
        relationship=relationship, author=person, defaults={"learned": learned}
    )
    return reflection
