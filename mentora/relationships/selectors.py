"""Reads for relationships: a person's own, a program's, and who is free to (re)match."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mentora.core.roles import Viewer
from mentora.programs.models import Enrolment, EnrolmentRole, EnrolmentStatus, Program
from mentora.programs.permissions import can_manage_program
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


def relationship_get_for_manager(*, viewer: Viewer, relationship_id: int) -> Relationship:
    relationship = (
        Relationship.objects.select_related("program", "mentor", "mentee")
        .filter(pk=relationship_id, program__organisation_id=viewer.organisation_id or -1)
        .first()
    )
    if relationship is None or not can_manage_program(viewer, relationship.program):
        raise Http404
    return relationship


# A program's page shows its relationships this many at a time.
RELATIONSHIPS_PER_PAGE = 50


def relationship_list_for_program(*, program: Program) -> QuerySet:
    return (
        Relationship.objects.filter(program=program)
        .select_related("mentor", "mentee", "ended_by", "declined_by")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class MentorRoom:
    enrolment: Enrolment
    live: int

    @property
    def free(self) -> int:
        return max(self.enrolment.capacity - self.live, 0)


@dataclass(frozen=True)
class ProgramPool:
    """Who is free to be (re)matched: unpaired mentees and mentors with room."""

    mentees: list[Enrolment]
    freed_mentee_ids: set[int]
    mentors: list[MentorRoom]


def program_pool(*, program: Program) -> ProgramPool:
    today = timezone.localdate()
    approved = Enrolment.objects.filter(program=program, status=EnrolmentStatus.APPROVED).select_related(
        "person__department"
    )
    live = Relationship.objects.filter(program=program, status__in=LIVE_STATUSES)
    mentees = list(
        approved.filter(role=EnrolmentRole.MENTEE)
        .exclude(Exists(live.filter(mentee=OuterRef("person"))))
        .order_by("person__full_name")
    )
    freed = set(
        Relationship.objects.filter(
            program=program,
            status__in=[RelationshipStatus.DECLINED, RelationshipStatus.ENDED],
            mentee_id__in=[enrolment.person_id for enrolment in mentees],
        ).values_list("mentee_id", flat=True)
    )
    live_counts = dict(live.values("mentor").annotate(n=Count("pk")).values_list("mentor", "n"))
    mentors = [
        MentorRoom(enrolment=enrolment, live=live_counts.get(enrolment.person_id, 0))
        for enrolment in approved.filter(role=EnrolmentRole.MENTOR)
        .filter(Q(paused_until__isnull=True) | Q(paused_until__lte=today))
        .order_by("person__full_name")
    ]
    return ProgramPool(
        mentees=mentees,
        freed_mentee_ids=freed,
        mentors=[room for room in mentors if room.free > 0],
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
