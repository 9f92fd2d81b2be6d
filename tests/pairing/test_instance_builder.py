from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentora.matching import parse_instance
from mentora.matching.instance import check_schema
from mentora.matching.shortlist import Shortlister
from mentora.pairing.instance_builder import Exclusion, build, build_instance, compress_manager_chains
from mentora.pairing.models import PairRule, PairRuleKind
from mentora.people.models import DemographicProfile, MeetingMode, Person, SelfAssessment
from mentora.programs.models import EnrolmentRole, EnrolmentStatus, IntakeAnswer, MatchingComponent
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus
from tests.factories import (
    DemographicProfileFactory,
    DepartmentFactory,
    LanguageFactory,
    OfferedSkillFactory,
    PersonFactory,
    SkillFactory,
    WantedSkillFactory,
)
from tests.pairing.conftest import enrol_mentee, enrol_mentor
from tests.programs.factories import EnrolmentFactory, IntakeQuestionFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def by_id(instance):
    return {person["id"]: person for person in instance["people"]}


def test_it_maps_a_person_to_the_engine_fields(program, skill):
    french = LanguageFactory(code="fr", name="French")
    mentor = enrol_mentor(
        program,
        name="Maya",
        skill=skill,
        level=4,
        capacity=3,
        time_zone="Europe/Paris",
        job_family="Engineering",
        location="Lyon",
        meeting_mode=MeetingMode.VIDEO,
        availability_hours_per_month=13,
        goals="Grow leaders",
    )
    mentor.languages.add(french)
    mentee = enrol_mentee(
        program,
        name="Ella",
        skill=skill,
        self_level=2,
        meeting_mode=MeetingMode.EITHER,
        purpose="Lead a team",
    )
    question = IntakeQuestionFactory(program=program, feeds=MatchingComponent.PURPOSE)
    enrolment = mentee.enrolments.get(program=program)
    IntakeAnswer.objects.create(enrolment=enrolment, question=question, value="Become a product owner")
    DemographicProfileFactory(person=mentee, gender="woman", under_sponsored=True)

    instance = build_instance(program=program)
    parse_instance(instance)  # valid for the engine
    people = by_id(instance)
    m, e = people[str(mentor.pk)], people[str(mentee.pk)]
    assert m["roles"] == ["mentor"] and m["capacity"] == 3
    assert m["timezone"] == "Europe/Paris" and m["languages"] == ["fr"]
    assert m["offered_skills"] == {skill.slug: 4}
    assert m["meeting_mode"] == "remote" and m["location"] == "Lyon" and m["job_family"] == "Engineering"
    assert m["availability"]["hours_per_week"] == pytest.approx(3.0)
    assert e["roles"] == ["mentee"] and "capacity" not in e
    assert e["wanted_skills"] == {skill.slug: 1}
    assert e["self_assessment"] == {skill.slug: 2}
    assert e["meeting_mode"] == "hybrid"
    assert "Lead a team" in e["goals"] and "Become a product owner" in e["goals"]
    assert e["demographic_group"] == "woman" and e["under_sponsored"] is True
    assert instance["program"]["format"] == "one_to_one"
    assert instance["program"]["weights"] == program.weights
    assert instance["program"]["diversity_dial"] == program.similarity_diversity_dial


def test_run_settings_override_the_programs_weights_and_options(program, cohort):
    settings = {"weights": {"goal_fit": 1.0}, "diversity_dial": 0.2, "options": {"min_tz_overlap_hours": 4}}
    program_json = build_instance(program=program, settings=settings)["program"]
    assert program_json["weights"]["goal_fit"] == 1.0
    assert program_json["diversity_dial"] == 0.2
    assert program_json["min_tz_overlap_hours"] == 4


