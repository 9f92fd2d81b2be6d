"""Writes for relationships: create (pending consent), consent, decline, and the state change of
an ending (`relationship_close`; the endings themselves are `mentora.agreements.closure`).

`relationship_create_pending` is the one way a pair comes into being, whether from a mentee's
request or a manager's manual pairing; `relationships_create_pending_bulk` does the same for a
published matching run, with the same rules (`_check_pair`) and one lock for the whole batch.
"""

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mentora.core.refusals import Refusal
from mentora.core.text import check_texts
from mentora.people.models import Person
from mentora.programs.models import (
    LIVE_PROGRAM_STATUSES,
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    Program,
    ProgramStatus,
)
from mentora.programs.services import program_set_status
from mentora.relationships.events import pairing_changed_after_commit
from mentora.relationships.models import LIVE_STATUSES, Relationship, RelationshipOrigin, RelationshipStatus
from mentora.relationships.selectors import MentorRoom, mentor_rooms


class PairRefused(ValidationError):
    """One pair of a bulk pairing cannot be made; `mentor` and `mentee` say which."""

    def __init__(self, error: ValidationError, *, mentor: Person, mentee: Person) -> None:
        super().__init__(error)
        self.mentor, self.mentee = mentor, mentee
        # The rule's code and field, also when the refusal names a field (Django keeps neither then).
        self.code, self.field = getattr(error, "code", None), getattr(error, "field", None)


@dataclass
class _Pool:
    """The approved enrolments and live pairings of the people being paired, read under row locks.
    `taken` and `added` grow as pairs are accepted, so a batch is checked against itself too."""

    mentors: dict[int, MentorRoom]
    mentees: set[int]
    taken: set[int]
    added: Counter[int] = field(default_factory=Counter)  # places this batch has taken so far


def _check_request(*, program: Program, origin: str) -> None:
    if origin not in RelationshipOrigin.values:
        raise Refusal(_("Unknown origin."), code="bad_choice", field="origin")
    if program.status not in LIVE_PROGRAM_STATUSES:
        raise Refusal(
            _("People can only be paired while the program is open, matching or running."),
            code="program_not_live",
        )


def _lock_pool(*, program: Program, mentor_ids: set[int], mentee_ids: set[int]) -> _Pool:
    """Lock the approved enrolments of everyone involved, in id order so that concurrent callers
    never deadlock, then read the mentors' places (`mentor_rooms`): they cannot change until we
    commit."""
    enrolments = list(
        Enrolment.objects.select_for_update()
        .filter(program=program, status=EnrolmentStatus.APPROVED)
        .filter(
            Q(role=EnrolmentRole.MENTOR, person_id__in=mentor_ids)
            | Q(role=EnrolmentRole.MENTEE, person_id__in=mentee_ids)
        )
        .order_by("pk")
    )
    live = Relationship.objects.filter(program=program, status__in=LIVE_STATUSES, mentee_id__in=mentee_ids)
    return _Pool(
        mentors=mentor_rooms(program=program, mentor_ids=mentor_ids),
        mentees={e.person_id for e in enrolments if e.role == EnrolmentRole.MENTEE},
        taken=set(live.values_list("mentee_id", flat=True)),
    )


def _check_pair(pool: _Pool, mentor: Person, mentee: Person) -> None:
    """The rules every pairing obeys; on success the pair's places are taken in the pool."""
    if mentor.pk == mentee.pk:
        raise Refusal(_("Nobody can mentor themselves."), code="same_person")
    room = pool.mentors.get(mentor.pk)
    if room is None:
        raise Refusal(
            _("This person is not an approved mentor in this program."),
            code="not_a_mentor",
            field="mentor_id",
        )
    if mentee.pk not in pool.mentees:
        raise Refusal(
            _("This person is not an approved mentee in this program."),
            code="not_a_mentee",
            field="mentee_id",
        )
    if room.paused_until:
        raise Refusal(
            _("This mentor is not taking new mentees until %(date)s.")
            % {"date": room.paused_until.isoformat()},
            code="mentor_paused",
            field="mentor_id",
        )
    if mentee.pk in pool.taken:
        raise Refusal(
            _("This mentee already has a mentor, or a pending pairing, in this program."),
            code="mentee_taken",
            field="mentee_id",
        )
    if room.free - pool.added[mentor.pk] <= 0:
        raise Refusal(_("This mentor is full."), code="mentor_full", field="mentor_id")
    pool.taken.add(mentee.pk)
    pool.added[mentor.pk] += 1


def _pending(
    *, program: Program, mentor: Person, mentee: Person, origin: str, created_by: Person | None, note: str
) -> Relationship:
    return Relationship(
        program=program,
        mentor=mentor,
        mentee=mentee,
        origin=origin,
        note=note.strip(),
        created_by=created_by,
        ends_on=program.ends_on,
        mentee_consented_at=timezone.now() if origin == RelationshipOrigin.MENTEE_REQUEST else None,
    )


ALREADY_PAIRED = _lazy("These two people are already paired in this program.")


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
    _check_request(program=program, origin=origin)
    check_texts(multi_line={"note": note})
    try:
        with transaction.atomic():
            pool = _lock_pool(program=program, mentor_ids={mentor.pk}, mentee_ids={mentee.pk})
            _check_pair(pool, mentor, mentee)
            relationship = _pending(
                program=program, mentor=mentor, mentee=mentee, origin=origin, created_by=created_by, note=note
            )
            relationship.save()
    except IntegrityError:
        raise Refusal(str(ALREADY_PAIRED), code="already_paired") from None
    pairing_changed_after_commit(relationships=[relationship], event="proposed")
    return relationship


