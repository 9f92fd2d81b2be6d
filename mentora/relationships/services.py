"""Writes for relationships: create (pending consent), consent, decline, end without blame.

`relationship_create_pending` is the one way a pair comes into being, whether from a published
matching proposal, a mentee's request or a manager's manual pairing.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.people.models import Person
from mentora.programs.models import Enrolment, EnrolmentRole, EnrolmentStatus, Program, ProgramStatus
from mentora.relationships import notifications
from mentora.relationships.models import LIVE_STATUSES, Relationship, RelationshipOrigin, RelationshipStatus

PAIRABLE_STATUSES = (ProgramStatus.OPEN, ProgramStatus.MATCHING, ProgramStatus.RUNNING)


def _approved_enrolment(program: Program, person: Person, role: str) -> Enrolment | None:
    return Enrolment.objects.filter(
        program=program, person=person, role=role, status=EnrolmentStatus.APPROVED
    ).first()


def relationship_create_pending(
    *,
    program: Program,
    mentor: Person,
    mentee: Person,
    origin: str,
    created_by: Person | None = None,
    note: str = "",
) -> Relationship:
    """Pair a mentor and a mentee, waiting for both to consent (a mentee's own request counts as
    the mentee's consent).

    Never exceeds the mentor's capacity: the mentor's enrolment row is locked while live
    relationships are counted, so concurrent calls queue up instead of oversubscribing.
    Raises ValidationError with code "mentor_full" when the mentor has no room left.
    """
    if origin not in RelationshipOrigin.values:
        raise ValidationError({"origin": _("Unknown origin.")})
    if mentor.pk == mentee.pk:
        raise ValidationError(_("Nobody can mentor themselves."), code="same_person")
    if program.status not in PAIRABLE_STATUSES:
        raise ValidationError(_("People can only be paired while the program is open, matching or running."))
    mentor_enrolment = _approved_enrolment(program, mentor, EnrolmentRole.MENTOR)
    if mentor_enrolment is None:
        raise ValidationError({"mentor": _("This person is not an approved mentor in this program.")})
    mentee_enrolment = _approved_enrolment(program, mentee, EnrolmentRole.MENTEE)
    if mentee_enrolment is None:
        raise ValidationError({"mentee": _("This person is not an approved mentee in this program.")})

    now = timezone.now()
    try:
        with transaction.atomic():
            # Lock both enrolments in a stable order (by id) so that two calls never deadlock.
            locked = {
                enrolment.pk: enrolment
                for enrolment in Enrolment.objects.select_for_update()
                .filter(pk__in=[mentor_enrolment.pk, mentee_enrolment.pk])
                .order_by("pk")
            }
            mentor_enrolment = locked[mentor_enrolment.pk]
            live = Relationship.objects.filter(program=program, status__in=LIVE_STATUSES)
            if mentor_enrolment.paused_until and mentor_enrolment.paused_until > timezone.localdate():
                raise ValidationError(
                    _("This mentor is not taking new mentees until %(date)s.")
                    % {"date": mentor_enrolment.paused_until.isoformat()},
                    code="mentor_paused",
                )
            if live.filter(mentee=mentee).exists():
                raise ValidationError(
                    _("This mentee already has a mentor, or a pending pairing, in this program."),
                    code="mentee_taken",
                )
            if live.filter(mentor=mentor).count() >= mentor_enrolment.capacity:
                raise ValidationError(_("This mentor is full."), code="mentor_full")
            relationship = Relationship.objects.create(
                program=program,
                mentor=mentor,
                mentee=mentee,
                origin=origin,
                note=note.strip(),
                created_by=created_by,
                mentee_consented_at=now if origin == RelationshipOrigin.MENTEE_REQUEST else None,
            )
    except IntegrityError:
        raise ValidationError(
            _("These two people are already paired in this program."), code="already_paired"
        ) from None
    transaction.on_commit(lambda: notifications.relationship_proposed(relationship))
    return relationship


def _locked(relationship: Relationship) -> Relationship:
    return (
        Relationship.objects.select_for_update()
        .select_related("program", "mentor", "mentee")
        .get(pk=relationship.pk)
    )


def _side(relationship: Relationship, person: Person) -> str:
    side = relationship.side_of(person)
    if side is None:
        raise ValidationError(_("Only the mentor or the mentee can do this."), code="not_a_party")
    return side


@transaction.atomic
def relationship_consent(*, relationship: Relationship, person: Person) -> Relationship:
    """Record one side's consent; with both, the relationship becomes active."""
    relationship = _locked(relationship)
    side = _side(relationship, person)
    if relationship.status != RelationshipStatus.PENDING_CONSENT:
        raise ValidationError(_("This pairing is no longer waiting for consent."), code="not_pending")
    now = timezone.now()
    setattr(relationship, f"{side}_consented_at", getattr(relationship, f"{side}_consented_at") or now)
    if relationship.mentor_consented_at and relationship.mentee_consented_at:
        relationship.status = RelationshipStatus.ACTIVE
        relationship.started_at = now
        transaction.on_commit(lambda: notifications.relationship_started(relationship))
    relationship.save(update_fields=["mentor_consented_at", "mentee_consented_at", "status", "started_at"])
    return relationship


@transaction.atomic
def relationship_decline(*, relationship: Relationship, person: Person) -> Relationship:
    """Either side declines a pending pairing; both return to the pool."""
    relationship = _locked(relationship)
    _side(relationship, person)
    if relationship.status != RelationshipStatus.PENDING_CONSENT:
        raise ValidationError(_("This pairing is no longer waiting for consent."), code="not_pending")
    relationship.status = RelationshipStatus.DECLINED
    relationship.declined_by = person
    relationship.declined_at = timezone.now()
    relationship.save(update_fields=["status", "declined_by", "declined_at"])
    transaction.on_commit(lambda: notifications.relationship_declined(relationship))
    return relationship


@transaction.atomic
def relationship_end_no_fault(
    *, relationship: Relationship, person: Person, reason: str = ""
) -> Relationship:
    """Either side ends an active relationship without blame. The reason stays private to the
    program's managers and the person who gave it; the other side is told only that it ended."""
    relationship = _locked(relationship)
    _side(relationship, person)
    if relationship.status != RelationshipStatus.ACTIVE:
        raise ValidationError(_("Only an active relationship can be ended."), code="not_active")
    relationship.status = RelationshipStatus.ENDED
    relationship.ended_by = person
    relationship.ended_at = timezone.now()
    relationship.end_reason = (reason or "").strip()[:2000]
    relationship.save(update_fields=["status", "ended_by", "ended_at", "end_reason"])
    transaction.on_commit(lambda: notifications.relationship_ended(relationship))
    return relationship
