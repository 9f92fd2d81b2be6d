"""People and programs for the mentee-choice tests: a mentee who wants Python, mentors who offer it.

Alice (the mentee) has a private self-assessment and a demographic profile whose words must never
appear on a shortlist, a mentor profile or an API answer; so do the mentors'.
"""

from dataclasses import dataclass

from mentora.organisations.models import Role
from mentora.pairing.models import PairRule, PairRuleKind
from mentora.people.models import Person
from mentora.programs.models import EnrolmentRole, MatchingMode, Program, ProgramStatus
from tests.factories import (
    DemographicProfileFactory,
    DepartmentFactory,
    OfferedSkillFactory,
    PersonFactory,
    SelfAssessmentFactory,
    SkillFactory,
    WantedSkillFactory,
)
from tests.programs.factories import EnrolmentFactory, ProgramFactory

SECRET_REFLECTION = "SECRET-REFLECTION: I freeze in front of executives"
SECRET_ETHNICITY = "SECRET-ETHNICITY: Martian"
PRIVATE_WORDS = (SECRET_REFLECTION, SECRET_ETHNICITY, "Martian", "you are at", "\u2265")


def choose_program(org, *, managers=(), mode=MatchingMode.MENTEE_CHOICE, name="Choose P") -> Program:
    return ProgramFactory(
        organisation=org,
        name=name,
        managers=list(managers),
        matching_mode=mode,
        status=ProgramStatus.RUNNING,
    )


def with_secrets(person: Person, *, skill=None, level: int = 1) -> Person:
    assessment = SelfAssessmentFactory(person=person, reflection=SECRET_REFLECTION)
    if skill is not None:
        assessment.ratings.create(skill=skill, level=level)
    DemographicProfileFactory(person=person, ethnicity=SECRET_ETHNICITY)
    return person


def enrol_mentor(program, *, name, skill, level=5, seniority=6, capacity=2, person=None, **fields) -> Person:
    mentor = person or PersonFactory(
        organisation=program.organisation,
        full_name=name,
        seniority=seniority,
        roles=[Role.PARTICIPANT],
        **fields,
    )
    OfferedSkillFactory(person=mentor, skill=skill, level=level)
    EnrolmentFactory(program=program, person=mentor, role=EnrolmentRole.MENTOR, capacity=capacity)
    return with_secrets(mentor) if person is None else mentor


def enrol_mentee(program, *, skill, name=None, person=None, self_level=1, seniority=2, **fields) -> Person:
    mentee = person or PersonFactory(
        organisation=program.organisation,
        full_name=name,
        seniority=seniority,
        roles=[Role.PARTICIPANT],
        **fields,
    )
    if person is not None and person.seniority != seniority:
        person.seniority = seniority
        person.save(update_fields=["seniority"])
    WantedSkillFactory(person=mentee, skill=skill, priority=1)
    with_secrets(mentee, skill=skill, level=self_level)
    EnrolmentFactory(program=program, person=mentee, role=EnrolmentRole.MENTEE)
    return mentee


@dataclass
class Cohort:
    program: Program
    skill: object
    alice: Person  # the mentee
    mo: Person  # the best mentor: Python 5, another department
    mia: Person  # a good mentor: Python 4
    max: Person  # paused
    lou: Person  # Alice's own manager: never eligible
    pam: Person  # the program's manager


def cohort(org, alice, pam) -> Cohort:
    skill = SkillFactory(organisation=org, name="Python", slug="python")
    program = choose_program(org, managers=[pam])
    sales = DepartmentFactory(organisation=org, name="Sales")
    tech = DepartmentFactory(organisation=org, name="Engineering")
    alice.department = tech
    alice.save(update_fields=["department"])
    enrol_mentee(program, person=alice, skill=skill)
    mo = enrol_mentor(
        program,
        name="Mo Mentor",
        skill=skill,
        level=5,
        department=sales,
        job_title="Staff engineer",
        location="Leeds",
        goals="Help new engineers find their feet.",
    )
    mia = enrol_mentor(program, name="Mia Mentor", skill=skill, level=4, department=tech)
    max_ = enrol_mentor(program, name="Max Paused", skill=skill, level=5, department=sales)
    program.enrolments.filter(person=max_).update(paused_until="2099-01-01")
    lou = PersonFactory(organisation=org, full_name="Lou Lead", seniority=7, roles=[Role.PARTICIPANT])
    alice.manager = lou
    alice.save(update_fields=["manager"])
    enrol_mentor(program, name="", skill=skill, level=5, person=lou)
    return Cohort(program=program, skill=skill, alice=alice, mo=mo, mia=mia, max=max_, lou=lou, pam=pam)


def lock(c: Cohort) -> None:
    """In a program with both matching and choice, the manager locks Alice to Mia."""
    c.program.matching_mode = MatchingMode.BOTH
    c.program.save(update_fields=["matching_mode"])
    PairRule.objects.create(program=c.program, mentor=c.mia, mentee=c.alice, kind=PairRuleKind.LOCK)
