"""The demo's HR outcomes: enough history for the outcome analysis to show an estimate.

A cycle of "Leadership circle" that started about fifteen months ago and is closed, its pairs ended
with the meetings they held; hire dates for everyone (tenure), earlier and later promotions and moves
as imported outcome events; and colleagues who left since, as outcome events with their reason (some of
them mentees of that cycle; people in none of the current programs). Participants are planted to leave at
about half the rate of the others, so that the analysis, run once here, has something to find.
Called once by `manage.py demo_org`, after `demo_programs_load`, inside its transaction.
"""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from mentora.meetings.models import Meeting, MeetingStatus
from mentora.organisations.models import Organisation, Role
from mentora.outcomes.models import EventKind, LeavingReason, OutcomeAnalysis, OutcomeEvent
from mentora.outcomes.services import analysis_run
from mentora.people.models import Person
from mentora.programs.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    Program,
    ProgramManager,
    ProgramStatus,
)
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus

NAME = "Leadership circle (last year)"
STARTED_DAYS_AGO = 450
CYCLE_DAYS = 270
MENTEES, MENTORS = 48, 16


@dataclass(frozen=True)
class DemoOutcomes:
    program: Program
    analysis: OutcomeAnalysis
    leavers: int


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def demo_outcomes_load(*, organisation: Organisation, seed: int) -> DemoOutcomes:
    rng = random.Random(seed * 31 + 13)
    now = timezone.now()
    today = timezone.localdate(now, timezone=datetime.UTC)
    start = today - datetime.timedelta(days=STARTED_DAYS_AGO)
    people = list(Person.objects.filter(organisation=organisation, is_active=True).order_by("pk"))
    manager = (
        Person.objects.filter(organisation=organisation, role_memberships__role=Role.PROGRAM_MANAGER)
        .order_by("pk")
        .first()
    )
    left = _leavers(organisation, people, rng, start, today, count=max(len(people) // 6, 12))
    formers = [p for p in people if p.pk in left]

    program = Program.objects.create(
        organisation=organisation,
        name=NAME,
        strategic_objective="Grow our next generation of leads from within",
        purpose="A closed cycle kept for its outcomes: who stayed, who was promoted, who moved.",
        goals="A development plan and a sponsor for each mentee.",
        starts_on=start,
        ends_on=start + datetime.timedelta(days=CYCLE_DAYS),
        max_seniority=5,
        mentor_min_seniority=6,
        status=ProgramStatus.CLOSED,
        created_by=manager,
    )
    if manager is not None:
        ProgramManager.objects.create(program=program, person=manager)
    # The planted effect: former colleagues are half as common among the mentees as among the others.
    juniors = [p for p in people if p.seniority <= 5 and p not in formers]
    former_share = len(formers) / (len(formers) + len(juniors))
    gone = round(MENTEES * former_share / 2)
    mentees = rng.sample(formers, min(gone, len(formers))) + rng.sample(
        juniors, min(MENTEES - gone, len(juniors))
    )
    seniors = [p for p in people if p.seniority >= 6]
    mentors = rng.sample(seniors, min(MENTORS, len(seniors)))
    _pairs(program, mentors, mentees, rng, start, left)

    participants = {p.pk for p in mentees}
    events = [OutcomeEvent(person=p, kind=EventKind.JOINED, date=_hired(p, rng, start)) for p in people]
    for person in people:
        participant = person.pk in participants
        # Later events stop at a leaving day.
        last = (left.get(person.pk, today) - start).days - 1
        for _n in range(rng.choice([0, 0, 0, 1, 1, 2])):  # promotions in the three years before
            day = start - datetime.timedelta(days=rng.randint(30, 1000))
            events.append(_event(person, EventKind.PROMOTED, day))
        if last > 60 and rng.random() < (0.24 if participant else 0.14):
            day = start + datetime.timedelta(days=rng.randint(60, last))
            events.append(_event(person, EventKind.PROMOTED, day))
        if last > 30 and rng.random() < (0.15 if participant else 0.1):
            day = start + datetime.timedelta(days=rng.randint(30, last))
            events.append(_event(person, EventKind.MOVED, day))
        if person.pk in left:
            reasons = [LeavingReason.VOLUNTARY] * 4 + [LeavingReason.INVOLUNTARY, LeavingReason.OTHER]
            events.append(_event(person, EventKind.LEFT, left[person.pk], reason=rng.choice(reasons)))
    # One event per person, type and day (a random draw may repeat one).
    unique = {(e.person.pk, e.kind, e.date): e for e in events}
    for event in unique.values():
        event.organisation = organisation
        event.imported_at = now
    OutcomeEvent.objects.bulk_create(unique.values())

    analysis = OutcomeAnalysis.objects.create(
        organisation=organisation, program=program, requested_by=manager, as_of=today
    )
    analysis_run(analysis_id=analysis.pk)  # the demo's task backend runs nothing: run it here
    analysis.refresh_from_db()
    return DemoOutcomes(program=program, analysis=analysis, leavers=len(left))


def _event(person: Person, kind: str, day: datetime.date, *, reason: str = "") -> OutcomeEvent:
    return OutcomeEvent(person=person, kind=kind, date=day, leaving_reason=reason)


def _hired(person: Person, rng: random.Random, start: datetime.date) -> datetime.date:
    return start - datetime.timedelta(days=rng.randint(120, 12 * 365))


def _leavers(
    organisation: Organisation,
    people: list[Person],
    rng: random.Random,
    start: datetime.date,
    today: datetime.date,
    *,
    count: int,
) -> dict[int, datetime.date]:
    """Juniors whose leaving since the cycle's start the HR system reports as outcome events (person id
    → leaving day). Chosen among people in no current program, with no report and no role beyond taking
    part, so that nothing else of the demo meets them. Their people records are left as the demo's HR
    export has them (it lists everyone as working here), so that re-importing it changes nothing."""
    busy = set(
        Enrolment.objects.filter(program__organisation=organisation).values_list("person_id", flat=True)
    )
    managers = set(Person.objects.filter(organisation=organisation).values_list("manager_id", flat=True))
    with_roles = set(
        Person.objects.filter(organisation=organisation)
        .exclude(role_memberships__role=Role.PARTICIPANT)
        .filter(role_memberships__isnull=False)
        .values_list("pk", flat=True)
    )
    candidates = [p for p in people if p.seniority <= 5 and p.pk not in busy | managers | with_roles]
    chosen = rng.sample(candidates, min(count, len(candidates)))
    return {p.pk: start + datetime.timedelta(days=rng.randint(20, (today - start).days - 10)) for p in chosen}


def _pairs(
    program: Program,
    mentors: list[Person],
    mentees: list[Person],
    rng: random.Random,
    start: datetime.date,
    left: dict[int, datetime.date],
) -> None:
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                program=program,
                person=p,
                role=EnrolmentRole.MENTOR,
                status=EnrolmentStatus.APPROVED,
                capacity=3,
            )
            for p in mentors
        ]
        + [
            Enrolment(program=program, person=p, role=EnrolmentRole.MENTEE, status=EnrolmentStatus.APPROVED)
            for p in mentees
        ]
    )
    ended = _at(program.ends_on, 17)
    meetings = []
    for index, mentee in enumerate(mentees):
        began = _at(start + datetime.timedelta(days=rng.randint(3, 20)))
        ended_at = min(ended, _at(left[mentee.pk])) if mentee.pk in left else ended
        relationship = Relationship.objects.create(
            program=program,
            mentor=mentors[index % len(mentors)],
            mentee=mentee,
            status=RelationshipStatus.ENDED,
            origin=RelationshipOrigin.MANUAL,
            mentor_consented_at=began,
            mentee_consented_at=began,
            started_at=began,
            ended_at=max(ended_at, began + datetime.timedelta(days=1)),
            ends_on=program.ends_on,
        )
        for n in range(rng.choice([1, 2, 3, 4, 5, 6])):
            meetings.append(
                Meeting(
                    relationship=relationship,
                    starts_at=began + datetime.timedelta(days=30 * (n + 1)),
                    duration_minutes=45,
                    status=MeetingStatus.HAPPENED,
                )
            )
    Meeting.objects.bulk_create(meetings)
