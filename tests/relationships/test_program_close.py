"""Closing a program: a confirmation that says what happens, pending pairings withdrawn (both sides
told), active relationships running on, no consent into a closed program, never before the start
date. Page, API, permissions and bad input."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentora.programs.models import Program, ProgramStatus
from mentora.programs.services import program_set_status
from mentora.relationships import services
from mentora.relationships.models import RelationshipOrigin, RelationshipStatus
from tests.factories import PersonFactory, api_headers
from tests.programs.factories import EnrolmentFactory, ProgramFactory


def api(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


def pair(program, mentor, mentee):
    EnrolmentFactory(program=program, person=mentor, role="mentor", capacity=2)
    EnrolmentFactory(program=program, person=mentee, role="mentee")
    return services.relationship_create_pending(
        program=program, mentor=mentor, mentee=mentee, origin=RelationshipOrigin.PROPOSAL
    )


@pytest.fixture
def program(org, pam):
    today = timezone.localdate()
    return ProgramFactory(
        organisation=org,
        managers=[pam],
        status=ProgramStatus.RUNNING,
        name="Program P",
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=120),
    )


@pytest.fixture
def pairs(program, org, alice, bob):
    """Bob mentors Alice (active); Carl would mentor Dana, still waiting for consent."""
    active = pair(program, bob, alice)
    services.relationship_consent(relationship=active, person=bob)
    services.relationship_consent(relationship=active, person=alice)
    carl = PersonFactory(organisation=org, full_name="Carl Cole")
    dana = PersonFactory(organisation=org, full_name="Dana Dunn")
    pending = pair(program, carl, dana)
    services.relationship_consent(relationship=pending, person=dana)
    return active, pending


def test_the_manager_confirms_and_pending_pairings_are_withdrawn_with_a_notice(
    client, program, pairs, pam, immediate_tasks, django_capture_on_commit_callbacks
):
    active, pending = pairs
    client.force_login(pam.user)
    url = reverse("relationships:program_close", args=[program.pk])
    assert url in client.get(reverse("programs:manage", args=[program.pk])).content.decode()
    text = client.get(url).content.decode()
    assert "1 pairing still waiting for consent is withdrawn" in text
    assert "1 active relationship runs on to its own end date" in text
    program.refresh_from_db()
    assert program.status == ProgramStatus.RUNNING  # reading the confirmation changes nothing

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "1 pairing waiting for consent was withdrawn" in response.content.decode()
    program.refresh_from_db()
    active.refresh_from_db()
    pending.refresh_from_db()
    assert program.status == ProgramStatus.CLOSED
    assert pending.status == RelationshipStatus.DECLINED and pending.declined_by is None
    assert active.status == RelationshipStatus.ACTIVE
    assert sorted(m.to[0] for m in mail.outbox) == sorted([pending.mentor.email, pending.mentee.email])
    assert all("has closed" in m.body for m in mail.outbox)


def test_nobody_consents_into_a_closed_program(program, pairs):
    _active, pending = pairs
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.CLOSED)  # closed some other way
    with pytest.raises(ValidationError) as error:
        services.relationship_consent(relationship=pending, person=pending.mentor)
    assert error.value.code == "program_closed"
    pending.refresh_from_db()
    assert pending.status == RelationshipStatus.PENDING_CONSENT and pending.mentor_consented_at is None


def test_the_api_consent_into_a_closed_program_is_a_conflict(client, program, pairs):
    _active, pending = pairs
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.CLOSED)
    response = api(client, pending.mentor, "post", f"/api/relationships/{pending.pk}/consent", {})
    assert response.status_code == 409 and response.json()["error"]["code"] == "program_closed"


def test_a_program_does_not_close_before_its_start_date(client, org, pam):
    later = ProgramFactory(
        organisation=org,
        managers=[pam],
        status=ProgramStatus.RUNNING,
        starts_on=timezone.localdate() + datetime.timedelta(days=10),
        ends_on=timezone.localdate() + datetime.timedelta(days=200),
    )
    with pytest.raises(ValidationError) as error:
        services.program_close(program=later)
    assert error.value.error_dict["status"][0].code == "not_started"
    client.force_login(pam.user)
    response = client.post(reverse("relationships:program_close", args=[later.pk]), follow=True)
    assert "cannot close before it started" in response.content.decode()
    response = api(client, pam, "post", f"/api/relationships/program/{later.pk}/close")
    assert response.status_code == 409 and "cannot close before it started" in response.content.decode()
    later.refresh_from_db()
    assert later.status == ProgramStatus.RUNNING
    # On its start date it may close.
    assert services.program_close(program=later, today=later.starts_on).program.status == ProgramStatus.CLOSED


def test_the_one_click_status_change_no_longer_closes(client, program, pairs, pam):
    with pytest.raises(ValidationError) as error:
        program_set_status(program=program, status=ProgramStatus.CLOSED)
    assert error.value.error_dict["status"][0].code == "close_needs_confirmation"
    client.force_login(pam.user)
    client.post(reverse("programs:status", args=[program.pk]), {"status": "closed"})
    response = api(client, pam, "post", f"/api/programs/{program.pk}/status", {"status": "closed"})
    assert response.status_code == 422 and "closing page" in response.content.decode()
    program.refresh_from_db()
    assert program.status == ProgramStatus.RUNNING


def test_the_api_closes_and_names_the_withdrawn_pairings(client, program, pairs, pam):
    _active, pending = pairs
    response = api(client, pam, "post", f"/api/relationships/program/{program.pk}/close")
    assert response.status_code == 200
    assert response.json() == {"program_id": program.pk, "status": "closed", "withdrawn": [pending.pk]}
    again = api(client, pam, "post", f"/api/relationships/program/{program.pk}/close")
    assert again.status_code == 409


@pytest.mark.parametrize("who", ["alice", "lou", "charlie"])
def test_only_the_programs_managers_close_it(client, program, pairs, who, request):
    person = request.getfixturevalue(who)
    client.force_login(person.user)
    url = reverse("relationships:program_close", args=[program.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert api(client, person, "post", f"/api/relationships/program/{program.pk}/close").status_code == 404
    program.refresh_from_db()
    assert program.status == ProgramStatus.RUNNING