def test_it_leaves_out_applicants_paused_mentors_and_matched_mentees(program, skill, cohort):
    mentors, mentees = cohort
    applicant = enrol_mentee(program, name="Anna Applicant", skill=skill)
    applicant.enrolments.update(status=EnrolmentStatus.APPLIED)
    paused = enrol_mentor(program, name="Paul Paused", skill=skill)
    paused.enrolments.update(paused_until=timezone.localdate() + timedelta(days=30))
    Relationship.objects.create(
        program=program,
        mentor=mentors[0],
        mentee=mentees[0],
        origin=RelationshipOrigin.MANUAL,
        ends_on=program.ends_on,
    )

    built = build(program=program)
    people = by_id(built.instance)
    assert str(applicant.pk) not in people
    assert str(paused.pk) not in people
    assert str(mentees[0].pk) not in people
    assert people[str(mentors[0].pk)]["capacity"] == 1  # 2 minus one live relationship
    reasons = {(x["person"], x["reason"]) for x in built.excluded}
    assert (str(paused.pk), Exclusion.PAUSED) in reasons
    assert (str(mentees[0].pk), Exclusion.ALREADY_MATCHED) in reasons


def test_a_mentor_with_no_free_place_is_left_out(program, skill, cohort):
    mentors, mentees = cohort
    for mentee in mentees[:2]:
        Relationship.objects.create(
            program=program,
            mentor=mentors[0],
            mentee=mentee,
            origin=RelationshipOrigin.MANUAL,
            ends_on=program.ends_on,
        )
    built = build(program=program)
    assert str(mentors[0].pk) not in by_id(built.instance)
    assert {"person": str(mentors[0].pk), "role": "mentor", "reason": Exclusion.FULL} in built.excluded


def test_previous_partners_come_from_any_program(org, program, cohort):
    mentors, mentees = cohort
    earlier = ProgramFactory(organisation=org, name="Earlier")
    EnrolmentFactory(program=earlier, person=mentors[1], role=EnrolmentRole.MENTOR)
    Relationship.objects.create(
        program=earlier,
        ends_on=earlier.ends_on,
        mentor=mentors[1],
        mentee=mentees[2],
        origin=RelationshipOrigin.MANUAL,
        status=RelationshipStatus.ENDED,
        mentor_consented_at=timezone.now(),
        mentee_consented_at=timezone.now(),
        started_at=timezone.now(),
        ended_at=timezone.now(),
    )
    people = by_id(build_instance(program=program))
    assert people[str(mentees[2].pk)]["previous_partners"] == [str(mentors[1].pk)]
    assert people[str(mentors[1].pk)]["previous_partners"] == [str(mentees[2].pk)]


def test_forbidden_and_excluded_pairs_become_blocks(program, cohort):
    mentors, mentees = cohort
    PairRule.objects.create(program=program, mentor=mentors[0], mentee=mentees[0], kind=PairRuleKind.FORBID)
    people = by_id(build_instance(program=program, exclude_pairs=[(mentors[1].pk, mentees[1].pk)]))
    assert people[str(mentees[0].pk)]["blocks"] == [str(mentors[0].pk)]
    assert people[str(mentees[1].pk)]["blocks"] == [str(mentors[1].pk)]


def test_a_locked_pair_is_taken_out_of_the_pool(program, cohort):
    mentors, mentees = cohort
    PairRule.objects.create(program=program, mentor=mentors[0], mentee=mentees[0], kind=PairRuleKind.LOCK)
    built = build(program=program)
    people = by_id(built.instance)
    assert str(mentees[0].pk) not in people
    assert people[str(mentors[0].pk)]["capacity"] == 1
    assert built.locked == [(str(mentors[0].pk), str(mentees[0].pk))]
    evaluation = by_id(built.evaluation)
    assert evaluation[str(mentors[0].pk)]["capacity"] == 2 and str(mentees[0].pk) in evaluation


def test_manager_chains_are_compressed_through_non_participants(org, program, skill):
    """Skip-level: the mentor manages Mia, who manages the mentee; Mia is not in the program."""
    mentor = enrol_mentor(program, name="Big Boss", skill=skill)
    middle = PersonFactory(organisation=org, full_name="Mia Middle", manager=mentor)
    mentee = enrol_mentee(program, name="Junior", skill=skill, manager=middle)
    outsider_boss = PersonFactory(organisation=org, full_name="Outside Boss")
    other = enrol_mentee(program, name="Other", skill=skill, manager=outsider_boss)

    people = by_id(build_instance(program=program))
    assert people[str(mentee.pk)]["manager_id"] == str(mentor.pk)
    assert people[str(mentor.pk)]["manager_id"] is None
    assert people[str(other.pk)]["manager_id"] is None
    assert str(middle.pk) not in people


