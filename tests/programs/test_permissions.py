"""Who may see and change which program, from every side, on the pages AND the API.

Intake answers are planted with a marker so that a leak anywhere in a response is caught.
"""

import pytest
from django.urls import reverse

from mentora.organisations.models import Role
from mentora.programs.models import EnrolmentStatus, ProgramStatus
from tests.factories import PersonFactory, api_headers
from tests.programs.factories import EnrolmentFactory, IntakeQuestionFactory, ProgramFactory

ANSWER = "ANSWER-of-alice: I struggle with conflict"


@pytest.fixture
def program(org, pam):
    return ProgramFactory(organisation=org, managers=[pam], name="Program P")


@pytest.fixture
def alices_application(program, alice):
    question = IntakeQuestionFactory(program=program, prompt="What is hard for you?")
    enrolment = EnrolmentFactory(program=program, person=alice, status=EnrolmentStatus.APPLIED)
    enrolment.answers.create(question=question, value=ANSWER)
    return enrolment


@pytest.fixture
def quinn(org):
    """A program manager of another program Q in the same organisation."""
    quinn = PersonFactory(organisation=org, full_name="Quinn Quartermaster", roles=[Role.PROGRAM_MANAGER])
    ProgramFactory(organisation=org, managers=[quinn], name="Program Q")
    return quinn


def manager_pages(program, enrolment):
    return [
        reverse("programs:manage", args=[program.pk]),
        reverse("programs:edit", args=[program.pk]),
        reverse("programs:questionnaire", args=[program.pk]),
        reverse("programs:curriculum", args=[program.pk]),
        reverse("programs:invite", args=[program.pk]),
        reverse("programs:enrolments", args=[program.pk]),
        reverse("relationships:program_gaps", args=[program.pk]),
        reverse("programs:enrolment", args=[program.pk, enrolment.pk]),
    ]


def manager_posts(program, enrolment):
    return [
        (reverse("programs:status", args=[program.pk]), {"status": "draft"}),
        (reverse("programs:delete", args=[program.pk]), {}),
        (reverse("programs:decide", args=[program.pk, enrolment.pk]), {"decision": "approve"}),
        (reverse("programs:edit", args=[program.pk]), {"name": "Hijacked"}),
        (reverse("programs:invite", args=[program.pk]), {"emails": "x@example.com"}),
        (reverse("programs:manager_add", args=[program.pk]), {"person": "1"}),
    ]


def manager_api(program, enrolment):
    base = f"/api/programs/{program.pk}"
    return [
        ("get", base, None),
        ("patch", base, {"name": "Hijacked"}),
        ("delete", base, None),
        ("post", f"{base}/status", {"status": "draft"}),
        ("get", f"{base}/gaps", None),
        ("post", f"{base}/questions", {"prompt": "x", "kind": "short_text"}),
        ("post", f"{base}/invitations", {"emails": ["x@example.com"]}),
        ("get", f"{base}/enrolments", None),
        ("get", f"{base}/enrolments/{enrolment.pk}", None),
        ("post", f"{base}/enrolments/{enrolment.pk}/decision", {"approve": True}),
        ("get", f"/api/relationships/program/{program.pk}", None),
    ]


def assert_locked_out(client, person, program, enrolment):
    client.force_login(person.user)
    for url in manager_pages(program, enrolment):
        response = client.get(url)
        assert response.status_code == 404, url
        assert ANSWER not in response.content.decode()
    for url, data in manager_posts(program, enrolment):
        assert client.post(url, data).status_code == 404, url
    headers = api_headers(person)
    for method, url, body in manager_api(program, enrolment):
        response = getattr(client, method)(url, body, content_type="application/json", headers=headers)
        assert response.status_code == 404, (method, url)
        assert response.json()["error"]["code"] == "not_found"
    enrolment.refresh_from_db()
    program.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.APPLIED
    assert program.name == "Program P" and program.status == ProgramStatus.OPEN


