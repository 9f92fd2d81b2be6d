"""Issue 9 §3.14: a program manager's home lists the programs they manage (not closed ones), with
status, approved mentees and mentors, applications waiting and links; nobody else gets the panel."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.organisations.models import Role
from mentora.programs.models import EnrolmentRole, EnrolmentStatus, ProgramStatus
from tests.factories import PersonFactory
from tests.programs.factories import EnrolmentFactory, ProgramFactory


def home(client, person):
    client.force_login(person.user)
    return client.get(reverse("home")).content.decode()


def test_a_program_manager_sees_the_programs_they_manage_with_their_counts(client, org, pam):
    program = ProgramFactory(organisation=org, managers=[pam], name="Future leads", status=ProgramStatus.OPEN)
    EnrolmentFactory(program=program)
    EnrolmentFactory(program=program, role=EnrolmentRole.MENTOR)
    EnrolmentFactory(program=program, role=EnrolmentRole.MENTOR)
    EnrolmentFactory(program=program, status=EnrolmentStatus.APPLIED)
    ProgramFactory(organisation=org, managers=[pam], name="Old cohort", status=ProgramStatus.CLOSED)
    ProgramFactory(organisation=org, name="Someone else's")
    text = home(client, pam)
    assert 'id="managed-heading"' in text
    assert f'<a href="{reverse("programs:manage", args=[program.pk])}"><bdi>Future leads</bdi></a>' in text
    assert "<td>Open for enrolment</td>" in text
    assert "1 mentee," in text and "2 mentors" in text
    assert (
        f'href="{reverse("programs:enrolments", args=[program.pk])}?status=applied">1 application</a>' in text
    )
    assert "Old cohort" not in text and "Someone else" not in text


def test_an_org_admin_sees_every_program_of_the_organisation(client, org, olga, other_org):
    ProgramFactory(organisation=org, name="Acme academy")
    ProgramFactory(organisation=other_org, name="Globex guild")
    text = home(client, olga)
    assert "Acme academy" in text and "Globex guild" not in text


def test_a_manager_without_programs_is_told_so(client, pam):
    assert "None of your programs is in progress." in home(client, pam)


def test_other_roles_get_no_programs_panel(client, org, pam, alice, lou, leo, charlie):
    ProgramFactory(organisation=org, managers=[pam], name="Future leads", status=ProgramStatus.DRAFT)
    EnrolmentFactory(program=ProgramFactory(organisation=org, name="Mentoring circle"), person=alice)
    for person in (alice, lou, leo):
        text = home(client, person)
        assert 'id="managed-heading"' not in text and "Future leads" not in text
    assert "Future leads" not in home(client, charlie)  # another organisation's manager


def test_the_home_page_takes_the_same_queries_for_more_programs(client, org, pam):
    def programs(count):
        for _ in range(count):
            program = ProgramFactory(organisation=org, managers=[pam])
            EnrolmentFactory(
                program=program, person=PersonFactory(organisation=org, roles=[Role.PARTICIPANT])
            )

    programs(1)
    client.force_login(pam.user)
    client.get(reverse("home"))  # the organisation figures are cached from here on
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    programs(8)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))
    assert len(many) == len(few)
