"""Machine-readable refusals: a representative refusal of each app's rules answers with the rule's code
and the field it concerns; unknown paths and methods answer in the same JSON shape."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from mentora.api.errors import error_body, refusal_answer
from mentora.core.refusals import Refusal
from mentora.programs.models import ProgramFormat, ProgramStatus
from tests.factories import DepartmentFactory, api_headers
from tests.programs.factories import ProgramFactory
from tests.workspace.fixtures import program, relationship  # noqa: F401


def call(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


def refusal(response) -> tuple[int, str, str | None]:
    error = response.json()["error"]
    return response.status_code, error["code"], error["field"]


def test_a_program_rule_names_its_code_and_field(client, org, alice):
    open_program = ProgramFactory(organisation=org, status=ProgramStatus.OPEN)
    url = f"/api/programs/{open_program.pk}/enrolments"
    assert refusal(call(client, alice, "post", url, {"role": "mentor", "capacity": 0})) == (
        422,
        "bad_number",
        "capacity",
    )


def test_inviting_to_a_draft_program_is_program_not_open(client, org, alice, pam):
    draft = ProgramFactory(organisation=org, status=ProgramStatus.DRAFT, managers=[pam])
    response = call(client, pam, "post", f"/api/programs/{draft.pk}/invitations", {"emails": [alice.email]})
    assert refusal(response) == (409, "program_not_open", None)


def test_an_invitation_round_by_address_and_department_at_once_is_refused_on_emails(client, org, pam, alice):
    open_program = ProgramFactory(organisation=org, status=ProgramStatus.OPEN, managers=[pam])
    body = {"emails": [alice.email], "department_ids": [DepartmentFactory(organisation=org).pk]}
    response = call(client, pam, "post", f"/api/programs/{open_program.pk}/invitations", body)
    assert refusal(response) == (422, "exclusive_inputs", "emails")


def test_a_matching_run_of_a_circles_program_is_unsupported_format(client, org, pam):
    circles = ProgramFactory(
        organisation=org, status=ProgramStatus.OPEN, managers=[pam], format=ProgramFormat.CIRCLES
    )
    response = call(client, pam, "post", f"/api/matching/programs/{circles.pk}/runs", {})
    assert refusal(response) == (422, "unsupported_format", None)


def test_a_goal_dated_in_the_past_is_in_past_on_target_date(client, relationship, alice):  # noqa: F811
    body = {
        "title": "Speak up",
        "measure": "Twice a month",
        "plan": "Practise",
        "relevance": "Leading",
        "target_date": (datetime.date.today() - datetime.timedelta(days=3)).isoformat(),
    }
    response = call(client, alice, "post", f"/api/pairs/{relationship.pk}/goals", body)
    assert refusal(response) == (422, "in_past", "target_date")


def test_closing_before_the_cycle_ends_is_cycle_not_over_on_reason(client, relationship, alice):  # noqa: F811
    response = call(
        client, alice, "post", f"/api/agreements/{relationship.pk}/close", {"reason": "cycle_ended"}
    )
    assert refusal(response) == (409, "cycle_not_over", "reason")


def test_a_conflict_with_the_current_state_is_a_409_with_its_code(client, relationship, alice):  # noqa: F811
    assert (
        call(
            client, alice, "post", f"/api/agreements/{relationship.pk}/close", {"reason": "goals_met"}
        ).status_code
        == 200
    )
    again = call(client, alice, "post", f"/api/agreements/{relationship.pk}/close", {"reason": "goals_met"})
    assert refusal(again) == (409, "closure_pending", None)


def test_an_email_change_to_the_same_address_is_unchanged_on_new_email(client, alice):
    body = {"person_id": alice.pk, "new_email": alice.email}
    assert refusal(call(client, alice, "post", "/api/accounts/email-change", body)) == (
        422,
        "unchanged",
        "new_email",
    )


def test_erasing_oneself_is_a_422_self(client, olga):
    """Refused whatever the state: a fault of the request, not a conflict (as deactivating oneself)."""
    body = {"reason": "Leaving", "confirm": True}
    assert refusal(call(client, olga, "post", f"/api/privacy/people/{olga.pk}/erase", body)) == (
        422,
        "self",
        None,
    )


def test_a_schema_error_is_one_detail_per_field_with_the_field_named(client, org, alice):
    open_program = ProgramFactory(organisation=org, status=ProgramStatus.OPEN)
    response = call(
        client, alice, "post", f"/api/programs/{open_program.pk}/enrolments", {"capacity": "many"}
    )
    status, code, field = refusal(response)
    details = response.json()["error"]["details"]
    assert (status, code, field) == (422, "invalid_input", None)
    fields = [detail["field"] for detail in details]
    assert sorted(fields) == ["body.payload.capacity", "body.payload.role"] and len(set(fields)) == len(
        fields
    )
    assert all(detail["code"] and detail["message"] for detail in details)


def test_several_rules_at_once_are_invalid_input_with_each_detail_coded():
    several = ValidationError(
        {"title": Refusal("first", code="required"), "target_date": Refusal("second", code="in_past")}
    )
    code, _message, field, details = refusal_answer(several)
    assert (code, field) == ("invalid_input", None)
    assert sorted((d["field"], d["code"]) for d in details) == [
        ("target_date", "in_past"),
        ("title", "required"),
    ]


def test_an_unregistered_code_is_refused_when_raised():
    with pytest.raises(ValueError, match="add it to REFUSAL_CODES"):
        Refusal("x", code="made_up")


def test_a_refusal_shows_on_pages_as_a_translated_message_on_its_field():
    error = Refusal("Pick a number.", code="bad_number", field="capacity")
    assert error.message_dict == {"capacity": ["Pick a number."]} and error.code == "bad_number"


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_an_unknown_api_path_is_json_not_found_whatever_the_method(client, alice, method):
    response = call(client, alice, method, "/api/programs/nope/nothing")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert response.json() == error_body("not_found", "Not Found.")


def test_a_wrong_method_is_json_method_not_allowed_with_allow(client, org, alice):
    open_program = ProgramFactory(organisation=org, status=ProgramStatus.OPEN)
    response = call(client, alice, "delete", f"/api/programs/{open_program.pk}/enrolments")
    assert response.status_code == 405 and set(response["Allow"].split(", ")) == {"GET", "POST"}
    assert refusal(response) == (405, "method_not_allowed", None)
