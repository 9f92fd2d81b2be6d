"""Program pages through the real HTTP client: design, questionnaire, invite, enrol, approve."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from mentora.programs import invitations, services
from mentora.programs.forms import ProgramForm
from mentora.programs.models import (
    Enrolment,
    EnrolmentStatus,
    IntakeQuestion,
    Program,
    ProgramStatus,
    QuestionKind,
)
from mentora.programs.services import clean_locations
from tests.factories import DepartmentFactory, PersonFactory, SkillFactory
from tests.programs.factories import EnrolmentFactory, IntakeQuestionFactory, ProgramFactory


def design(**overrides):
    data = {
        "name": "Future leads",
        "strategic_objective": "Grow our next engineering leads",
        "purpose": "Help senior engineers become leads.",
        "goals": "A plan, a network.",
        "program_type": "mentoring",
        "format": "one_to_one",
        "starts_on": "2031-01-01",
        "ends_on": "2031-06-30",
        "meetings_per_month": "2",
        "min_seniority": "1",
        "max_seniority": "10",
        "eligible_locations": "London, Lisbon",
        "mentor_min_seniority": "3",
        "default_mentor_capacity": "2",
        "matching_mode": "both",
        "weight_goal_fit": "0.4",
        "weight_purpose": "0.2",
        "weight_diversity": "0.2",
        "weight_practical": "0.1",
        "weight_preference": "0.1",
        "similarity_diversity_dial": "0.7",
    }
    return {**data, **overrides}


@pytest.fixture
def program(org, pam):
    return ProgramFactory(organisation=org, managers=[pam], name="Future leads")


def test_the_design_form_reads_locations_as_the_services_do(org):
    """One reading of comma-separated locations (programs.services.clean_locations): trimmed, empty
    ones dropped, one spelling of those equal but for case."""
    form = ProgramForm(data=design(eligible_locations=" London, london ,, Lisbon,"), organisation=org)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["eligible_locations"] == clean_locations(" London, london ,, Lisbon,")
    assert form.cleaned_data["eligible_locations"] == ["London", "Lisbon"]


def test_a_program_manager_designs_a_program_on_the_page(client, pam, org):
    sales = DepartmentFactory(organisation=org, name="Sales")
    client.force_login(pam.user)
    assert client.get(reverse("programs:create")).status_code == 200
    response = client.post(reverse("programs:create"), design(eligible_departments=[sales.pk]))
    program = Program.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:questionnaire", args=[program.pk])
    assert program.eligible_locations == ["London", "Lisbon"]
    assert list(program.eligible_departments.all()) == [sales]
    assert program.status == ProgramStatus.DRAFT


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"weight_goal_fit": "-1"}, "greater than or equal to 0"),
        ({"weight_purpose": "3"}, "less than or equal to 1"),
        (
            {
                "weight_goal_fit": "0",
                "weight_purpose": "0",
                "weight_diversity": "0",
                "weight_practical": "0",
                "weight_preference": "0",
            },
            "At least one matching weight must be above 0.",
        ),
        ({"ends_on": "2030-01-01"}, "The cycle must end after it starts."),
        ({"starts_on": "not a date"}, "Enter a valid date."),
        ({"format": "circles"}, "Select a valid choice"),
    ],
)
def test_a_bad_design_gets_a_clear_message_on_the_page(client, pam, overrides, message):
    client.force_login(pam.user)
    response = client.post(reverse("programs:create"), design(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Program.objects.exists()


def test_a_duplicate_name_gets_a_message_not_a_500(client, pam, program):
    client.force_login(pam.user)
    response = client.post(reverse("programs:create"), design(name=program.name))
    assert response.status_code == 200
    assert "already has a program with this name" in response.content.decode()


def test_the_manager_edits_the_design(client, pam, program):
    client.force_login(pam.user)
    assert client.get(reverse("programs:edit", args=[program.pk])).status_code == 200
    response = client.post(reverse("programs:edit", args=[program.pk]), design(name="Renamed"))
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.name == "Renamed"


def test_the_manager_builds_the_questionnaire(client, pam, program):
    client.force_login(pam.user)
    url = reverse("programs:questionnaire", args=[program.pk])
    response = client.post(
        url,
        {
            "prompt": "How do you like to meet?",
            "kind": "single_choice",
            "choices": "Video\nIn person",
            "audience": "everyone",
            "required": "on",
            "feeds": "practical",
        },
    )
    assert response.status_code == 302
    question = IntakeQuestion.objects.get()
    assert question.choices == ["Video", "In person"]
    response = client.post(
        url,
        {
            "prompt": "Pick",
            "kind": "multiple_choice",
            "choices": "Only one",
            "audience": "everyone",
            "feeds": "",
        },
    )
    assert response.status_code == 200
    assert "Give at least two different choices." in response.content.decode()
    response = client.post(reverse("programs:question_delete", args=[program.pk, question.pk]))
    assert response.status_code == 302
    assert not IntakeQuestion.objects.exists()


def test_the_manager_sets_a_coaching_curriculum(client, pam, org):
    coaching = ProgramFactory(organisation=org, managers=[pam], program_type="coaching")
    client.force_login(pam.user)
    response = client.post(
        reverse("programs:curriculum", args=[coaching.pk]), {"items": "Listening: active listening\nFeedback"}
    )
    assert response.status_code == 302
    assert [(item.title, item.description) for item in coaching.curriculum_items.all()] == [
        ("Listening", "active listening"),
        ("Feedback", ""),
    ]


def test_the_lifecycle_buttons_move_the_program_and_explain_refusals(client, pam, program):
    client.force_login(pam.user)
    url = reverse("programs:status", args=[program.pk])
    response = client.post(url, {"status": "matching"}, follow=True)
    assert "at least one approved mentee and one approved mentor" in response.content.decode()
    response = client.post(url, {"status": "closed"}, follow=True)
    assert "cannot go from" in response.content.decode()
    client.post(url, {"status": "draft"})
    program.refresh_from_db()
    assert program.status == ProgramStatus.DRAFT


def test_the_manage_page_shows_who_is_missing(client, pam, program, org):
    for _ in range(3):
        EnrolmentFactory(program=program)
    EnrolmentFactory(program=program, role="mentor", capacity=1)
    client.force_login(pam.user)
    response = client.get(reverse("programs:manage", args=[program.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "3 mentees" in text and "1 mentor" in text and "capacity 1" in text
    assert "1 place free" in text and "3 mentees waiting for a mentor" in text
    assert "not enough places for 2 mentees" in text
    partial = client.get(
        reverse("relationships:program_gaps", args=[program.pk]), headers={"HX-Request": "true"}
    )
    assert "not enough places for 2 mentees" in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_the_manager_invites_and_the_link_opens_the_enrolment_form(
    client, pam, program, alice, charlie, django_capture_on_commit_callbacks
):
    client.force_login(pam.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programs:invite", args=[program.pk]), {"emails": alice.email})
    assert response.status_code == 302
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    path = link.removeprefix("http://127.0.0.1:8000")

    client.force_login(alice.user)
    assert "You were invited" in client.get(path).content.decode()
    response = client.post(path, {"role": "mentee"})
    assert response.status_code == 302
    assert Enrolment.objects.get(person=alice).status == EnrolmentStatus.APPROVED


def test_an_expired_or_tampered_invitation_link_explains_itself(client, pam, program, alice, monkeypatch):
    [invitation] = invitations.program_invite(program=program, actor=pam, emails=[alice.email])
    token = invitations.invitation_token(invitation)
    client.force_login(alice.user)
    response = client.get(reverse("programs:invitation", args=[token[:-3] + "abc"]))
    assert response.status_code == 400
    assert "This invitation link is not valid." in response.content.decode()
    monkeypatch.setattr(invitations, "INVITATION_MAX_AGE_SECONDS", -1)
    response = client.get(reverse("programs:invitation", args=[token]))
    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_a_participant_finds_open_programs_and_applies(client, org, alice, program):
    ProgramFactory(organisation=org, name="Secret draft", status=ProgramStatus.DRAFT)
    ProgramFactory(organisation=org, name="Seniors only", min_seniority=8)
    question = IntakeQuestionFactory(
        program=program, prompt="What do you want to learn?", kind=QuestionKind.LONG_TEXT
    )
    client.force_login(alice.user)
    text = client.get(reverse("programs:list")).content.decode()
    assert "Future leads" in text
    assert "Secret draft" not in text and "Seniors only" not in text
    assert "Programs I manage" not in text

    url = reverse("programs:enrol", args=[program.pk])
    response = client.post(url, {"role": "mentee"})
    assert response.status_code == 200
    assert "Please answer this question." in response.content.decode()
    response = client.post(url, {"role": "mentee", f"q_{question.pk}": "Lead a team"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(person=alice)
    assert enrolment.status == EnrolmentStatus.APPLIED
    assert enrolment.answers.get().value == "Lead a team"
    assert "Waiting for approval" in client.get(reverse("programs:list")).content.decode()


def test_a_junior_person_is_not_offered_the_mentor_role(client, org, alice):
    program = ProgramFactory(organisation=org, mentor_min_seniority=5)
    client.force_login(alice.user)
    response = client.get(reverse("programs:enrol", args=[program.pk]))
    assert 'value="mentor"' not in response.content.decode()
    response = client.post(reverse("programs:enrol", args=[program.pk]), {"role": "mentor", "capacity": "3"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_person_who_may_only_be_a_mentee_is_not_asked_mentor_only_questions(client, org, alice):
    program = ProgramFactory(organisation=org, mentor_min_seniority=5)
    IntakeQuestionFactory(program=program, prompt="What can you offer?", audience="mentor")
    IntakeQuestionFactory(program=program, prompt="What do you want to grow?", audience="mentee")
    client.force_login(alice.user)
    text = client.get(reverse("programs:enrol", args=[program.pk])).content.decode()
    assert "What do you want to grow?" in text
    assert "What can you offer?" not in text


def test_a_mentor_only_answer_is_dropped_when_the_person_chooses_to_be_a_mentee(client, org, alice):
    alice.seniority = 6
    alice.save()
    program = ProgramFactory(organisation=org, mentor_min_seniority=5)
    offer = IntakeQuestionFactory(program=program, prompt="What can you offer?", audience="mentor")
    client.force_login(alice.user)
    assert "What can you offer?" in client.get(reverse("programs:enrol", args=[program.pk])).content.decode()
    response = client.post(
        reverse("programs:enrol", args=[program.pk]), {"role": "mentee", f"q_{offer.pk}": "Python"}
    )
    assert response.status_code == 302
    assert not Enrolment.objects.get(person=alice).answers.exists()


def test_the_enrolment_form_states_the_pick_limit_and_refuses_a_fourth_skill(client, org, alice):
    program = ProgramFactory(organisation=org)
    question = IntakeQuestionFactory(program=program, kind=QuestionKind.SKILL_PICK, max_picks=3)
    skills = [SkillFactory(organisation=org, name=f"Skill {n}").pk for n in range(4)]
    client.force_login(alice.user)
    url = reverse("programs:enrol", args=[program.pk])
    assert "Pick at most 3." in client.get(url).content.decode()
    response = client.post(url, {"role": "mentee", f"q_{question.pk}": [str(pk) for pk in skills]})
    assert response.status_code == 200
    assert "Pick at most 3." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_an_ineligible_person_sees_why(client, org, alice):
    program = ProgramFactory(organisation=org, eligible_locations=["Lisbon"])
    client.force_login(alice.user)
    response = client.get(reverse("programs:detail", args=[program.pk]))
    assert "This program is open to other locations." in response.content.decode()
    response = client.post(reverse("programs:enrol", args=[program.pk]), {"role": "mentee"})
    assert response.status_code == 200
    assert "This program is open to other locations." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_mentor_sets_capacity_and_a_pause_on_the_program_page(client, org, bob, program):
    enrolment = EnrolmentFactory(program=program, person=bob, role="mentor", capacity=2)
    client.force_login(bob.user)
    url = reverse("programs:availability", args=[program.pk, enrolment.pk])
    prefix = f"e{enrolment.pk}"
    response = client.post(url, {f"{prefix}-capacity": "0"}, follow=True)
    assert "Capacity must be between 1 and 20" in response.content.decode()
    response = client.post(url, {f"{prefix}-capacity": "21"}, follow=True)
    assert "Capacity must be between 1 and 20" in response.content.decode()
    response = client.post(
        url, {f"{prefix}-capacity": "4", f"{prefix}-paused_until": "2099-05-01"}, follow=True
    )
    assert "Your availability is saved." in response.content.decode()
    enrolment.refresh_from_db()
    assert (enrolment.capacity, enrolment.paused_until) == (4, datetime.date(2099, 5, 1))


def test_the_manager_approves_with_htmx_and_gets_the_row_back(client, pam, program, alice):
    enrolment = EnrolmentFactory(program=program, person=alice, status=EnrolmentStatus.APPLIED)
    client.force_login(pam.user)
    response = client.post(
        reverse("programs:decide", args=[program.pk, enrolment.pk]),
        {"decision": "approve"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert f'id="enrolment-{enrolment.pk}"' in response.content.decode()
    assert "<html" not in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.APPROVED
    response = client.post(
        reverse("programs:decide", args=[program.pk, enrolment.pk]), {"decision": "decline"}, follow=True
    )
    assert "already been decided" in response.content.decode()


def test_the_manager_reads_an_applicants_answers(client, pam, program, alice):
    question = IntakeQuestionFactory(program=program, prompt="Hopes?")
    enrolment = services.program_enrol(
        program=program, person=alice, role="mentee", answers={question.pk: "ANSWER-1"}
    )
    client.force_login(pam.user)
    response = client.get(reverse("programs:enrolment", args=[program.pk, enrolment.pk]))
    assert "ANSWER-1" in response.content.decode()


def test_the_managers_program_list_makes_a_constant_number_of_queries(
    client, pam, org, django_assert_max_num_queries
):
    client.force_login(pam.user)
    url = reverse("programs:list")

    def fill(count):
        for _ in range(count):
            program = ProgramFactory(organisation=org, managers=[pam])
            EnrolmentFactory(program=program)
            EnrolmentFactory(program=program, role="mentor")

    fill(2)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    fill(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('href="/programs/') >= 10


def test_the_enrolment_list_makes_a_constant_number_of_queries(
    client, pam, program, django_assert_max_num_queries
):
    client.force_login(pam.user)
    url = reverse("programs:enrolments", args=[program.pk])
    EnrolmentFactory(
        program=program,
        person=PersonFactory(
            organisation=program.organisation, department=DepartmentFactory(organisation=program.organisation)
        ),
    )
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(10):
        EnrolmentFactory(
            program=program,
            status=EnrolmentStatus.APPLIED,
            person=PersonFactory(
                organisation=program.organisation,
                department=DepartmentFactory(organisation=program.organisation),
            ),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"status": "applied"}, headers={"HX-Request": "true"})
    assert response.content.decode().count("<tr id=") == 10
