"""A program's co-managers over the API: the manage page's list and its "Add a manager" form,
through the same service (`programs.services.program_manager_add`)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentora.organisations.models import Role
from mentora.programs.models import ProgramManager
from tests.factories import PersonFactory, api_headers
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(org, pam):
    return ProgramFactory(organisation=org, managers=[pam], name="Program P")


@pytest.fixture
def quinn(org):
    """A program manager of another program Q in the same organisation."""
    quinn = PersonFactory(organisation=org, full_name="Quinn Quartermaster", roles=[Role.PROGRAM_MANAGER])
    ProgramFactory(organisation=org, managers=[quinn], name="Program Q")
    return quinn


def url(program) -> str:
    return f"/api/programs/{program.pk}/managers"


def add(client, program, caller, person_id):
    return client.post(
        url(program), {"person_id": person_id}, content_type="application/json", headers=api_headers(caller)
    )


def managers_of(program) -> set[int]:
    return set(ProgramManager.objects.filter(program=program).values_list("person_id", flat=True))


def test_a_manager_lists_the_co_managers_by_name(client, program, pam, quinn):
    ProgramManager.objects.create(program=program, person=quinn)
    body = client.get(url(program), headers=api_headers(pam)).json()
    assert body == {
        "count": 2,
        "page": 1,
        "pages": 1,
        "results": [
            {"id": pam.pk, "full_name": "Pam Planner"},
            {"id": quinn.pk, "full_name": "Quinn Quartermaster"},
        ],
    }


def test_a_manager_adds_a_program_manager_of_the_organisation(client, program, pam, quinn):
    response = add(client, program, pam, quinn.pk)
    assert response.status_code == 201, response.content
    assert response.json() == {"id": quinn.pk, "full_name": "Quinn Quartermaster"}
    assert managers_of(program) == {pam.pk, quinn.pk}
    # Quinn now manages it: the program's manager reads answer Quinn too.
    assert client.get(url(program), headers=api_headers(quinn)).json()["count"] == 2


def test_adding_a_manager_twice_changes_nothing(client, program, pam, quinn):
    add(client, program, pam, quinn.pk)
    assert add(client, program, pam, quinn.pk).status_code == 201
    assert ProgramManager.objects.filter(program=program, person=quinn).count() == 1


def test_an_org_admin_adds_themselves(client, program, olga):
    assert add(client, program, olga, olga.pk).status_code == 201
    assert olga.pk in managers_of(program)


def test_a_participant_cannot_become_a_manager(client, program, pam, alice):
    response = add(client, program, pam, alice.pk)
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("not_a_manager", "person_id")
    assert managers_of(program) == {pam.pk}


def test_someone_of_another_organisation_is_not_found(client, program, pam, charlie):
    response = add(client, program, pam, charlie.pk)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert managers_of(program) == {pam.pk}


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "person_id"),
        ({"person_id": 0}, "person_id"),
        ({"person_id": 2**63}, "person_id"),
        ({"person_id": "pam"}, "person_id"),
        ({"person_id": None}, "person_id"),
    ],
)
def test_bad_input_is_refused_naming_the_field(client, program, pam, body, field):
    response = client.post(url(program), body, content_type="application/json", headers=api_headers(pam))
    assert response.status_code == 422
    assert field in str(response.json()["error"])
    assert managers_of(program) == {pam.pk}


def test_the_list_needs_the_same_queries_for_more_managers(client, program, pam, org):
    headers = api_headers(pam)
    with CaptureQueriesContext(connection) as few:
        client.get(url(program), headers=headers)
    for n in range(5):
        manager = PersonFactory(organisation=org, full_name=f"Manager {n}", roles=[Role.PROGRAM_MANAGER])
        ProgramManager.objects.create(program=program, person=manager)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(program), headers=headers).json()["count"] == 6
    assert len(many) == len(few)


@pytest.mark.parametrize("who", ["quinn", "alice", "lou", "leo", "charlie"])
def test_nobody_else_reads_or_adds_managers(client, program, pam, quinn, who, request):
    caller = request.getfixturevalue(who)
    listed = client.get(url(program), headers=api_headers(caller))
    assert listed.status_code == 404 and "Pam" not in listed.content.decode()
    added = add(client, program, caller, quinn.pk)
    assert added.status_code == 404
    assert managers_of(program) == {pam.pk}


def test_without_a_token_it_answers_401(client, program, quinn):
    assert client.get(url(program)).status_code == 401
    added = client.post(url(program), {"person_id": quinn.pk}, content_type="application/json")
    assert added.status_code == 401
