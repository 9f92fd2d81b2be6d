"""A manager's program pages show the sections that apps above `programs` register for them
(mentora/programs/sections.py): the pairs and who is free on the program's page, the sponsorship
figures on the check-ins page."""

from django.urls import reverse
from django.utils import timezone

from mentora.advocacy.services import advocacy_action_create
from mentora.organisations.models import Role
from mentora.programs.models import ProgramStatus
from tests.factories import PersonFactory
from tests.programs.factories import ProgramFactory
from tests.workspace.fixtures import active_relationship


def page(client, person, name, program_id):
    client.force_login(person.user)
    return client.get(reverse(name, args=[program_id])).content.decode()


def bob_mentors_alice(org, pam, alice, bob, *, status=ProgramStatus.RUNNING):
    program = ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.RUNNING)
    relationship = active_relationship(program, bob, alice)
    if status != program.status:
        program.status = status
        program.save(update_fields=["status"])
    return relationship


def test_the_program_page_shows_the_pairs_and_the_mentors_with_room(client, org, pam, alice, bob):
    relationship = bob_mentors_alice(org, pam, alice, bob)
    text = page(client, pam, "programs:manage", relationship.program_id)
    assert 'id="relationships-heading"' in text
    assert "<td><bdi>Bob Baker</bdi></td><td><bdi>Alice Archer</bdi></td>" in text
    assert "<bdi>Bob Baker</bdi> (1 free)" in text
    assert reverse("pairing:pair", args=[relationship.program_id]) in text


def test_the_program_page_offers_pairing_by_hand_only_while_the_program_is_live(client, org, pam, alice, bob):
    relationship = bob_mentors_alice(org, pam, alice, bob, status=ProgramStatus.CLOSED)
    text = page(client, pam, "programs:manage", relationship.program_id)
    assert "<td><bdi>Bob Baker</bdi></td><td><bdi>Alice Archer</bdi></td>" in text
    assert reverse("pairing:pair", args=[relationship.program_id]) not in text


def test_the_checkins_page_shows_the_sponsorship_figures(client, org, pam, alice, bob):
    relationship = bob_mentors_alice(org, pam, alice, bob)
    mo = PersonFactory(organisation=org, full_name="Mo Mentor", roles=[Role.PARTICIPANT])
    dora = PersonFactory(organisation=org, full_name="Dora Dean", roles=[Role.PARTICIPANT])
    active_relationship(relationship.program, mo, dora)
    advocacy_action_create(
        relationship=relationship,
        person=bob,
        kind="introduction",
        occurred_on=timezone.localdate(),
        description="Introduced Alice to the CTO.",
    )
    text = page(client, pam, "checkins:program", relationship.program_id)
    assert 'id="sponsorship-heading"' in text
    assert "<dt>Sponsorship actions recorded</dt><dd>1</dd>" in text
    assert "<dt>Mentees who received at least one</dt><dd>1 / 2</dd>" in text