def test_a_participant_cannot_reach_the_manager_pages_or_others_answers(
    client, program, alices_application, bob
):
    assert_locked_out(client, bob, program, alices_application)


def test_a_program_manager_of_q_cannot_see_or_change_p(client, program, alices_application, quinn):
    assert_locked_out(client, quinn, program, alices_application)
    client.force_login(quinn.user)
    text = client.get(reverse("programs:list")).content.decode()
    assert "Program Q" in text
    assert reverse("programs:manage", args=[program.pk]) not in text


def test_a_line_manager_cannot_read_a_reports_intake_answers(client, program, alices_application, lou):
    assert_locked_out(client, lou, program, alices_application)


def test_another_organisation_sees_nothing_at_all(client, program, alices_application, charlie):
    assert_locked_out(client, charlie, program, alices_application)
    client.force_login(charlie.user)
    for url in (
        reverse("programs:detail", args=[program.pk]),
        reverse("programs:enrol", args=[program.pk]),
    ):
        assert client.get(url).status_code == 404
    assert "Program P" not in client.get(reverse("programs:list")).content.decode()
    headers = api_headers(charlie)
    for url in (f"/api/programs/{program.pk}/public", f"/api/programs/{program.pk}/questions"):
        assert client.get(url, headers=headers).status_code == 404
    response = client.post(
        f"/api/programs/{program.pk}/enrolments",
        {"role": "mentee"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 404
    assert client.get("/api/programs/open", headers=headers).json() == []


def test_an_org_admin_manages_every_program_of_the_organisation(client, program, alices_application, olga):
    client.force_login(olga.user)
    for url in manager_pages(program, alices_application):
        assert client.get(url).status_code == 200, url
    response = client.get(
        f"/api/programs/{program.pk}/enrolments/{alices_application.pk}", headers=api_headers(olga)
    )
    assert ANSWER in response.content.decode()


def test_the_programs_manager_and_the_applicant_read_the_answers(
    client, program, alices_application, pam, alice
):
    for person in (pam, alice):
        client.force_login(person.user)
        url = reverse("programs:enrolment", args=[program.pk, alices_application.pk])
        assert ANSWER in client.get(url).content.decode()
        api_url = f"/api/programs/{program.pk}/enrolments/{alices_application.pk}"
        assert ANSWER in client.get(api_url, headers=api_headers(person)).content.decode()


def test_a_draft_is_invisible_to_participants(client, org, pam, alice):
    draft = ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.DRAFT)
    client.force_login(alice.user)
    assert client.get(reverse("programs:detail", args=[draft.pk])).status_code == 404
    assert client.get(f"/api/programs/{draft.pk}/public", headers=api_headers(alice)).status_code == 404
    client.force_login(pam.user)
    assert client.get(reverse("programs:detail", args=[draft.pk])).status_code == 200


def test_participants_cannot_design_programs(client, alice):
    client.force_login(alice.user)
    assert client.get(reverse("programs:create")).status_code == 404
    response = client.post(
        "/api/programs/",
        {
            "name": "x",
            "strategic_objective": "x",
            "purpose": "x",
            "goals": "x",
            "starts_on": "2031-01-01",
            "ends_on": "2031-02-01",
        },
        content_type="application/json",
        headers=api_headers(alice),
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_a_participant_cannot_change_another_mentors_availability(client, program, bob, alice):
    enrolment = EnrolmentFactory(program=program, person=bob, role="mentor", capacity=2)
    client.force_login(alice.user)
    url = reverse("programs:availability", args=[program.pk, enrolment.pk])
    assert client.post(url, {f"e{enrolment.pk}-capacity": "9"}).status_code == 404
    response = client.put(
        f"/api/programs/{program.pk}/enrolments/{enrolment.pk}/availability",
        {"capacity": 9},
        content_type="application/json",
        headers=api_headers(alice),
    )
    assert response.status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.capacity == 2


def test_the_api_wants_a_token(client, program):
    response = client.get(f"/api/programs/{program.pk}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
