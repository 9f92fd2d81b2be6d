"""What a name or a date may hold: a line break is refused before it is saved (one already saved never
breaks an e-mail), and a program cycle stays within dates Python can compute around."""

import pytest
from django.core import mail
from django.urls import reverse

from mentora.programs.models import Program, ProgramStatus
from mentora.relationships import services as relationship_services
from mentora.relationships.models import RelationshipOrigin
from tests.factories import api_headers
from tests.programs.factories import EnrolmentFactory, ProgramFactory
from tests.programs.test_pages import design

DESIGN = {
    "name": "Future leads",
    "strategic_objective": "Grow our next engineering leads",
    "purpose": "Help senior engineers become leads.",
    "goals": "A plan, a network.",
    "starts_on": "2031-01-01",
    "ends_on": "2031-06-30",
}


def test_a_program_name_with_a_line_break_is_refused_on_the_page(client, pam):
    client.force_login(pam.user)
    response = client.post(reverse("programs:create"), design(name="Future\r\nBcc: everyone@example.com"))
    assert response.status_code == 200
    assert "Use a single line" in response.content.decode()
    assert not Program.objects.exists()


@pytest.mark.parametrize("name", ["Future\nleads", "Future\tleads", "Future\u2028leads"])
def test_a_program_name_with_a_control_character_is_refused_by_the_api(client, pam, name):
    response = client.post(
        "/api/programs/", {**DESIGN, "name": name}, content_type="application/json", headers=api_headers(pam)
    )
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert [detail["field"] for detail in details] == ["name"]
    assert not Program.objects.exists()


def test_a_renamed_program_keeps_its_name_when_the_new_one_has_a_line_break(client, org, pam):
    program = ProgramFactory(organisation=org, managers=[pam], name="Future leads")
    response = client.patch(
        f"/api/programs/{program.pk}",
        {"name": "Renamed\n"},
        content_type="application/json",
        headers=api_headers(pam),
    )
    assert response.status_code == 422
    program.refresh_from_db()
    assert program.name == "Future leads"


def test_a_person_record_with_a_line_break_in_the_name_is_refused(client, pam, alice):
    response = client.patch(
        f"/api/people/{alice.pk}",
        {"full_name": "Alice\nArcher", "job_title": "Lead\x00"},
        content_type="application/json",
        headers=api_headers(pam),
    )
    assert response.status_code == 422
    alice.refresh_from_db()
    assert alice.full_name == "Alice Archer"


def test_names_saved_before_the_check_still_reach_both_people(
    org, pam, alice, bob, django_capture_on_commit_callbacks
):
    program = ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.MATCHING)
    EnrolmentFactory(program=program, person=bob, role="mentor", capacity=1)
    EnrolmentFactory(program=program, person=alice, role="mentee")
    Program.objects.filter(pk=program.pk).update(name="Future\nleads")
    type(alice).objects.filter(pk=alice.pk).update(full_name="Alice\r\nArcher")
    program.refresh_from_db()
    alice.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        relationship_services.relationship_create_pending(
            program=program, mentor=bob, mentee=alice, origin=RelationshipOrigin.MENTEE_REQUEST
        )

    to_bob = next(message for message in mail.outbox if message.to == [bob.email])
    assert to_bob.subject == "Alice Archer asked you to be their mentor"
    assert "Future\nleads" in to_bob.body
    assert all("\n" not in message.message()["Subject"] for message in mail.outbox)


@pytest.mark.parametrize(("field", "day"), [("starts_on", "0001-01-01"), ("ends_on", "9999-12-31")])
def test_a_program_cycle_at_the_edge_of_the_calendar_is_refused(client, pam, field, day):
    response = client.post(
        "/api/programs/", {**DESIGN, field: day}, content_type="application/json", headers=api_headers(pam)
    )
    assert response.status_code == 422
    assert [detail["field"] for detail in response.json()["error"]["details"]] == [field]
    assert not Program.objects.exists()
