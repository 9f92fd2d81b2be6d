import pytest

from mentora.organisations.models import Role
from mentora.programs.models import EnrolmentRole
from tests.factories import (
    DepartmentFactory,
    OfferedSkillFactory,
    PersonFactory,
    SelfAssessmentFactory,
    SkillFactory,
    WantedSkillFactory,
)
from tests.programs.factories import EnrolmentFactory, ProgramFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """These tests create many people; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def skill(org):
    return SkillFactory(organisation=org, name="Negotiation", slug="negotiation")


def enrol_mentor(program, *, name, skill, level=5, seniority=7, capacity=2, department=None, **person):
    mentor = PersonFactory(
        organisation=program.organisation,
        full_name=name,
        seniority=seniority,
        department=department,
        roles=[Role.PARTICIPANT],
        **person,
    )
    OfferedSkillFactory(person=mentor, skill=skill, level=level)
    EnrolmentFactory(program=program, person=mentor, role=EnrolmentRole.MENTOR, capacity=capacity)
    return mentor


def enrol_mentee(program, *, name, skill, seniority=2, department=None, self_level=None, **person):
    mentee = PersonFactory(
        organisation=program.organisation,
        full_name=name,
        seniority=seniority,
        department=department,
        roles=[Role.PARTICIPANT],
        **person,
    )
    WantedSkillFactory(person=mentee, skill=skill, priority=1)
    if self_level is not None:
        assessment = SelfAssessmentFactory(person=mentee)
        assessment.ratings.create(skill=skill, level=self_level)
    EnrolmentFactory(program=program, person=mentee, role=EnrolmentRole.MENTEE)
    return mentee


@pytest.fixture
def program(org, pam):
    return ProgramFactory(organisation=org, name="Leaders of tomorrow", managers=[pam])


@pytest.fixture
def cohort(program, skill):
    """Two mentors (capacity 2 each) and three mentees in two departments."""
    sales = DepartmentFactory(organisation=program.organisation, name="Sales")
    tech = DepartmentFactory(organisation=program.organisation, name="Engineering")
    mentors = [
        enrol_mentor(program, name="Maya Mentor", skill=skill, department=sales),
        enrol_mentor(program, name="Milo Mentor", skill=skill, department=tech),
    ]
    mentees = [
        enrol_mentee(program, name="Ella Mentee", skill=skill, department=tech, self_level=1),
        enrol_mentee(program, name="Eric Mentee", skill=skill, department=sales),
        enrol_mentee(program, name="Emma Mentee", skill=skill, department=tech),
    ]
    return mentors, mentees
