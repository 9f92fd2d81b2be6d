"""The "who is missing" panel: approved people, and places counted by the one free-places rule
(`relationships.selectors.mentor_rooms`), so that a mentee already paired is not missing a place."""

import datetime

from mentora.programs.models import Enrolment, EnrolmentStatus, ProgramStatus
from mentora.relationships import services
from mentora.relationships.models import RelationshipOrigin
from mentora.relationships.selectors import program_gaps
from tests.factories import DepartmentFactory, PersonFactory
from tests.programs.factories import EnrolmentFactory, ProgramFactory

PAUSED = datetime.date(2099, 1, 1)


def _pair(program, mentor, mentee) -> None:
    services.relationship_create_pending(
        program=program, mentor=mentor, mentee=mentee, origin=RelationshipOrigin.MANUAL
    )


def test_gaps_count_capacity_shortfall_and_departments_without_mentors(org):
    engineering = DepartmentFactory(organisation=org, name="Engineering")
    sales = DepartmentFactory(organisation=org, name="Sales")
    program = ProgramFactory(organisation=org, mentor_min_seniority=2)
    for _ in range(5):
        EnrolmentFactory(program=program, person=PersonFactory(organisation=org, department=sales))
    EnrolmentFactory(
        program=program,
        person=PersonFactory(organisation=org, department=engineering, seniority=3),
        role="mentor",
        capacity=2,
    )
    EnrolmentFactory(program=program, role="mentor", capacity=4, paused_until=PAUSED)
    EnrolmentFactory(program=program, status=EnrolmentStatus.APPLIED)
    gaps = program_gaps(program=program)
    assert (gaps.mentees, gaps.mentors, gaps.capacity, gaps.free_places, gaps.shortfall) == (5, 2, 2, 2, 3)
    assert (gaps.unpaired_mentees, gaps.paused_mentors, gaps.pending) == (5, 1, 1)
    assert gaps.departments_without_mentors == [sales]
    assert gaps.eligible_mentors == 1


def test_gaps_count_the_mentors_whose_places_count_as_matching_does(org):
    """A mentor who left the organisation is no capacity: the pool and the runs leave them out."""
    program = ProgramFactory(organisation=org)
    EnrolmentFactory(program=program, person=PersonFactory(organisation=org))
    EnrolmentFactory(program=program, role="mentor", capacity=2)
    EnrolmentFactory(
        program=program, role="mentor", capacity=3, person=PersonFactory(organisation=org, is_active=False)
    )
    EnrolmentFactory(
        program=program,
        role="mentor",
        capacity=4,
        paused_until=PAUSED,
        person=PersonFactory(organisation=org, is_active=False),
    )
    gaps = program_gaps(program=program)
    assert (gaps.mentors, gaps.capacity, gaps.free_places, gaps.paused_mentors) == (1, 2, 2, 0)


def test_gaps_leave_out_the_people_who_left_the_organisation(org):
    """A leaver is no mentee to pair, no application to decide and no mentor for a department."""
    sales = DepartmentFactory(organisation=org, name="Sales")
    program = ProgramFactory(organisation=org)
    EnrolmentFactory(program=program, person=PersonFactory(organisation=org, department=sales))
    for status in (EnrolmentStatus.APPROVED, EnrolmentStatus.APPLIED):
        EnrolmentFactory(
            program=program, status=status, person=PersonFactory(organisation=org, is_active=False)
        )
    EnrolmentFactory(
        program=program,
        role="mentor",
        capacity=2,
        person=PersonFactory(organisation=org, department=sales, is_active=False),
    )
    gaps = program_gaps(program=program)
    assert (gaps.mentees, gaps.pending, gaps.shortfall) == (1, 0, 1)
    assert gaps.departments_without_mentors == [sales]


def test_gaps_flag_a_program_nobody_may_mentor(org, alice):
    program = ProgramFactory(organisation=org, mentor_min_seniority=9)
    gaps = program_gaps(program=program)
    assert gaps.eligible_mentors == 0 and gaps.is_empty


def test_mentees_paired_with_a_mentor_who_then_paused_are_not_missing_a_place(org):
    """Before, the panel set every approved mentee against the places of mentors not paused: a
    mentor who paused after taking two mentees left 'not enough capacity for 2 mentees' although
    both were paired."""
    program = ProgramFactory(organisation=org, status=ProgramStatus.RUNNING)
    mentor = PersonFactory(organisation=org, seniority=5)
    EnrolmentFactory(program=program, person=mentor, role="mentor", capacity=2)
    for _ in range(2):
        mentee = PersonFactory(organisation=org)
        EnrolmentFactory(program=program, person=mentee)
        _pair(program, mentor, mentee)
    Enrolment.objects.filter(program=program, person=mentor).update(paused_until=PAUSED)

    gaps = program_gaps(program=program)
    assert (gaps.mentees, gaps.unpaired_mentees, gaps.capacity, gaps.free_places) == (2, 0, 0, 0)
    assert gaps.shortfall == 0


def test_a_full_mentor_has_no_free_place_for_a_mentee_still_waiting(org):
    """Places taken by live pairs are not free: capacity 3 with two pairs leaves one place, and
    two mentees still waiting are one short."""
    program = ProgramFactory(organisation=org, status=ProgramStatus.RUNNING)
    mentor = PersonFactory(organisation=org, seniority=5)
    EnrolmentFactory(program=program, person=mentor, role="mentor", capacity=3)
    for paired in (True, True, False, False):
        mentee = PersonFactory(organisation=org)
        EnrolmentFactory(program=program, person=mentee)
        if paired:
            _pair(program, mentor, mentee)

    gaps = program_gaps(program=program)
    assert (gaps.mentees, gaps.unpaired_mentees, gaps.capacity, gaps.free_places) == (4, 2, 3, 1)
    assert gaps.shortfall == 1