def test_the_engine_never_pairs_across_a_compressed_reporting_line(org, program, skill):
    from mentora.matching.engine import solve

    mentor = enrol_mentor(program, name="Big Boss", skill=skill)
    middle = PersonFactory(organisation=org, full_name="Mia Middle", manager=mentor)
    enrol_mentee(program, name="Junior", skill=skill, manager=middle)
    result = solve(parse_instance(build_instance(program=program)))
    assert result["pairs"] == []


def test_compression_preserves_the_ancestor_relation():
    # 1 -> 2 -> 3 -> 4 -> 5 and 6 -> 3 ; keep {1, 3, 5, 6}
    manager_of = {1: 2, 2: 3, 3: 4, 4: 5, 5: None, 6: 3}
    assert compress_manager_chains(manager_of, {1, 3, 5, 6}) == {1: 3, 3: 5, 5: None, 6: 3}
    assert compress_manager_chains({1: 2, 2: 1}, {1}) == {1: None}  # a cycle in bad data ends


def test_demographics_without_consent_profile_are_absent(program, cohort):
    _, mentees = cohort
    person = by_id(build_instance(program=program))[str(mentees[1].pk)]
    assert "demographic_group" not in person and "under_sponsored" not in person


def test_it_loads_in_a_fixed_number_of_queries(program, skill, cohort):
    with CaptureQueriesContext(connection) as small:
        build_instance(program=program)
    for n in range(6):
        mentee = enrol_mentee(program, name=f"Extra {n}", skill=skill, self_level=1)
        DemographicProfileFactory(person=mentee)
        mentee.languages.add(LanguageFactory(code=f"l{n}"))
    with CaptureQueriesContext(connection) as large:
        build_instance(program=program)
    assert len(large) == len(small)


def varied_program(program, skill):
    """Every kind of person the builder reads: languages, several skills, departments, consented
    and absent demographics, a zone that names nothing, managers, a self-assessment, intake answers,
    a previous pair, a block, a lock, a paused and a full mentor, someone who left."""
    org = program.organisation
    other_skill = SkillFactory(organisation=org, name="Pricing", slug="pricing")
    french, german = LanguageFactory(code="fr", name="French"), LanguageFactory(code="de", name="German")
    sales = DepartmentFactory(organisation=org, name="Sales")
    mentors = [
        enrol_mentor(
            program,
            name=f"Mentor {n}",
            skill=skill,
            level=1 + n % 5,
            seniority=5 + n % 4,
            capacity=1 + n % 3,
            department=sales if n % 2 else None,
            time_zone=["Europe/Paris", "Asia/Kolkata", "Not/AZone", "America/St_Johns"][n % 4],
            meeting_mode=[MeetingMode.VIDEO, MeetingMode.IN_PERSON, MeetingMode.EITHER][n % 3],
            availability_hours_per_month=2 + n,
            goals=f"Goal {n}",
        )
        for n in range(6)
    ]
    mentees = [
        enrol_mentee(
            program,
            name=f"Mentee {n}",
            skill=skill,
            seniority=1 + n % 3,
            self_level=n % 4 if n % 2 else None,
            department=sales if n % 3 == 0 else None,
            manager=mentors[n % 6] if n % 4 == 0 else None,
            purpose=f"Purpose {n}",
        )
        for n in range(8)
    ]
    for n, person in enumerate(mentors + mentees):
        if n % 2:
            person.languages.add(french)
        if n % 3 == 0:
            person.languages.add(german)
        if n % 5 == 0:
            OfferedSkillFactory(person=person, skill=other_skill, level=2)
            WantedSkillFactory(person=person, skill=other_skill, priority=3)
        if n % 4 == 1:
            DemographicProfileFactory(
                person=person, gender="" if n % 8 == 1 else "man", under_sponsored=n % 3 == 0
            )
    question = IntakeQuestionFactory(program=program, feeds=MatchingComponent.PURPOSE)
    IntakeAnswer.objects.create(
        enrolment=mentees[1].enrolments.get(program=program), question=question, value="Run a P&L"
    )
    mentors[2].enrolments.update(paused_until=timezone.localdate() + timedelta(days=9))
    mentors[3].enrolments.update(capacity=1)
    Relationship.objects.create(
        program=program,
        mentor=mentors[3],
        mentee=mentees[2],
        origin=RelationshipOrigin.MANUAL,
        ends_on=program.ends_on,
    )
    Relationship.objects.create(
        program=ProgramFactory(organisation=org),
        mentor=mentors[4],
        mentee=mentees[3],
        origin=RelationshipOrigin.MANUAL,
        status=RelationshipStatus.ENDED,
        started_at=timezone.now(),
        ended_at=timezone.now(),
        ends_on=program.ends_on,
    )
    PairRule.objects.create(program=program, mentor=mentors[0], mentee=mentees[4], kind=PairRuleKind.FORBID)
    PairRule.objects.create(program=program, mentor=mentors[5], mentee=mentees[5], kind=PairRuleKind.LOCK)
    mentees[7].is_active = False
    mentees[7].save(update_fields=["is_active"])
    return mentors, mentees


