"""The import report names each row's person id, so an HR system can map its employee ids to
Mentora's people without listing them again."""

import pytest

from mentora.people.models import ImportStatus, PeopleImport, Person
from tests.factories import PersonFactory, api_headers
from tests.people.test_import_pages import API_URL, run_tasks, upload  # noqa: F401 (run_tasks: a fixture)

pytestmark = pytest.mark.django_db

FILE = (
    b"employee_id,email,full_name\n"
    b"N1,nina@acme.test,Nina New\nE7,old@acme.test,Olly Changed\nE8,same@acme.test,Sam Same\n"
)


@pytest.fixture
def existing(org):
    return {
        "E7": PersonFactory(organisation=org, employee_id="E7", email="old@acme.test", full_name="Olly Old"),
        "E8": PersonFactory(organisation=org, employee_id="E8", email="same@acme.test", full_name="Sam Same"),
    }


def import_file(client, pam, run_tasks, content=FILE, **form):  # noqa: F811
    headers = api_headers(pam)
    job = run_tasks(client.post, API_URL, {"file": upload(content), **form}, headers=headers).json()
    return client.get(f"{API_URL}/{job['id']}", headers=headers).json()


def test_the_report_names_every_rows_person(client, org, pam, existing, run_tasks):  # noqa: F811
    body = import_file(client, pam, run_tasks)
    assert body["status"] == "done", body
    nina = Person.objects.get(organisation=org, employee_id="N1")
    assert body["report"]["people"] == [
        {"row": 2, "employee_id": "N1", "person_id": nina.pk},
        {"row": 3, "employee_id": "E7", "person_id": existing["E7"].pk},
        {"row": 4, "employee_id": "E8", "person_id": existing["E8"].pk},
    ]
    assert (body["report"]["created"], body["report"]["updated"], body["report"]["unchanged"]) == (1, 1, 1)


def test_a_dry_run_names_nobody(client, pam, existing, run_tasks):  # noqa: F811
    body = import_file(client, pam, run_tasks, dry_run="true")
    assert body["status"] == "done" and body["report"]["people"] == []


def test_a_refused_file_names_nobody(client, pam, run_tasks):  # noqa: F811
    body = import_file(client, pam, run_tasks, content=b"employee_id,email,full_name\nN1,not-an-email,Nina\n")
    assert body["status"] == "rejected" and body["report"] is None and body["problems"]


def test_a_report_stored_before_ids_were_kept_answers_none(client, org, pam):
    job = PeopleImport.objects.create(
        organisation=org,
        status=ImportStatus.DONE,
        dry_run=False,
        filename="old.csv",
        report={
            "dry_run": False,
            "rows": 1,
            "created": 1,
            "updated": 0,
            "unchanged": 0,
            "new_skills": [],
            "new_languages": [],
            "new_departments": [],
            "pending_email_changes": [],
            "errors": [],
        },
    )
    body = client.get(f"{API_URL}/{job.pk}", headers=api_headers(pam)).json()
    assert body["report"]["people"] == [] and body["report"]["created"] == 1


def test_another_organisation_does_not_read_the_ids(client, pam, charlie, existing, run_tasks):  # noqa: F811
    headers = api_headers(pam)
    job = run_tasks(client.post, API_URL, {"file": upload(FILE)}, headers=headers).json()
    response = client.get(f"{API_URL}/{job['id']}", headers=api_headers(charlie))
    assert response.status_code == 404 and "person_id" not in response.content.decode()
