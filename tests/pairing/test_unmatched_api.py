"""A run's unmatched people over the API: the run page's "Not matched" list, with the same reasons
worded for the program's managers, seen by nobody else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.organisations.models import Role
from mentora.pairing import services
from tests.factories import PersonFactory, api_headers
from tests.pairing.conftest import enrol_mentee, enrol_mentor
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def run_now(program, pam):
    created = services.match_run_create(program=program, created_by=pam, settings={})
    return services.match_run_execute(run_id=created.pk)


@pytest.fixture
def mentor(program, skill):
    return enrol_mentor(program, name="Only Mentor", skill=skill, capacity=1)


@pytest.fixture
def run(program, pam, skill, mentor):
    for name in ("Ada Mentee", "Ben Mentee", "Cy Mentee"):
        enrol_mentee(program, name=name, skill=skill, self_level=1)
    return run_now(program, pam)


def url(run) -> str:
    return f"/api/matching/runs/{run.pk}/unmatched"


def test_the_manager_reads_who_was_left_unmatched_and_why(client, run, pam):
    response = client.get(url(run), headers=api_headers(pam))
    assert response.status_code == 200, response.content
    body = response.json()
    matched = run.proposals.get().mentee
    unmatched_ids = {int(entry["id"]) for entry in run.result["unmatched"]}
    assert (body["count"], body["page"], body["pages"]) == (2, 1, 1)
    assert {entry["person"]["id"] for entry in body["results"]} == unmatched_ids
    assert matched.pk not in unmatched_ids
    for entry in body["results"]:
        assert entry["person"]["full_name"].endswith("Mentee")
        assert entry["reasons"], entry
        assert all(set(reason) == {"code", "params", "text"} for reason in entry["reasons"])
        assert all(reason["text"] and reason["text"] != reason["code"] for reason in entry["reasons"])
    assert "own_level" not in response.content.decode()  # the mentee's private self-assessment


def test_the_reasons_are_the_ones_the_run_page_shows(client, run, pam):
    client.force_login(pam.user)
    page = client.get(reverse("pairing:run", args=[run.pk])).content.decode()
    body = client.get(url(run), headers=api_headers(pam)).json()
    for entry in body["results"]:
        for reason in entry["reasons"]:
            assert reason["text"] in page.replace("&#x27;", "'")


def test_an_unfinished_run_has_nobody_unmatched_yet(client, program, pam, skill, mentor):
    enrol_mentee(program, name="Ada Mentee", skill=skill)
    queued = services.match_run_create(program=program, created_by=pam, settings={})
    body = client.get(url(queued), headers=api_headers(pam)).json()
    assert (body["count"], body["results"]) == (0, [])


def test_it_is_paged(client, run, pam):
    body = client.get(url(run), {"page_size": 1, "page": 2}, headers=api_headers(pam)).json()
    assert (body["count"], body["pages"], len(body["results"])) == (2, 2, 1)


def test_the_query_count_does_not_grow_with_the_unmatched(client, program, pam, skill, mentor, run):
    headers = api_headers(pam)
    with CaptureQueriesContext(connection) as few:
        client.get(url(run), headers=headers)
    for n in range(6):
        enrol_mentee(program, name=f"More Mentee {n}", skill=skill)
    bigger = run_now(program, pam)
    assert len(bigger.result["unmatched"]) == 8
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(bigger), headers=headers).json()["count"] == 8
    assert len(many) == len(few)


def test_an_org_admin_reads_it(client, run, olga):
    assert client.get(url(run), headers=api_headers(olga)).json()["count"] == 2


@pytest.fixture
def quinn(org):
    quinn = PersonFactory(organisation=org, full_name="Quinn Other", roles=[Role.PROGRAM_MANAGER])
    ProgramFactory(organisation=org, name="Program Q", managers=[quinn])
    return quinn


@pytest.mark.parametrize(
    "who, status",
    [("quinn", 403), ("alice", 403), ("lou", 403), ("leo", 403), ("charlie", 404)],
)
def test_nobody_else_reads_it(client, run, who, status, request):
    response = client.get(url(run), headers=api_headers(request.getfixturevalue(who)))
    assert response.status_code == status
    assert "Mentee" not in response.content.decode()


def test_the_unmatched_mentee_does_not_read_it(client, run):
    unmatched = run.program.enrolments.get(person_id=int(run.result["unmatched"][0]["id"])).person
    assert client.get(url(run), headers=api_headers(unmatched)).status_code == 403


def test_without_a_token_it_answers_401(client, run):
    assert client.get(url(run)).status_code == 401


@pytest.mark.parametrize("run_id", ["0", "abc", str(2**63), "-1"])
def test_a_bad_run_id_is_refused_naming_it(client, pam, run_id):
    response = client.get(f"/api/matching/runs/{run_id}/unmatched", headers=api_headers(pam))
    assert response.status_code == 422
    assert "run_id" in response.content.decode()


def test_an_unknown_run_answers_404(client, run, pam):
    response = client.get(f"/api/matching/runs/{run.pk + 1000}/unmatched", headers=api_headers(pam))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("params", [{"page": "0"}, {"page_size": "1000"}, {"page": "x"}])
def test_bad_paging_is_refused_naming_the_field(client, run, pam, params):
    response = client.get(url(run), params, headers=api_headers(pam))
    assert response.status_code == 422
    assert next(iter(params)) in response.content.decode()
