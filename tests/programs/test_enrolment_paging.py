"""A popular program: its page shows the first applications waiting and pages its relationships; the
enrolments page pages the applications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.programs.models import EnrolmentStatus, ProgramStatus
from mentora.programs.selectors import ENROLMENTS_PER_PAGE, PENDING_ON_MANAGE_PAGE
from mentora.relationships.models import Relationship, RelationshipOrigin
from mentora.relationships.selectors import RELATIONSHIPS_PER_PAGE
from tests.factories import PersonFactory
from tests.programs.factories import EnrolmentFactory, ProgramFactory


@pytest.fixture
def program(org, pam):
    return ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.OPEN)


def applications(program, count):
    for number in range(count):
        person = PersonFactory(organisation=program.organisation, full_name=f"Applicant {number:03}")
        EnrolmentFactory(program=program, person=person, role="mentee", status=EnrolmentStatus.APPLIED)


def test_the_program_page_shows_the_first_applications_and_links_to_all(client, pam, program):
    applications(program, PENDING_ON_MANAGE_PAGE + 5)
    client.force_login(pam.user)
    text = client.get(reverse("programs:manage", args=[program.pk])).content.decode()
    assert text.count('<tr id="enrolment-') == PENDING_ON_MANAGE_PAGE
    assert f"All {PENDING_ON_MANAGE_PAGE + 5} applications waiting" in text


def test_the_enrolments_page_shows_one_page_and_a_link_to_the_next(client, pam, program):
    applications(program, ENROLMENTS_PER_PAGE + 3)
    client.force_login(pam.user)
    url = reverse("programs:enrolments", args=[program.pk])
    text = client.get(url, {"status": "applied"}).content.decode()
    assert text.count('<tr id="enrolment-') == ENROLMENTS_PER_PAGE
    assert '<nav class="pager" aria-label="Pages of enrolments">' in text
    assert 'href="?status=applied&amp;page=2" rel="next"' in text
    assert (
        client.get(url, {"status": "applied", "page": "2"}).content.decode().count('<tr id="enrolment-') == 3
    )


def test_the_enrolments_page_needs_the_same_queries_for_more_people(client, pam, program):
    client.force_login(pam.user)
    url = reverse("programs:enrolments", args=[program.pk])
    applications(program, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    applications(program, 20)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_program_page_shows_its_relationships_a_page_at_a_time(client, pam, bob, program):
    mentees = [
        PersonFactory(organisation=program.organisation, full_name=f"Mentee {n:03}") for n in range(53)
    ]
    Relationship.objects.bulk_create(
        Relationship(
            program=program,
            mentor=bob,
            mentee=mentee,
            origin=RelationshipOrigin.MANUAL,
            ends_on=program.ends_on,
        )
        for mentee in mentees
    )
    client.force_login(pam.user)
    url = reverse("programs:manage", args=[program.pk])
    text = client.get(url).content.decode()
    assert text.count("<td><bdi>Mentee ") == RELATIONSHIPS_PER_PAGE
    assert '<nav class="pager" aria-label="Pages of the program’s relationships">' in text
    assert client.get(url, {"page": "2"}).content.decode().count("<td><bdi>Mentee ") == 3
