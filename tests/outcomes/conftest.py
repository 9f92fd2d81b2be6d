"""An organisation with a program whose cycle is over and HR history around it: named people for the
permission tests, and `population` to build enough participants and colleagues for an estimate."""

import datetime

import pytest
from django.utils import timezone

from mentora.meetings.models import Meeting, MeetingStatus
from mentora.organisations.models import Role
from mentora.people.models import HrChangeSource, HrField, Person, PersonHrChange
from mentora.programs.models import Enrolment, EnrolmentRole
from mentora.relationships.models import Relationship, RelationshipStatus
from tests.factories import DepartmentFactory, PersonFactory
from tests.programs.factories import EnrolmentFactory, ProgramFactory

START = datetime.date(2025, 1, 6)
AS_OF = datetime.date(2026, 6, 30)
BEFORE = datetime.datetime(2024, 1, 1, 9, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def sales(org):
    return DepartmentFactory(organisation=org, name="Sales")


@pytest.fixture
def program(org, pam):
    return ProgramFactory(
        organisation=org,
        name="Rising leads",
        starts_on=START,
        ends_on=datetime.date(2025, 12, 31),
        managers=[pam],
    )


@pytest.fixture
def pat(org):
    """A program manager who does not manage this program."""
    return PersonFactory(organisation=org, full_name="Pat Other", roles=[Role.PROGRAM_MANAGER])


def hired(person: Person, when: datetime.datetime = BEFORE) -> Person:
    Person.objects.filter(pk=person.pk).update(created_at=when)
    person.refresh_from_db()
    return person


def pair(
    program, mentor: Person, mentee: Person, *, started: datetime.date, meetings: int = 0
) -> Relationship:
    for person, role in ((mentor, EnrolmentRole.MENTOR), (mentee, EnrolmentRole.MENTEE)):
        if not Enrolment.objects.filter(program=program, person=person, role=role).exists():
            EnrolmentFactory(
                program=program,
                person=person,
                role=role,
                capacity=20 if role == EnrolmentRole.MENTOR else None,
            )
    at = datetime.datetime.combine(started, datetime.time(9), tzinfo=datetime.UTC)
    relationship = Relationship.objects.create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        origin="manual",
        status=RelationshipStatus.ACTIVE,
        mentor_consented_at=at,
        mentee_consented_at=at,
        started_at=at,
        ends_on=program.ends_on,
    )
    for n in range(meetings):
        Meeting.objects.create(
            relationship=relationship,
            starts_at=at + datetime.timedelta(days=14 * (n + 1)),
            duration_minutes=45,
            status=MeetingStatus.HAPPENED,
        )
    return relationship


def change(
    person: Person, field: str, old: str, new: str, day: datetime.date, old_ref=None, new_ref=None
) -> None:
    PersonHrChange.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        field=field,
        old_value=old,
        new_value=new,
        old_ref=old_ref,
        new_ref=new_ref,
        effective_date=day,
        recorded_at=timezone.now(),
        source=HrChangeSource.IMPORT,
    )


def leave(person: Person, day: datetime.date) -> None:
    Person.objects.filter(pk=person.pk).update(leaving_date=day, is_active=day > timezone.localdate())
    change(person, HrField.LEAVING_DATE, "", day.isoformat(), day)


def population(
    org, program, department, *, participants: int, others: int, leavers: tuple[int, int]
) -> list[Person]:
    """`participants` mentees (each with a mentor, who is no participant of the comparison) and `others`
    colleagues of the same department and seniorities; the first leavers[0] mentees and leavers[1]
    colleagues leave during the follow-up. Returns the mentees."""
    mentor = hired(
        PersonFactory(organisation=org, department=department, seniority=8, full_name="Mia Mentor")
    )
    mentees = []
    for n in range(participants):
        person = hired(PersonFactory(organisation=org, department=department, seniority=2 + n % 4))
        pair(
            program,
            mentor,
            person,
            started=START + datetime.timedelta(days=n % 3),
            meetings=3 if n % 2 else 1,
        )
        mentees.append(person)
    colleagues = [
        hired(PersonFactory(organisation=org, department=department, seniority=2 + n % 4))
        for n in range(others)
    ]
    for n, person in enumerate(mentees[: leavers[0]]):
        leave(person, START + datetime.timedelta(days=100 + 20 * n))
    for n, person in enumerate(colleagues[: leavers[1]]):
        leave(person, START + datetime.timedelta(days=60 + 15 * n))
    return mentees