def person_fields_read_one_by_one(person: Person) -> dict:
    """The engine fields of one person, read through the ORM objects as the builder once did."""
    out = {
        "seniority": person.seniority,
        "timezone": person.zone.key,
        "offered_skills": {o.skill.slug: o.level for o in person.offered_skills.all()},
        "department": person.department.name if person.department else "",
        "job_family": person.job_family,
        "availability": {"hours_per_week": round(person.availability_hours_per_month / (52 / 12), 3)},
        "location": person.location,
        "meeting_mode": {"in_person": "in_person", "video": "remote"}.get(person.meeting_mode, "hybrid"),
        "languages": [language.code for language in person.languages.all()] or None,
    }
    profile = DemographicProfile.objects.filter(person=person).first()
    if profile is not None:
        out["under_sponsored"] = profile.under_sponsored
        out["demographic_group"] = profile.gender or None
    assessment = SelfAssessment.objects.filter(person=person).first()
    out["self_assessment"] = {r.skill.slug: r.level for r in assessment.ratings.all()} if assessment else {}
    return out


def test_the_set_based_builder_reads_every_person_as_the_orm_objects_say(program, skill):
    varied_program(program, skill)
    built = build(program=program)
    for entry in built.evaluation["people"]:
        expected = person_fields_read_one_by_one(Person.objects.get(pk=int(entry["id"])))
        got = {name: entry.get(name) for name in expected}
        assert got == expected, entry["id"]
    excluded = {(row["person"], row["reason"]) for row in built.excluded}
    assert {reason for _, reason in excluded} == {
        Exclusion.PAUSED,
        Exclusion.ALREADY_MATCHED,
        Exclusion.LOCKED,
        Exclusion.INACTIVE,
        Exclusion.FULL,
    }


def test_the_builders_output_validates_against_the_shipped_schema(program, skill):
    """The shortlist parses the builder's output as trusted (no schema check): this keeps the two
    from drifting."""
    varied_program(program, skill)
    built = build(program=program)
    check_schema(built.instance)
    check_schema(built.evaluation)
    trusted = Shortlister(parse_instance(built.instance, trusted=True))
    checked = Shortlister(parse_instance(built.instance))
    mentees = [p["id"] for p in built.instance["people"] if "mentee" in p["roles"]]
    assert mentees
    for mentee in mentees:
        assert [e.to_json() for e in trusted.shortlist(mentee)] == [
            e.to_json() for e in checked.shortlist(mentee)
        ]


def test_building_reads_a_fixed_number_of_queries(program, skill):
    varied_program(program, skill)
    with CaptureQueriesContext(connection) as small:
        build(program=program)
    for n in range(5):
        mentor = enrol_mentor(program, name=f"More {n}", skill=skill, time_zone="Asia/Tokyo")
        mentor.languages.add(LanguageFactory(code=f"x{n}", name=f"Lang {n}"))
        enrol_mentee(program, name=f"More mentee {n}", skill=skill, self_level=2)
    with CaptureQueriesContext(connection) as large:
        build(program=program)
    assert len(large) == len(small)
