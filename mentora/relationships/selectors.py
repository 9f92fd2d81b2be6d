"""Reads for relationships: a person's own, a program's, and who is free to (re)match."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mentora.core.queries import aggregate_subquery
from mentora.core.roles import Viewer
from mentora.organisations.models import Department
from mentora.programs.models import Enrolment, EnrolmentRole, EnrolmentStatus, Program, pause_holding
from mentora.programs.selectors import departments_without_mentors, eligible_mentors, mentor_enrolments
from mentora.relationships.models import LIVE_STATUSES, Relationship, RelationshipStatus


def relationship_list_for_person(*, person) -> QuerySet:
    if person is None:
        return Relationship.objects.none()
    return (
        Relationship.objects.filter(Q(mentor=person) | Q(mentee=person))
        .select_related("program", "mentor", "mentee")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class MyRelationship:
    """A relationship seen from one side."""

    relationship: Relationship
    side: str
    other: object
    i_consented: bool
    i_ended: bool


def my_relationships(*, person) -> list[MyRelationship]:
    return [
        MyRelationship(
            relationship=relationship,
            side=relationship.side_of(person),
            other=relationship.partner_of(person),
            i_consented=relationship.has_consented(person),
            i_ended=relationship.ended_by_id == person.pk,
        )
        for relationship in relationship_list_for_person(person=person)
    ]


def relationship_get_for_party(*, viewer: Viewer, relationship_id: int) -> Relationship:
    """A relationship the viewer is part of; 404 for anyone else (managers included)."""
    relationship = (
        relationship_list_for_person(person=viewer.person).filter(pk=relationship_id).first()
        if viewer.person
        else None
    )
    if relationship is None:
        raise Http404
    return relationship


# A program's page shows its relationships this many at a time.
RELATIONSHIPS_PER_PAGE = 50


# The program page's sortable relationship columns (mentora.core.sorting): key → ordering.
RELATIONSHIP_SORTS = {
    "created": ("created_at", "id"),
    "mentor": ("mentor__full_name", "mentee__full_name", "id"),
    "mentee": ("mentee__full_name", "mentor__full_name", "id"),
    "status": ("status", "mentor__full_name", "id"),
    "origin": ("origin", "mentor__full_name", "id"),
}


def relationship_list_for_program(
    *, program: Program, order_by: tuple[str, ...] = ("-created_at", "-id")
) -> QuerySet:
    return (
        Relationship.objects.filter(program=program)
        .select_related("mentor", "mentee", "ended_by", "declined_by")
        .order_by(*order_by)
    )


def free_places(*, capacity: int, live: int, paused_until: date | None) -> int:
    """The one rule for a mentor's free places: none while paused, else capacity − live relationships."""
    return 0 if paused_until else max(capacity - live, 0)


@dataclass(frozen=True)
class MentorPlaces:
    """A mentor's places in a program, read now: capacity − live relationships, none while paused.
    What the matching instance builder and every mentee shortlist read for every mentor at once."""

    capacity: int
    live: int
    paused_until: date | None  # only while the pause still holds

    @property
    def free(self) -> int:
        return free_places(capacity=self.capacity, live=self.live, paused_until=self.paused_until)


@dataclass(frozen=True)
class MentorRoom(MentorPlaces):
    """A mentor's places with their enrolment (and person), for the pages and the services."""

    enrolment: Enrolment

    @property
    def person_id(self) -> int:
        return self.enrolment.person_id


def _mentor_rows(*, program: Program, mentor_ids: Iterable[int] | None) -> QuerySet:
    """The mentors whose places count (`programs.selectors.mentor_enrolments`), each with `live`,
    the count of their live relationships in the program: one query."""
    live = Relationship.objects.filter(
        program=program, mentor=OuterRef("person_id"), status__in=LIVE_STATUSES
    )
    return mentor_enrolments(program=program, mentor_ids=mentor_ids).annotate(
        live=aggregate_subquery(live, "COUNT")
    )


def mentor_places(*, program: Program, today: date | None = None) -> dict[int, MentorPlaces]:
    """Every mentor's places now, by person id, without the model objects."""
    today = today or timezone.localdate()
    rows = _mentor_rows(program=program, mentor_ids=None).values_list(
        "person_id", "capacity", "paused_until", "live"
    )
    return {
        person_id: MentorPlaces(
            capacity=capacity or 0, live=live, paused_until=pause_holding(paused_until, today)
        )
        for person_id, capacity, paused_until, live in rows
    }


