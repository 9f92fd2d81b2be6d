"""Program services: design rules, lifecycle, questionnaire, invitations, enrolment, approval."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mentora.programs import invitations, services
from mentora.programs.models import (
    EnrolmentRole,
    EnrolmentStatus,
    IntakeAnswer,
    MatchingComponent,
    Program,
    ProgramManager,
    ProgramStatus,
    ProgramType,
    QuestionKind,
)
from tests.factories import DepartmentFactory, SkillFactory
from tests.programs.factories import EnrolmentFactory, IntakeQuestionFactory, ProgramFactory


def values(**overrides):
    base = {
        "name": "Future leads",
        "strategic_objective": "Grow our next engineering leads",
        "purpose": "Help senior engineers become leads.",
        "goals": "A plan, a network.",
        "program_type": ProgramType.MENTORING,
        "format": "one_to_one",
        "starts_on": datetime.date(2031, 1, 1),
        "ends_on": datetime.date(2031, 6, 30),
    }
    return {**base, **overrides}


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# ---- design ----------------------------------------------------------------------------------


def test_a_program_manager_designs_a_draft_and_manages_it(pam):
    program = services.program_create(actor=pam, values=values(eligible_locations="London, lisbon,London"))
    assert program.status == ProgramStatus.DRAFT
    assert program.organisation == pam.organisation
    assert ProgramManager.objects.filter(program=program, person=pam).exists()
    assert program.eligible_locations == ["London", "lisbon"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"weight_goal_fit": -0.1}, "greater than or equal to 0"),
        ({"weight_diversity": 1.5}, "less than or equal to 1"),
        (
            {
                "weight_goal_fit": 0,
                "weight_purpose": 0,
                "weight_diversity": 0,
                "weight_practical": 0,
                "weight_preference": 0,
            },
            "At least one matching weight must be above 0.",
        ),
        ({"similarity_diversity_dial": 2}, "less than or equal to 1"),
        ({"ends_on": datetime.date(2030, 12, 1)}, "The cycle must end after it starts."),
        ({"min_seniority": 6, "max_seniority": 3}, "lowest eligible seniority must not be above"),
        ({"default_mentor_capacity": 0}, "greater than or equal to 1"),
        ({"format": "circles"}, "This format is not available yet."),
        ({"program_type": "therapy"}, "not a valid choice"),
    ],
)
def test_it_rejects_invalid_designs_with_clear_messages(pam, overrides, message):
    with pytest.raises(ValidationError) as caught:
        services.program_create(actor=pam, values=values(**overrides))
    assert message in messages_of(caught.value)
    assert not Program.objects.exists()


def test_the_database_itself_refuses_all_zero_weights(org):
    program = ProgramFactory(organisation=org)
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.filter(pk=program.pk).update(
            weight_goal_fit=0, weight_purpose=0, weight_diversity=0, weight_practical=0, weight_preference=0
        )


def test_the_database_refuses_a_cycle_ending_before_it_starts(org):
    program = ProgramFactory(organisation=org)
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.filter(pk=program.pk).update(ends_on=datetime.date(2000, 1, 1))


def test_two_programs_of_an_organisation_cannot_share_a_name(pam):
    services.program_create(actor=pam, values=values())
    with pytest.raises(ValidationError) as caught:
        services.program_create(actor=pam, values=values())
    assert "already has a program with this name" in messages_of(caught.value)


def test_eligible_departments_must_belong_to_the_organisation(pam, other_org):
    foreign = DepartmentFactory(organisation=other_org)
    with pytest.raises(ValidationError) as caught:
        services.program_create(actor=pam, values=values(eligible_departments=[foreign.pk]))
    assert "Pick departments of your own organisation." in messages_of(caught.value)
    assert not Program.objects.exists()


def test_unknown_fields_are_refused(pam):
    with pytest.raises(ValidationError):
        services.program_create(actor=pam, values=values(status="running"))


def test_only_coaching_programs_have_a_curriculum(org):
    mentoring = ProgramFactory(organisation=org)
    with pytest.raises(ValidationError, match="Only coaching"):
        services.program_set_curriculum(program=mentoring, items=[("Listening", "")])
    coaching = ProgramFactory(organisation=org, program_type=ProgramType.COACHING)
    services.program_set_curriculum(program=coaching, items=[("Listening", "active"), ("Feedback", "")])
    services.program_set_curriculum(program=coaching, items=[("Goals", ""), ("Listening", "active")])
    assert [item.title for item in coaching.curriculum_items.all()] == ["Goals", "Listening"]


# ---- lifecycle -------------------------------------------------------------------------------


def test_the_lifecycle_goes_forward_one_step_at_a_time(org):
    program = ProgramFactory(organisation=org, status=ProgramStatus.DRAFT)
    program = services.program_set_status(program=program, status=ProgramStatus.OPEN)
    with pytest.raises(ValidationError, match="cannot go from"):
        services.program_set_status(program=program, status=ProgramStatus.CLOSED)


def test_an_empty_program_cannot_move_to_matching(org):
    program = ProgramFactory(organisation=org, status=ProgramStatus.OPEN)
    with pytest.raises(ValidationError) as caught:
        services.program_set_status(program=program, status=ProgramStatus.MATCHING)
    assert "at least one approved mentee and one approved mentor" in messages_of(caught.value)
    EnrolmentFactory(program=program, role=EnrolmentRole.MENTEE)
    EnrolmentFactory(program=program, role=EnrolmentRole.MENTOR)
    assert services.program_set_status(program=program, status=ProgramStatus.MATCHING).status == "matching"


def test_a_closed_program_cannot_change(org):
    program = ProgramFactory(organisation=org, status=ProgramStatus.CLOSED)
    with pytest.raises(ValidationError, match="closed program"):
        services.program_update(program=program, values={"name": "New"})


def test_only_an_empty_draft_can_be_deleted(org):
    program = ProgramFactory(organisation=org, status=ProgramStatus.DRAFT)
    EnrolmentFactory(program=program)
    with pytest.raises(ValidationError):
        services.program_delete(program=program)


# ---- questionnaire ---------------------------------------------------------------------------


def test_choice_questions_need_two_different_choices(org):
    program = ProgramFactory(organisation=org)
    with pytest.raises(ValidationError, match="at least two different choices"):
        services.intake_question_add(
            program=program,
            values={"prompt": "Pick", "kind": QuestionKind.SINGLE_CHOICE, "choices": ["A", "A"]},
        )
    question = services.intake_question_add(
        program=program,
        values={
            "prompt": "Meeting mode?",
            "kind": QuestionKind.SINGLE_CHOICE,
            "choices": [" Video ", "In person", ""],
            "feeds": MatchingComponent.PRACTICAL,
        },
    )
    assert question.choices == ["Video", "In person"]
    assert question.position == 1


def test_a_running_programs_questionnaire_is_frozen(org):
    program = ProgramFactory(organisation=org, status=ProgramStatus.RUNNING)
    with pytest.raises(ValidationError, match="only change while"):
        services.intake_question_add(
            program=program, values={"prompt": "Late?", "kind": QuestionKind.SHORT_TEXT}
        )


def test_an_answered_question_cannot_be_deleted(org):
    program = ProgramFactory(organisation=org)
    question = IntakeQuestionFactory(program=program)
    enrolment = EnrolmentFactory(program=program)
    IntakeAnswer.objects.create(enrolment=enrolment, question=question, value="x")
    with pytest.raises(ValidationError, match="cannot be deleted"):
        services.intake_question_delete(question=question)


# ---- enrolment -------------------------------------------------------------------------------


def test_an_eligible_person_applies_with_answers(org, alice):
    program = ProgramFactory(organisation=org)
    skill = SkillFactory(organisation=org)
    text = IntakeQuestionFactory(program=program, kind=QuestionKind.LONG_TEXT)
    single = IntakeQuestionFactory(program=program, kind=QuestionKind.SINGLE_CHOICE, choices=["A", "B"])
    multiple = IntakeQuestionFactory(
        program=program, kind=QuestionKind.MULTIPLE_CHOICE, choices=["X", "Y", "Z"]
    )
    scale = IntakeQuestionFactory(program=program, kind=QuestionKind.SCALE)
    skills = IntakeQuestionFactory(program=program, kind=QuestionKind.SKILL_PICK)
    optional = IntakeQuestionFactory(program=program, required=False)
    mentors_only = IntakeQuestionFactory(program=program, audience="mentor")
    enrolment = services.program_enrol(
        program=program,
        person=alice,
        role=EnrolmentRole.MENTEE,
        answers={
            str(text.pk): " I want to lead ",
            single.pk: "B",
            multiple.pk: ["Z", "X"],
            scale.pk: "4",
            skills.pk: [str(skill.pk)],
        },
    )
    assert enrolment.status == EnrolmentStatus.APPLIED
    assert enrolment.capacity is None
    stored = {answer.question_id: answer.value for answer in enrolment.answers.all()}
    assert stored == {
        text.pk: "I want to lead",
        single.pk: "B",
        multiple.pk: ["X", "Z"],
        scale.pk: 4,
        skills.pk: [skill.pk],
    }
    assert optional.pk not in stored and mentors_only.pk not in stored


@pytest.mark.parametrize(
    ("kind", "choices", "answer", "message"),
    [
        (QuestionKind.SHORT_TEXT, [], "", "Please answer this question."),
        (QuestionKind.SHORT_TEXT, [], "x" * 201, "under 200 characters"),
        (QuestionKind.SINGLE_CHOICE, ["A", "B"], "C", "Pick one of the choices"),
        (QuestionKind.MULTIPLE_CHOICE, ["A", "B"], ["A", "Q"], "Pick among the choices"),
        (QuestionKind.SCALE, [], 6, "from 1 to 5"),
        (QuestionKind.SCALE, [], "lots", "from 1 to 5"),
        (QuestionKind.SKILL_PICK, [], [999999], "Pick skills from the list."),
    ],
)
def test_bad_answers_get_a_message_on_their_question(org, alice, kind, choices, answer, message):
    program = ProgramFactory(organisation=org)
    question = IntakeQuestionFactory(program=program, kind=kind, choices=choices)
    with pytest.raises(ValidationError) as caught:
        services.program_enrol(program=program, person=alice, role="mentee", answers={question.pk: answer})
    assert message in " ".join(caught.value.message_dict[f"q_{question.pk}"])
    assert not program.enrolments.exists()


def test_another_organisations_skills_cannot_be_picked(org, alice, globex_skill):
    program = ProgramFactory(organisation=org)
    question = IntakeQuestionFactory(program=program, kind=QuestionKind.SKILL_PICK)
    with pytest.raises(ValidationError):
        services.program_enrol(
            program=program, person=alice, role="mentee", answers={question.pk: [globex_skill.pk]}
        )


def test_answers_to_another_programs_questions_are_refused(org, alice):
    program = ProgramFactory(organisation=org)
    elsewhere = IntakeQuestionFactory(program=ProgramFactory(organisation=org))
    with pytest.raises(ValidationError, match="does not ask"):
        services.program_enrol(program=program, person=alice, role="mentee", answers={elsewhere.pk: "x"})


def test_an_ineligible_person_cannot_enrol(org, alice):
    sales = DepartmentFactory(organisation=org, name="Sales")
    program = ProgramFactory(organisation=org, min_seniority=3, eligible_locations=["Lisbon"])
    program.eligible_departments.set([sales])
    with pytest.raises(ValidationError) as caught:
        services.program_enrol(program=program, person=alice, role="mentee", answers={})
    text = messages_of(caught.value)
    assert "other departments" in text and "seniority levels 3 to 10" in text and "other locations" in text


def test_only_senior_enough_people_enrol_as_mentors(org, alice):
    program = ProgramFactory(organisation=org, mentor_min_seniority=4)
    with pytest.raises(ValidationError, match="seniority level 4 or above"):
        services.program_enrol(program=program, person=alice, role="mentor", answers={})
    alice.seniority = 5
    alice.save()
    enrolment = services.program_enrol(program=program, person=alice, role="mentor", answers={})
    assert enrolment.capacity == program.default_mentor_capacity


@pytest.mark.parametrize("capacity", [0, 21, -1, "many"])
def test_a_mentor_capacity_must_be_between_1_and_20(org, alice, capacity):
    program = ProgramFactory(organisation=org)
    with pytest.raises(ValidationError) as caught:
        services.program_enrol(program=program, person=alice, role="mentor", answers={}, capacity=capacity)
    assert "capacity" in caught.value.message_dict


def test_enrolment_is_unique_per_program_person_and_role(org, alice):
    program = ProgramFactory(organisation=org)
    services.program_enrol(program=program, person=alice, role="mentee", answers={})
    with pytest.raises(ValidationError, match="already enrolled"):
        services.program_enrol(program=program, person=alice, role="mentee", answers={})
    services.program_enrol(program=program, person=alice, role="mentor", answers={})
    assert program.enrolments.count() == 2


def test_nobody_enrols_in_a_program_that_is_not_open(org, alice):
    program = ProgramFactory(organisation=org, status=ProgramStatus.RUNNING)
    with pytest.raises(ValidationError, match="not open for enrolment"):
        services.program_enrol(program=program, person=alice, role="mentee", answers={})


def test_an_invited_person_is_approved_at_once(org, pam, alice):
    program = ProgramFactory(organisation=org, managers=[pam])
    [invitation] = invitations.program_invite(program=program, actor=pam, emails=[alice.email])
    enrolment = services.program_enrol(
        program=program, person=alice, role="mentee", answers={}, invitation=invitation
    )
    assert enrolment.status == EnrolmentStatus.APPROVED
    assert enrolment.decided_by == pam
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_a_manager_approves_or_declines_each_application_once(org, pam, alice):
    program = ProgramFactory(organisation=org, managers=[pam])
    enrolment = EnrolmentFactory(program=program, person=alice, status=EnrolmentStatus.APPLIED)
    decided = services.enrolment_decide(enrolment=enrolment, actor=pam, approve=False)
    assert decided.status == EnrolmentStatus.DECLINED and decided.decided_by == pam
    with pytest.raises(ValidationError, match="already been decided"):
        services.enrolment_decide(enrolment=enrolment, actor=pam, approve=True)


# ---- mentor availability ---------------------------------------------------------------------


def test_a_mentor_sets_capacity_and_pauses(org, alice):
    enrolment = EnrolmentFactory(program=ProgramFactory(organisation=org), person=alice, role="mentor")
    today = datetime.date(2031, 2, 1)
    services.mentor_availability_set(
        enrolment=enrolment, capacity=3, paused_until=datetime.date(2031, 3, 1), today=today
    )
    enrolment.refresh_from_db()
    assert (enrolment.capacity, enrolment.paused_until) == (3, datetime.date(2031, 3, 1))
    with pytest.raises(ValidationError, match="after today"):
        services.mentor_availability_set(enrolment=enrolment, capacity=3, paused_until=today, today=today)
    for capacity in (0, 21):
        with pytest.raises(ValidationError, match="between 1 and 20"):
            services.mentor_availability_set(enrolment=enrolment, capacity=capacity, paused_until=None)


def test_a_mentee_has_no_capacity(org, alice):
    enrolment = EnrolmentFactory(program=ProgramFactory(organisation=org), person=alice)
    with pytest.raises(ValidationError, match="Only mentors"):
        services.mentor_availability_set(enrolment=enrolment, capacity=2, paused_until=None)


# ---- who is missing --------------------------------------------------------------------------


def test_a_pick_up_to_three_skills_question_refuses_a_fourth_skill(org, alice):
    program = ProgramFactory(organisation=org)
    question = IntakeQuestionFactory(program=program, kind=QuestionKind.SKILL_PICK, max_picks=3)
    four = [SkillFactory(organisation=org).pk for _ in range(4)]
    with pytest.raises(ValidationError) as caught:
        services.program_enrol(program=program, person=alice, role="mentee", answers={question.pk: four})
    assert caught.value.message_dict[f"q_{question.pk}"] == ["Pick at most 3."]
    assert not program.enrolments.exists()

    enrolment = services.program_enrol(
        program=program, person=alice, role="mentee", answers={question.pk: four[:3]}
    )
    assert enrolment.answers.get().value == sorted(four[:3])


def test_a_multiple_choice_question_keeps_its_limit(org, alice):
    program = ProgramFactory(organisation=org)
    question = IntakeQuestionFactory(
        program=program, kind=QuestionKind.MULTIPLE_CHOICE, choices=["A", "B", "C"], max_picks=1
    )
    with pytest.raises(ValidationError, match="Pick at most one."):
        services.program_enrol(
            program=program, person=alice, role="mentee", answers={question.pk: ["A", "B"]}
        )


@pytest.mark.parametrize(
    ("kind", "max_picks", "field"),
    [(QuestionKind.SKILL_PICK, 0, "max_picks"), (QuestionKind.SKILL_PICK, 11, "max_picks")],
)
def test_a_pick_limit_must_be_between_1_and_10(org, kind, max_picks, field):
    program = ProgramFactory(organisation=org, status=ProgramStatus.DRAFT)
    with pytest.raises(ValidationError) as caught:
        services.intake_question_add(
            program=program, values={"prompt": "Skills?", "kind": kind, "max_picks": max_picks}
        )
    assert field in caught.value.message_dict


def test_a_text_question_carries_no_pick_limit(org):
    program = ProgramFactory(organisation=org, status=ProgramStatus.DRAFT)
    question = services.intake_question_add(
        program=program, values={"prompt": "Why?", "kind": QuestionKind.SHORT_TEXT, "max_picks": 3}
    )
    assert question.max_picks is None


def test_the_database_refuses_a_pick_limit_on_a_text_question(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        IntakeQuestionFactory(
            program=ProgramFactory(organisation=org), kind=QuestionKind.LONG_TEXT, max_picks=2
        )
