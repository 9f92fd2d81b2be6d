"""A line manager's and a leader's reports panel says who takes part in mentoring: approved in a
live program, as mentor or mentee; not merely holding the participant role (it used to say
"Yes" for everyone). Page and API."""

import pytest
from django.urls import reverse

from mentora.programs.models import EnrolmentStatus, ProgramStatus
from tests.factories import api_headers
from tests.programs.factories import EnrolmentFactory, ProgramFactory


def taking_part_on_page(client, viewer) -> dict[str, bool]:
    client.force_login(viewer.user)
    response = client.get(reverse("home"))
    return {report.full_name: report.taking_part for report in response.context["reports"]}


def taking_part_in_api(client, viewer) -> dict[str, bool]:
    response = client.get("/api/me/reports", headers=api_headers(viewer))
    assert response.status_code == 200
    return {report["full_name"]: report["taking_part"] for report in response.json()}


@pytest.mark.parametrize("read", [taking_part_on_page, taking_part_in_api])
def test_a_report_in_no_program_is_not_taking_part(client, lou, alice, read):
    assert read(client, lou) == {"Alice Archer": False}


@pytest.mark.parametrize("read", [taking_part_on_page, taking_part_in_api])
@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_a_report_approved_in_a_live_program_takes_part(client, org, lou, alice, read, role):
    program = ProgramFactory(organisation=org, status=ProgramStatus.RUNNING)
    EnrolmentFactory(program=program, person=alice, role=role, capacity=2 if role == "mentor" else None)
    assert read(client, lou) == {"Alice Archer": True}


@pytest.mark.parametrize(
    ("program_status", "enrolment_status"),
    [
        (ProgramStatus.RUNNING, EnrolmentStatus.APPLIED),
        (ProgramStatus.RUNNING, EnrolmentStatus.DECLINED),
        (ProgramStatus.CLOSED, EnrolmentStatus.APPROVED),
        (ProgramStatus.DRAFT, EnrolmentStatus.APPROVED),
    ],
)
def test_an_application_a_decline_or_a_closed_program_is_not_taking_part(
    client, org, lou, alice, program_status, enrolment_status
):
    program = ProgramFactory(organisation=org, status=program_status)
    EnrolmentFactory(program=program, person=alice, status=enrolment_status)
    assert taking_part_on_page(client, lou) == {"Alice Archer": False}
    assert "Not yet" in reverse_home_text(client, lou)


def reverse_home_text(client, viewer) -> str:
    client.force_login(viewer.user)
    return client.get(reverse("home")).content.decode()


def test_a_leader_sees_their_direct_report_taking_part(client, org, leo, lou):
    EnrolmentFactory(program=ProgramFactory(organisation=org, status=ProgramStatus.OPEN), person=lou)
    assert taking_part_on_page(client, leo) == {"Lou Lead": True}
    assert taking_part_in_api(client, leo) == {"Lou Lead": True}


def test_the_api_lists_only_the_callers_own_reports(client, org, lou, alice, bob, pam, charlie):
    assert taking_part_in_api(client, alice) == {}
    assert taking_part_in_api(client, pam) == {}
    assert taking_part_in_api(client, charlie) == {}
    assert client.get("/api/me/reports").status_code == 401
