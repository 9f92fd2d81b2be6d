"""Who is free to (re)match in a program over the API: the program page's pool panel
(`relationships.selectors.program_pool`), for the program's managers only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentora.organisations.models import Role
from mentora.relationships import services
from mentora.relationships.models import RelationshipOrigin
from tests.factories import PersonFactory, api_headers
from tests.programs.factories import EnrolmentFactory, ProgramFactory

pytestmark = pytest.mark.django_db

PAUSED = datetime.date(2099, 1, 1)


@pytest.fixture
def program(org, pam):
    return ProgramFactory(organisation=org, name="Leaders of tomorrow", managers=[pam])


def person(org, name):
    return PersonFactory(organisation=org, full_name=name, roles=[Role.PARTICIPANT])


def mentor(program, name, *, capacity, **enrolment):
    someone = person(program.organisation, name)
    EnrolmentFactory(program=program, person=someone, role="mentor", capacity=capacity, **enrolment)
    return someone


def mentee(program, name):
    someone = person(program.organisation, name)
    EnrolmentFactory(program=program, person=someone)
    return someone


def pair(program, mentor, mentee):
    return services.relationship_create_pending(
        program=program, mentor=mentor, mentee=mentee, origin=RelationshipOrigin.MANUAL
    )


@pytest.fixture
def people(program):
    """Mia has room for one more; Max is full; Pat is paused. Ann is paired, Bea was declined, Cal waits."""
    mia = mentor(program, "Mia Mentor", capacity=2)
    max_ = mentor(program, "Max Mentor", capacity=1)
    mentor(program, "Pat Mentor", capacity=3, paused_until=PAUSED)
    ann, bea, cal = (mentee(program, f"{name} Mentee") for name in ("Ann", "Bea", "Cal"))
    pair(program, mia, ann)
    declined = pair(program, max_, bea)
    services.relationship_decline(relationship=declined, person=bea)
    pair(program, max_, cal)
    return {"mia": mia, "bea": bea, "ann": ann, "cal": cal}


def url(program) -> str:
    return f"/api/programs/{program.pk}/pool"


def test_the_manager_reads_who_is_free_to_rematch(client, program, pam, people):
    response = client.get(url(program), headers=api_headers(pam))
    assert response.status_code == 200, response.content
    assert response.json() == {
        "mentees": [{"person": {"id": people["bea"].pk, "full_name": "Bea Mentee"}, "freed": True}],
        "mentors": [
            {
                "person": {"id": people["mia"].pk, "full_name": "Mia Mentor"},
                "capacity": 2,
                "live": 1,
                "free": 1,
            }
        ],
    }


def test_an_unpaired_mentee_who_was_never_paired_is_not_freed(client, program, pam):
    dan = mentee(program, "Dan Mentee")
    body = client.get(url(program), headers=api_headers(pam)).json()
    dan_out = {"person": {"id": dan.pk, "full_name": "Dan Mentee"}, "freed": False}
    assert body == {"mentees": [dan_out], "mentors": []}


def test_the_query_count_does_not_grow_with_the_pool(client, program, pam, people):
    headers = api_headers(pam)
    with CaptureQueriesContext(connection) as few:
        client.get(url(program), headers=headers)
    for n in range(5):
        mentee(program, f"More Mentee {n}")
        mentor(program, f"More Mentor {n}", capacity=2)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url(program), headers=headers).json()
    assert (len(body["mentees"]), len(body["mentors"])) == (6, 6)
    assert len(many) == len(few)


def test_an_org_admin_reads_it(client, program, olga, people):
    assert len(client.get(url(program), headers=api_headers(olga)).json()["mentees"]) == 1


@pytest.fixture
def quinn(org):
    quinn = PersonFactory(organisation=org, full_name="Quinn Other", roles=[Role.PROGRAM_MANAGER])
    ProgramFactory(organisation=org, name="Program Q", managers=[quinn])
    return quinn


@pytest.mark.parametrize("who", ["quinn", "alice", "lou", "leo", "charlie"])
def test_nobody_else_learns_even_that_it_exists(client, program, people, who, request):
    """Like the program's other manager reads (gaps, relationships): 404 for everyone else."""
    response = client.get(url(program), headers=api_headers(request.getfixturevalue(who)))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert "Mentee" not in response.content.decode()


def test_a_participant_of_the_program_does_not_read_it(client, program, people):
    assert client.get(url(program), headers=api_headers(people["bea"])).status_code == 404


def test_without_a_token_it_answers_401(client, program):
    assert client.get(url(program)).status_code == 401


@pytest.mark.parametrize("program_id", ["0", str(2**63)])
def test_an_id_out_of_range_is_refused_naming_it(client, pam, program_id):
    response = client.get(f"/api/programs/{program_id}/pool", headers=api_headers(pam))
    assert response.status_code == 422 and "program_id" in response.content.decode()


@pytest.mark.parametrize("program_id", ["abc", "-1"])
def test_a_path_that_is_no_id_is_an_unknown_route(client, pam, program_id):
    response = client.get(f"/api/programs/{program_id}/pool", headers=api_headers(pam))
    assert response.status_code == 404 and "error" in response.json()


def test_an_unknown_program_answers_404(client, program, pam):
    response = client.get(f"/api/programs/{program.pk + 1000}/pool", headers=api_headers(pam))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
