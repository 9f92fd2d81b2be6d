"""The compiled shortlister is reused until something the shortlist depends on changes: one test per
kind of change, each through the service that makes it (or the row it writes, where only a run's
proposal makes it). Places are read live, so taking one does not recompile."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentora.core.roles import viewer_for
from mentora.pairing import choose_selectors as selectors
from mentora.pairing import choose_services as services
from mentora.pairing.models import PairRule, PairRuleKind
from mentora.pairing.services import pair_allow_again
from mentora.people import skill_review
from mentora.people.services import demographics_set, profile_update, self_assessment_update
from mentora.programs.models import EnrolmentRole, EnrolmentStatus
from mentora.programs.services import enrolment_decide, mentor_availability_set, program_update
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus
from tests.factories import SkillFactory
from tests.pairing.choose_setup import cohort, enrol_mentee, enrol_mentor
from tests.programs.factories import EnrolmentFactory, ProgramFactory


@pytest.fixture(autouse=True)
def fresh_cache():
    selectors.shortlister_cache_clear()
    yield
    selectors.shortlister_cache_clear()


@pytest.fixture
def c(org, alice, pam):
    return cohort(org, alice, pam)


def compiled(c):
    return selectors.program_shortlister(program=c.program)


def names(c):
    return [
        item.mentor.full_name for item in selectors.shortlist_for(program=c.program, mentee=c.alice).items
    ]


def profile_of(person, **changes):
    """`profile_update` with the person's current profile, some fields changed."""
    values = {
        "job_title": person.job_title,
        "department_id": person.department_id,
        "manager_id": person.manager_id,
        "seniority": person.seniority,
        "location": person.location,
        "time_zone": person.time_zone,
        "languages": list(person.languages.all()),
        "availability_hours_per_month": person.availability_hours_per_month,
        "meeting_mode": person.meeting_mode,
        "goals": person.goals,
        "purpose": person.purpose,
        "offered_skills": list(person.offered_skills.values_list("skill_id", "level")),
        "wanted_skills": list(person.wanted_skills.values_list("skill_id", "priority")),
    }
    return profile_update(person=person, **{**values, **changes})


def test_it_is_reused_while_nothing_changes(c):
    first = compiled(c)
    names(c)
    assert compiled(c) is first


def test_taking_a_place_does_not_recompile_but_is_seen_at_once(c):
    other = enrol_mentee(c.program, name="Other", skill=c.skill)
    mentor_availability_set(enrolment=c.program.enrolments.get(person=c.mo), capacity=1, paused_until=None)
    first = compiled(c)
    services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo)  # Mo is full
    shortlist = selectors.shortlist_for(program=c.program, mentee=other)
    assert compiled(c) is first
    assert "Mo Mentor" not in [item.mentor.full_name for item in shortlist.items]


def test_a_capacity_change_is_seen_without_recompiling(c):
    first = compiled(c)
    mentor_availability_set(enrolment=c.program.enrolments.get(person=c.mia), capacity=3, paused_until=None)
    items = selectors.shortlist_for(program=c.program, mentee=c.alice).items
    mia = next(item for item in items if item.mentor.full_name == "Mia Mentor")
    assert mia.mentor.free == 3
    assert compiled(c) is first


def test_a_full_mentor_given_a_place_again_is_compiled_in(c):
    other = enrol_mentee(c.program, name="Other", skill=c.skill)
    mentor_availability_set(enrolment=c.program.enrolments.get(person=c.mo), capacity=1, paused_until=None)
    services.mentor_request_create(program=c.program, mentee=other, mentor=c.mo)
    selectors.shortlister_cache_clear()
    assert "Mo Mentor" not in names(c)  # compiled while Mo was full: Mo is not in it
    mentor_availability_set(enrolment=c.program.enrolments.get(person=c.mo), capacity=2, paused_until=None)
    assert "Mo Mentor" in names(c)


def test_a_new_enrolment_recompiles(c):
    first = compiled(c)
    enrol_mentor(c.program, name="Nia New", skill=c.skill, level=5)
    assert compiled(c) is not first
    assert "Nia New" in names(c)


def test_a_decision_on_an_enrolment_recompiles(c, org, pam):
    late = EnrolmentFactory(program=c.program, role=EnrolmentRole.MENTEE, status=EnrolmentStatus.APPLIED)
    first = compiled(c)
    enrolment_decide(enrolment=late, actor=pam, approve=True)
    assert compiled(c) is not first


def test_a_profile_edit_recompiles(c):
    first = compiled(c)
    names(c)
    profile_of(c.mo, offered_skills=[])  # Mo no longer offers Python
    assert compiled(c) is not first
    assert "Mo Mentor" not in names(c)


def test_an_availability_change_recompiles(c):
    first = compiled(c)
    profile_of(c.mia, availability_hours_per_month=9)
    assert compiled(c) is not first


def test_a_self_assessment_edit_recompiles(c):
    first = compiled(c)
    self_assessment_update(person=c.alice, reflection="", ratings=[(c.skill.pk, 4)])
    assert compiled(c) is not first


def test_a_demographics_edit_recompiles(c):
    first = compiled(c)
    demographics_set(person=c.alice, consent=True, under_sponsored=True)
    assert compiled(c) is not first


def test_a_skill_merge_recompiles(c, olga):
    first = compiled(c)
    skill_review.skill_merge(
        viewer=viewer_for(olga.user), skill=c.skill, into=SkillFactory(organisation=c.program.organisation)
    )
    assert compiled(c) is not first


def test_a_program_edit_recompiles(c):
    first = compiled(c)
    program_update(program=c.program, values={"similarity_diversity_dial": 0.9})
    assert compiled(c) is not first


def test_a_block_recompiles(c):
    first = compiled(c)
    PairRule.objects.create(program=c.program, mentor=c.mo, mentee=c.alice, kind=PairRuleKind.FORBID)
    assert compiled(c) is not first
    assert "Mo Mentor" not in names(c)


def test_a_decline_and_an_allowance_recompile(c, pam):
    request = services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo)
    services.mentor_request_answer(request=request, mentor=c.mo, accept=False)
    assert "Mo Mentor" not in names(c)
    first = compiled(c)
    pair_allow_again(program=c.program, mentor=c.mo, mentee=c.alice, by=pam)
    assert compiled(c) is not first
    assert "Mo Mentor" in names(c)


def test_partners_from_another_program_recompile(c, org):
    first = compiled(c)
    Relationship.objects.create(
        program=ProgramFactory(organisation=org),
        mentor=c.mo,
        mentee=c.alice,
        origin=RelationshipOrigin.PROPOSAL,
        status=RelationshipStatus.ENDED,
        started_at=timezone.now(),
        ended_at=timezone.now(),
        ends_on=timezone.localdate(),
    )
    assert compiled(c) is not first


def test_a_new_day_recompiles(c, monkeypatch):
    first = compiled(c)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    assert compiled(c) is not first


def test_a_warm_shortlist_reads_a_fixed_number_of_queries(c, org):
    names(c)
    with CaptureQueriesContext(connection) as few:
        names(c)
    for n in range(6):
        enrol_mentor(c.program, name=f"Extra {n}", skill=c.skill, level=3)
        enrol_mentee(c.program, name=f"Waiting {n}", skill=c.skill)
    names(c)
    with CaptureQueriesContext(connection) as many:
        names(c)
    assert len(many) == len(few)
