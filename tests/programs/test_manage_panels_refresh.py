"""Issue 9 §3.7: after an htmx decision on the program's page, the "who is missing" panel and the
free-to-(re)match pool are brought up to date (they listen to the event the decision triggers)."""

import json

from django.urls import reverse

from mentora.programs.models import EnrolmentRole, EnrolmentStatus, ProgramStatus
from mentora.programs.sections import ENROLMENTS_CHANGED
from tests.programs.factories import EnrolmentFactory, ProgramFactory


def htmx_decide(client, program, enrolment, decision):
    return client.post(
        reverse("programs:decide", args=[program.pk, enrolment.pk]),
        {"decision": decision},
        headers={"HX-Request": "true"},
    )


def test_an_htmx_decision_triggers_the_event_the_panels_listen_to(client, org, pam, alice):
    program = ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.OPEN)
    enrolment = EnrolmentFactory(program=program, person=alice, status=EnrolmentStatus.APPLIED)
    client.force_login(pam.user)
    response = htmx_decide(client, program, enrolment, "approve")
    assert ENROLMENTS_CHANGED in json.loads(response.headers["HX-Trigger"])
    page = client.get(reverse("programs:manage", args=[program.pk])).content.decode()
    listener = f'hx-trigger="{ENROLMENTS_CHANGED} from:body"'
    assert page.count(listener) == 2  # the gaps panel and the pool
    assert f'hx-get="{reverse("relationships:program_gaps", args=[program.pk])}"' in page
    assert f'hx-get="{reverse("relationships:program_pool", args=[program.pk])}"' in page


def test_a_refused_decision_triggers_nothing(client, org, pam, alice):
    program = ProgramFactory(organisation=org, managers=[pam])
    enrolment = EnrolmentFactory(program=program, person=alice, status=EnrolmentStatus.APPROVED)
    client.force_login(pam.user)
    response = htmx_decide(client, program, enrolment, "decline")
    assert response.status_code == 200
    assert "HX-Trigger" not in response.headers


def test_the_refreshed_panels_count_the_approved_mentee(client, org, pam, alice, bob):
    program = ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.RUNNING)
    EnrolmentFactory(program=program, person=bob, role=EnrolmentRole.MENTOR, capacity=2)
    enrolment = EnrolmentFactory(program=program, person=alice, status=EnrolmentStatus.APPLIED)
    client.force_login(pam.user)
    gaps_url = reverse("relationships:program_gaps", args=[program.pk])
    pool_url = reverse("relationships:program_pool", args=[program.pk])
    assert "0 mentees" in client.get(gaps_url, headers={"HX-Request": "true"}).content.decode()
    assert "Alice Archer" not in client.get(pool_url, headers={"HX-Request": "true"}).content.decode()
    htmx_decide(client, program, enrolment, "approve")
    gaps = client.get(gaps_url, headers={"HX-Request": "true"}).content.decode()
    assert "1 mentee," in gaps and "application is waiting" not in gaps
    pool = client.get(pool_url, headers={"HX-Request": "true"})
    assert pool["Vary"] == "HX-Request" or "HX-Request" in pool["Vary"]
    assert "Alice Archer" in pool.content.decode() and 'id="program-pool"' in pool.content.decode()


def test_the_pool_fragment_is_for_the_programs_managers_only(client, org, pam, alice, charlie, lou):
    program = ProgramFactory(organisation=org, managers=[pam])
    url = reverse("relationships:program_pool", args=[program.pk])
    for person in (alice, lou, charlie):
        client.force_login(person.user)
        assert client.get(url).status_code == 404