@transaction.atomic
def relationships_create_pending_bulk(
    *,
    program: Program,
    pairs: Sequence[tuple[Person, Person]],
    origin: str,
    created_by: Person | None = None,
) -> list[Relationship]:
    """Pair many (mentor, mentee) at once, by the rules of `relationship_create_pending`, all or
    nothing: one refused pair raises `PairRefused` (naming it) and nothing is created.

    Every involved enrolment is locked once, live pairings are counted once, rows are inserted in
    batches and the e-mails are queued after commit (through the notifications ledger).
    """
    _check_request(program=program, origin=origin)
    pool = _lock_pool(
        program=program,
        mentor_ids={mentor.pk for mentor, mentee in pairs},
        mentee_ids={mentee.pk for mentor, mentee in pairs},
    )
    relationships = []
    for mentor, mentee in pairs:
        try:
            _check_pair(pool, mentor, mentee)
        except ValidationError as error:
            raise PairRefused(error, mentor=mentor, mentee=mentee) from None
        relationships.append(
            _pending(
                program=program, mentor=mentor, mentee=mentee, origin=origin, created_by=created_by, note=""
            )
        )
    try:
        with transaction.atomic():
            Relationship.objects.bulk_create(relationships, batch_size=1000)
    except IntegrityError:
        raise Refusal(str(ALREADY_PAIRED), code="already_paired") from None
    pairing_changed_after_commit(relationships=relationships, event="proposed")
    return relationships


def _locked(relationship: Relationship) -> Relationship:
    return (
        Relationship.objects.select_for_update()
        .select_related("program", "mentor", "mentee")
        .get(pk=relationship.pk)
    )


def _side(relationship: Relationship, person: Person) -> str:
    side = relationship.side_of(person)
    if side is None:
        raise Refusal(_("Only the mentor or the mentee can do this."), code="not_a_party")
    return side


@transaction.atomic
def relationship_consent(*, relationship: Relationship, person: Person) -> Relationship:
    """Record one side's consent; with both, the relationship becomes active. Refused once the
    program closed (code "program_closed")."""
    relationship = _locked(relationship)
    side = _side(relationship, person)
    if relationship.status != RelationshipStatus.PENDING_CONSENT:
        raise Refusal(_("This pairing is no longer waiting for consent."), code="not_pending")
    if relationship.program.status not in LIVE_PROGRAM_STATUSES:
        raise Refusal(_("This program has closed: the pairing can no longer start."), code="program_closed")
    now = timezone.now()
    setattr(relationship, f"{side}_consented_at", getattr(relationship, f"{side}_consented_at") or now)
    if relationship.mentor_consented_at and relationship.mentee_consented_at:
        relationship.status = RelationshipStatus.ACTIVE
        relationship.started_at = now
        pairing_changed_after_commit(relationships=[relationship], event="started")
    relationship.save(update_fields=["mentor_consented_at", "mentee_consented_at", "status", "started_at"])
    return relationship


@transaction.atomic
def relationship_decline(*, relationship: Relationship, person: Person) -> Relationship:
    """Either side declines a pending pairing; both return to the pool."""
    relationship = _locked(relationship)
    _side(relationship, person)
    if relationship.status != RelationshipStatus.PENDING_CONSENT:
        raise Refusal(_("This pairing is no longer waiting for consent."), code="not_pending")
    relationship.status = RelationshipStatus.DECLINED
    relationship.declined_by = person
    relationship.declined_at = timezone.now()
    relationship.save(update_fields=["status", "declined_by", "declined_at"])
    pairing_changed_after_commit(relationships=[relationship], event="declined")
    return relationship


@transaction.atomic
def relationship_close(*, relationship: Relationship, person: Person, reason: str = "") -> Relationship:
    """The state change of every ending: either side ends an active relationship.

    `reason` is the no-fault exit's optional why, private to the program's managers and the person
    who gave it. What an ending does next (check-ins lapse, meetings cancelled, the partner told)
    and the two kinds of ending live in `mentora.agreements.closure`.
    """
    relationship = _locked(relationship)
    _side(relationship, person)
    if relationship.status != RelationshipStatus.ACTIVE:
        raise Refusal(_("Only an active relationship can be ended."), code="not_active")
    check_texts(multi_line={"reason": reason})
    relationship.status = RelationshipStatus.ENDED
    relationship.ended_by = person
    relationship.ended_at = timezone.now()
    relationship.end_reason = (reason or "").strip()[:2000]
    relationship.save(update_fields=["status", "ended_by", "ended_at", "end_reason"])
    return relationship


@dataclass(frozen=True)
class ProgramClosed:
    program: Program
    withdrawn: list[Relationship]


@transaction.atomic
def program_close(*, program: Program, today: datetime.date | None = None) -> ProgramClosed:
    """Close a program (from its start date on): the pairings still waiting for consent are
    withdrawn and both sides told; active relationships run on to their own end date."""
    program = program_set_status(
        program=program, status=ProgramStatus.CLOSED, today=today, pending_pairs_withdrawn=True
    )
    withdrawn = list(
        Relationship.objects.select_for_update()
        .filter(program=program, status=RelationshipStatus.PENDING_CONSENT)
        .select_related("program", "mentor", "mentee")
        .order_by("id")
    )
    Relationship.objects.filter(pk__in=[r.pk for r in withdrawn]).update(
        status=RelationshipStatus.DECLINED, declined_at=timezone.now()
    )
    pairing_changed_after_commit(relationships=withdrawn, event="withdrawn")
    return ProgramClosed(program=program, withdrawn=withdrawn)
