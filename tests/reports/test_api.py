"""`/api/exports`: ask, follow, download; bad input answers a clear error, never a 500."""

import pytest
from freezegun import freeze_time

from mentora.reports.models import Export
from tests.factories import api_headers
from tests.reports.conftest import built


@pytest.fixture
def headers(pam):
    return api_headers(pam)


def post(client, headers, body):
    return client.post("/api/exports", body, content_type="application/json", headers=headers)


def test_asking_answers_202_with_the_queued_export(client, headers, program):
    response = post(client, headers, {"kind": "relationships", "format": "xlsx", "program_id": program.pk})

    assert response.status_code == 202
    body = response.json()
    export = Export.objects.get()
    assert body["id"] == export.pk and body["status"] == "queued" and body["progress"] == 0
    assert body["program_id"] == program.pk and body["download_url"] is None


def test_following_a_finished_export_gives_its_download(client, headers, pam, program):
    export = built(pam, "relationships", "csv", program)

    body = client.get(f"/api/exports/{export.pk}", headers=headers).json()

    assert body["status"] == "done" and body["progress"] == 100 and body["size"] == export.size
    assert body["download_url"] == f"/api/exports/{export.pk}/download"
    listed = client.get("/api/exports", headers=headers).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == export.pk


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "payroll", "format": "csv"}, "kind"),
        ({"kind": "relationships", "format": "docx"}, "format"),
        ({"format": "csv"}, "kind"),
        ({"kind": "relationships", "format": "csv", "program_id": "x"}, "program_id"),
        ({"kind": "relationships", "format": "csv", "program_id": 0}, "program_id"),
    ],
)
def test_bad_input_is_refused_on_its_field(client, headers, program, body, field):
    response = post(client, headers, body)

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"].endswith(field)
    assert not Export.objects.exists()


def test_a_format_the_kind_is_not_offered_in_is_refused(client, headers, program):
    response = post(client, headers, {"kind": "relationships", "format": "pdf", "program_id": program.pk})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "bad_choice" and response.json()["error"]["field"] == "format"


def test_a_programs_kind_without_the_program_is_refused(client, headers):
    response = post(client, headers, {"kind": "enrolments", "format": "csv"})

    assert response.status_code == 422 and response.json()["error"]["code"] == "required"
    assert response.json()["error"]["field"] == "program_id"


def test_an_unknown_program_answers_404(client, headers):
    response = post(client, headers, {"kind": "enrolments", "format": "csv", "program_id": 999999})

    assert response.status_code == 404


def test_a_download_before_it_is_ready_answers_409_not_ready(client, headers, program):
    export_id = post(
        client, headers, {"kind": "enrolments", "format": "csv", "program_id": program.pk}
    ).json()["id"]

    response = client.get(f"/api/exports/{export_id}/download", headers=headers)

    assert response.status_code == 409 and response.json()["error"]["code"] == "not_ready"


def test_an_expired_download_answers_410_on_the_api_and_the_page(client, pam, program):
    with freeze_time("2031-05-01 10:00"):
        export = built(pam, "enrolments", "csv", program)

    with freeze_time("2031-05-02 10:01"):
        client.force_login(pam.user)
        api = client.get(f"/api/exports/{export.pk}/download", headers=api_headers(pam))
        page = client.get(f"/exports/{export.pk}/download/")

    assert api.status_code == 410 and api.json()["error"]["code"] == "export_expired"
    assert page.status_code == 410 and b"Ask for a new export" in page.content


def test_another_persons_export_id_answers_404(client, olga, pam, program):
    export = built(pam, "enrolments", "csv", program)

    response = client.get(f"/api/exports/{export.pk}/download", headers=api_headers(olga))

    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_exports_operations_are_in_the_openapi_document(client, headers):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert {"/api/exports", "/api/exports/{export_id}", "/api/exports/{export_id}/download"} <= set(paths)
    assert "/api/programs/{program_id}/monthly-report" in paths