def mentor_rooms(
    *, program: Program, today: date | None = None, mentor_ids: Iterable[int] | None = None
) -> dict[int, MentorRoom]:
    """Every approved mentor of the program who is active in the organisation (or only those in
    `mentor_ids`), with their places, by person id. The one read of a mentor's free places (with
    `mentor_places`, the same query without the model objects): the pool, the pairing services'
    lock check, the matching runs, the mentee-choice shortlist and requests, and the gaps panel."""
    today = today or timezone.localdate()
    enrolments = _mentor_rows(program=program, mentor_ids=mentor_ids).select_related("person")
    return {
        enrolment.person_id: MentorRoom(
            capacity=enrolment.capacity or 0,
            live=enrolment.live,
            paused_until=enrolment.pause_on(today),
            enrolment=enrolment,
        )
        for enrolment in enrolments
    }


@dataclass(frozen=True)
class ProgramPool:
    """Who is free to be (re)matched: unpaired mentees and mentors with room."""

    mentees: list[Enrolment]
    freed_mentee_ids: set[int]
    mentors: list[MentorRoom]


def unpaired_mentees(*, program: Program) -> QuerySet:
    """Approved mentees still active in the organisation and in no live relationship of the program."""
    live = Relationship.objects.filter(program=program, status__in=LIVE_STATUSES)
    return Enrolment.objects.filter(
        program=program, role=EnrolmentRole.MENTEE, status=EnrolmentStatus.APPROVED, person__is_active=True
    ).exclude(Exists(live.filter(mentee=OuterRef("person"))))


def program_pool(*, program: Program) -> ProgramPool:
    today = timezone.localdate()
    mentees = list(
        unpaired_mentees(program=program).select_related("person__department").order_by("person__full_name")
    )
    freed = set(
        Relationship.objects.filter(
            program=program,
            status__in=[RelationshipStatus.DECLINED, RelationshipStatus.ENDED],
            mentee_id__in=[enrolment.person_id for enrolment in mentees],
        ).values_list("mentee_id", flat=True)
    )
    rooms = sorted(
        mentor_rooms(program=program, today=today).values(), key=lambda room: room.enrolment.person.full_name
    )
    return ProgramPool(
        mentees=mentees,
        freed_mentee_ids=freed,
        mentors=[room for room in rooms if room.free > 0],
    )


@dataclass(frozen=True)
class ProgramGaps:
    """The "who is missing" panel: approved people, and the places their mentors have free."""

    mentees: int
    unpaired_mentees: int
    mentors: int
    capacity: int  # the places of the mentors not paused, taken or free
    free_places: int
    paused_mentors: int
    pending: int
    eligible_mentors: int
    departments_without_mentors: list[Department]

    @property
    def shortfall(self) -> int:
        """Mentees waiting for a place beyond the places free now."""
        return max(self.unpaired_mentees - self.free_places, 0)

    @property
    def is_empty(self) -> bool:
        return self.mentees == 0 and self.mentors == 0


def program_gaps(*, program: Program, today: date | None = None) -> ProgramGaps:
    """Places come from `mentor_rooms`, the one read of a mentor's free places: a mentee in a live
    pair holds a place, whether or not their mentor has paused since."""
    rooms = list(mentor_rooms(program=program, today=today).values())
    taking = [room for room in rooms if not room.paused_until]
    # People who left the organisation are neither paired nor decided on: they count nowhere here.
    staying = Enrolment.objects.filter(program=program, person__is_active=True)
    counts = staying.aggregate(
        mentees=Count("pk", filter=Q(role=EnrolmentRole.MENTEE, status=EnrolmentStatus.APPROVED)),
        pending=Count("pk", filter=Q(status=EnrolmentStatus.APPLIED)),
    )
    return ProgramGaps(
        mentees=counts["mentees"],
        unpaired_mentees=unpaired_mentees(program=program).count(),
        mentors=len(rooms),
        capacity=sum(room.capacity for room in taking),
        free_places=sum(room.free for room in rooms),
        paused_mentors=len(rooms) - len(taking),
        pending=counts["pending"],
        eligible_mentors=eligible_mentors(program=program).count(),
        departments_without_mentors=departments_without_mentors(program=program),
    )


@dataclass(frozen=True)
class LivePairCounts:
    pending: int
    active: int


def live_pair_counts(*, program: Program) -> LivePairCounts:
    """How many of the program's pairings wait for consent, and how many run."""
    counts = dict(
        Relationship.objects.filter(program=program, status__in=LIVE_STATUSES)
        .values_list("status")
        .annotate(count=Count("id"))
    )
    return LivePairCounts(
        pending=counts.get(RelationshipStatus.PENDING_CONSENT, 0),
        active=counts.get(RelationshipStatus.ACTIVE, 0),
    )
