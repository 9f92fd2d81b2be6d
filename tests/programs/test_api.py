"""The program endpoints: every step of designing and filling a program, and its bad input."""

import re

import pytest
from django.core import mail

from mentora.programs import invitations
from mentora.programs.models import EnrolmentStatus, Program, ProgramStatus
from tests.factories import DepartmentFactory, api_headers
from tests.programs.factories import EnrolmentFactory, IntakeQuestionFactory, ProgramFactory

DESIGN = {
    "name": "Future leads",
    "strategic_objective": "Grow our next engineering leads",
    "purpose": "Help senior engineers become leads.",
    "goals": "A plan, a network.",
    "starts_on": "2031-01-01",
    "ends_on": "2031-06-30",
}


class Api:
    def __init__(self, client, person):
        self.client = client
        self.headers = api_headers(person)

    def __getattr__(self, method):
        def call(url, body=None):
            return getattr(self.client, method)(
                url, body, content_type="application/json", headers=self.headers
            )

        return call


@pytest.fixture
def pam_api(client, pam):
    return Api(client, pam)


def error_text(response) -> str:
    error = response.json()["error"]
    return " ".join([error["message"], *(detail["message"] for detail in error["details"])])


def test_a_manager_designs_reads_changes_and_deletes_a_program(pam_api, org):
    department = DepartmentFactory(organisation=org)
    response = pam_api.post(
        "/api/programs/",
        {**DESIGN, "eligible_department_ids": [department.pk], "eligible_locations": ["Lisbon"]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["eligible_department_ids"] == [department.pk]
    assert body["weight_goal_fit"] == 0.4 and body["similarity_diversity_dial"] == 0.7
    program_id = body["id"]

    response = pam_api.patch(
        f"/api/programs/{program_id}", {"name": "Renamed", "matching_mode": "mentee_choice"}
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed" and response.json()["matching_mode"] == "mentee_choice"
    assert [p["name"] for p in pam_api.get("/api/programs/").json()] == ["Renamed"]

    assert pam_api.delete(f"/api/programs/{program_id}").status_code == 204
    assert not Program.objects.exists()


@pytest.mark.parametrize(
    ("change", "code", "field", "message"),
    [
        (
            {"weight_goal_fit": -0.5},
            "invalid_input",
            "weight_goal_fit",
            "greater than or equal to 0",
        ),
        (
            {"weight_practical": 1.01},
            "invalid_input",
            "weight_practical",
            "less than or equal to 1",
        ),
        (
            {
                "weight_goal_fit": 0,
                "weight_purpose": 0,
                "weight_diversity": 0,
                "weight_practical": 0,
                "weight_preference": 0,
            },
            "invalid_value",
            "weight_goal_fit",
            "At least one matching weight must be above 0.",
        ),
        ({"ends_on": "2030-01-01"}, "invalid_value", "ends_on", "The cycle must end after it starts."),
        ({"format": "circles"}, "bad_choice", "format", "This format is not available yet."),
        (
            {"default_mentor_capacity": 21},
            "invalid_input",
            "default_mentor_capacity",
            "less than or equal to 20",
        ),
    ],
)
def test_bad_designs_get_the_one_error_shape(pam_api, change, code, field, message):
    response = pam_api.post("/api/programs/", {**DESIGN, **change})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field), error
    assert message in error_text(response)
    assert not Program.objects.exists()


def test_a_malformed_body_is_a_422_too(pam_api):
    response = pam_api.post("/api/programs/", {"name": "only a name"})
    assert response.status_code == 422
    assert {detail["field"] for detail in response.json()["error"]["details"]} >= {"body.payload.starts_on"}


def test_the_lifecycle_and_the_curriculum(pam_api, org, pam):
    program = ProgramFactory(
        organisation=org, managers=[pam], status=ProgramStatus.DRAFT, program_type="coaching"
    )
    response = pam_api.put(
        f"/api/programs/{program.pk}/curriculum", {"items": [{"title": "Listening", "description": "active"}]}
    )
    assert response.json()["curriculum"] == [{"title": "Listening", "description": "active"}]
    assert pam_api.post(f"/api/programs/{program.pk}/status", {"status": "open"}).json()["status"] == "open"
    response = pam_api.post(f"/api/programs/{program.pk}/status", {"status": "matching"})
    assert response.status_code == 409  # no_participants: the program's state
    assert "at least one approved mentee and one approved mentor" in error_text(response)


def test_the_questionnaire_endpoints(pam_api, org, pam, alice, client):
    program = ProgramFactory(organisation=org, managers=[pam])
    response = pam_api.post(
        f"/api/programs/{program.pk}/questions",
        {"prompt": "Pace?", "kind": "scale", "feeds": "practical", "audience": "mentee"},
    )
    assert response.status_code == 201
    question_id = response.json()["id"]
    response = pam_api.post(
        f"/api/programs/{program.pk}/questions", {"prompt": "Pick", "kind": "single_choice"}
    )
    assert response.status_code == 422 and "at least two different choices" in error_text(response)
    response = pam_api.patch(f"/api/programs/{program.pk}/questions/{question_id}", {"required": False})
    assert response.json()["required"] is False
    assert [q["prompt"] for q in Api(client, alice).get(f"/api/programs/{program.pk}/questions").json()] == [
        "Pace?"
    ]
    assert pam_api.delete(f"/api/programs/{program.pk}/questions/{question_id}").status_code == 204


def test_a_question_carries_a_pick_limit_that_can_be_cleared(pam_api, org, pam):
    program = ProgramFactory(organisation=org, managers=[pam])
    url = f"/api/programs/{program.pk}/questions"
    response = pam_api.post(url, {"prompt": "Skills?", "kind": "skill_pick", "max_picks": 3})
    assert response.status_code == 201 and response.json()["max_picks"] == 3
    question_id = response.json()["id"]
    for bad in (0, 11, "three"):
        response = pam_api.patch(f"{url}/{question_id}", {"max_picks": bad})
        assert response.status_code == 422, bad
    response = pam_api.patch(f"{url}/{question_id}", {"max_picks": None})
    assert response.status_code == 200 and response.json()["max_picks"] is None


def test_invitations_enrolment_approval_and_gaps(
    pam_api, org, pam, alice, bob, charlie, client, django_capture_on_commit_callbacks
):
    program = ProgramFactory(organisation=org, managers=[pam])
    question = IntakeQuestionFactory(program=program, kind="single_choice", choices=["Video", "In person"])

    with django_capture_on_commit_callbacks(execute=True):
        response = pam_api.post(
            f"/api/programs/{program.pk}/invitations", {"emails": [alice.email, charlie.email]}
        )
    assert response.status_code == 202 and response.json()["status"] == "queued"
    round_ = pam_api.get(f"/api/programs/{program.pk}/invitation-rounds/{response.json()['id']}").json()
    assert round_["status"] == "done" and round_["report"]["invited"] == 1
    assert round_["report"]["unknown"] == {"count": 1, "sample": [charlie.email]}
    [open_invitation] = pam_api.get(f"/api/programs/{program.pk}/invitations").json()["results"]
    assert open_invitation["person"]["id"] == alice.pk and open_invitation["emailed_at"]
    token = re.search(r"/programs/invitations/([^/]+)/", mail.outbox[0].body).group(1)

    alice_api, bob_api = Api(client, alice), Api(client, bob)
    response = alice_api.post(
        f"/api/programs/{program.pk}/enrolments",
        {"role": "mentee", "answers": {str(question.pk): "Video"}, "invitation_token": token},
    )
    assert response.status_code == 201 and response.json()["status"] == "approved"

    response = bob_api.post(f"/api/programs/{program.pk}/enrolments", {"role": "mentor", "capacity": 0})
    assert response.status_code == 422 and "Capacity must be between 1 and 20" in error_text(response)
    response = bob_api.post(
        f"/api/programs/{program.pk}/enrolments",
        {"role": "mentor", "answers": {str(question.pk): "Telepathy"}},
    )
    assert response.status_code == 422 and "Pick one of the choices offered." in error_text(response)
    response = bob_api.post(
        f"/api/programs/{program.pk}/enrolments",
        {"role": "mentor", "capacity": 1, "answers": {str(question.pk): "In person"}},
    )
    assert response.status_code == 201 and response.json()["status"] == "applied"
    bob_enrolment = response.json()["id"]
    assert [e["role"] for e in bob_api.get(f"/api/programs/{program.pk}/enrolments/mine").json()] == [
        "mentor"
    ]
    assert [item["program"]["id"] for item in bob_api.get("/api/programs/open").json()] == [program.pk]

    pending = pam_api.get(f"/api/programs/{program.pk}/enrolments?status=applied").json()["results"]
    assert [e["person"]["full_name"] for e in pending] == ["Bob Baker"]
    detail = pam_api.get(f"/api/programs/{program.pk}/enrolments/{bob_enrolment}").json()
    assert detail["answers"] == [
        {"question_id": question.pk, "prompt": question.prompt, "value": "In person"}
    ]
    response = pam_api.post(
        f"/api/programs/{program.pk}/enrolments/{bob_enrolment}/decision", {"approve": True}
    )
    assert response.json()["status"] == "approved"

    response = bob_api.put(
        f"/api/programs/{program.pk}/enrolments/{bob_enrolment}/availability", {"capacity": 21}
    )
    assert response.status_code == 422
    response = bob_api.put(
        f"/api/programs/{program.pk}/enrolments/{bob_enrolment}/availability",
        {"capacity": 3, "paused_until": "2099-01-01"},
    )
    assert response.json()["paused_until"] == "2099-01-01"

    EnrolmentFactory(program=program)
    EnrolmentFactory(program=program, role="mentor", capacity=1)
    gaps = pam_api.get(f"/api/programs/{program.pk}/gaps").json()
    assert (gaps["mentees"], gaps["mentors"], gaps["capacity"], gaps["shortfall"]) == (2, 2, 1, 1)
    assert (gaps["unpaired_mentees"], gaps["free_places"]) == (2, 1)
    assert gaps["messages"][0] == (
        "2 mentees waiting for a mentor, 1 free place: not enough places for 1 mentee"
    )


def test_enrolling_when_ineligible_or_with_a_bad_token_is_explained(org, pam, alice, client, monkeypatch):
    program = ProgramFactory(organisation=org, managers=[pam], min_seniority=4)
    alice_api = Api(client, alice)
    response = alice_api.post(f"/api/programs/{program.pk}/enrolments", {"role": "mentee"})
    assert response.status_code == 422 and "seniority levels 4 to 10" in error_text(response)

    open_program = ProgramFactory(organisation=org, managers=[pam])
    [invitation] = invitations.program_invite(program=open_program, actor=pam, emails=[alice.email])
    token = invitations.invitation_token(invitation)
    response = alice_api.post(
        f"/api/programs/{open_program.pk}/enrolments", {"role": "mentee", "invitation_token": token + "x"}
    )
    assert response.status_code == 422 and "not valid" in error_text(response)
    monkeypatch.setattr(invitations, "INVITATION_MAX_AGE_SECONDS", -1)
    response = alice_api.post(
        f"/api/programs/{open_program.pk}/enrolments", {"role": "mentee", "invitation_token": token}
    )
    assert response.status_code == 422 and "expired" in error_text(response)
    assert not open_program.enrolments.filter(status=EnrolmentStatus.APPROVED).exists()


def test_the_openapi_schema_documents_programs_and_relationships(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/programs/{program_id}/enrolments/{enrolment_id}/decision" in paths
    assert "/api/relationships/{relationship_id}/consent" in paths
