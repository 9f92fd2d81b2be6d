"""Who may ask for, follow and download exports, on the pages and through the API: a program's lists
only its managers (and the org admin); an export only its requester, nobody else in any role or
organisation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.reports.models import Export
from tests.factories import api_headers
from tests.reports.conftest import built

PROGRAM_KINDS = ["enrolments", "relationships", "matching_results", "checkins", "program_report"]


@pytest.fixture
def pams_export(pam, program, relationship):
    return built(pam, "relationships", "xlsx", program)


def test_the_manager_asks_for_an_export_from_a_button_and_finds_it_on_the_exports_page(client, pam, program):
    client.force_login(pam.user)

    response = client.post(
        reverse("reports:create"), {"kind": "relationships", "format": "csv", "program_id": program.pk}
    )

    assert response.status_code == 302 and response.url == reverse("reports:exports")
    export = Export.objects.get()
    assert export.requested_by == pam and export.params == {"program_id": program.pk}
    page = client.get(reverse("reports:exports")).content.decode()
    assert f'id="export-{export.pk}"' in page and 'hx-trigger="every 2s"' in page


@pytest.mark.parametrize("kind", PROGRAM_KINDS)
def test_nobody_else_exports_a_programs_lists(client, everyone_else, program, kind):
    for role, person in everyone_else.items():
        client.force_login(person.user)
        response = client.post(
            reverse("reports:create"), {"kind": kind, "format": "xlsx", "program_id": program.pk}
        )
        assert response.status_code in (403, 404), role
        api = client.post(
            "/api/exports",
            {"kind": kind, "format": "xlsx", "program_id": program.pk},
            content_type="application/json",
            headers=api_headers(person),
        )
        assert api.status_code in (403, 404), role
    assert not Export.objects.exists()


def test_the_org_admin_exports_every_programs_lists(client, olga, program):
    client.force_login(olga.user)

    for kind in PROGRAM_KINDS:
        response = client.post(
            reverse("reports:create"), {"kind": kind, "format": "csv", "program_id": program.pk}
        )
        assert response.status_code == 302

    assert Export.objects.filter(requested_by=olga).count() == len(PROGRAM_KINDS)


def test_only_managers_export_the_people_and_only_org_admins_the_audit_log(
    client, alice, bob, lou, leo, pam, olga
):
    for person in (alice, bob, lou, leo):
        client.force_login(person.user)
        for kind in ("people", "audit_log"):
            assert client.post(reverse("reports:create"), {"kind": kind, "format": "csv"}).status_code == 403
    client.force_login(pam.user)
    assert client.post(reverse("reports:create"), {"kind": "audit_log", "format": "csv"}).status_code == 403
    assert client.post(reverse("reports:create"), {"kind": "people", "format": "csv"}).status_code == 302
    client.force_login(olga.user)
    assert client.post(reverse("reports:create"), {"kind": "audit_log", "format": "csv"}).status_code == 302
    assert sorted(Export.objects.values_list("kind", flat=True)) == ["audit_log", "people"]


def test_the_requester_downloads_their_export(client, pam, pams_export):
    client.force_login(pam.user)

    response = client.get(reverse("reports:download", args=[pams_export.pk]))

    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == f'attachment; filename="{pams_export.filename}"'
    assert response.content == bytes(pams_export.content)
    api = client.get(f"/api/exports/{pams_export.pk}/download", headers=api_headers(pam))
    assert api.status_code == 200 and api.content == bytes(pams_export.content)


def test_nobody_else_sees_or_downloads_an_export(client, pams_export, everyone_else, olga):
    for role, person in {**everyone_else, "org admin": olga}.items():
        client.force_login(person.user)
        for url in (
            reverse("reports:detail", args=[pams_export.pk]),
            reverse("reports:download", args=[pams_export.pk]),
        ):
            assert client.get(url).status_code == 404, (role, url)
        page = client.get(reverse("reports:exports"))
        assert page.status_code == 200 and f"export-{pams_export.pk}" not in page.content.decode(), role
        headers = api_headers(person)
        for url in (f"/api/exports/{pams_export.pk}", f"/api/exports/{pams_export.pk}/download"):
            assert client.get(url, headers=headers).status_code == 404, (role, url)
        assert client.get("/api/exports", headers=headers).json()["count"] == 0, role


def test_the_progress_fragment_is_the_exports_row(client, pam, program):
    client.force_login(pam.user)
    client.post(reverse("reports:create"), {"kind": "enrolments", "format": "csv", "program_id": program.pk})
    export = Export.objects.get()

    fragment = client.get(reverse("reports:detail", args=[export.pk]), headers={"HX-Request": "true"})

    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert body.lstrip().startswith(f'<tr id="export-{export.pk}"') and "<progress" in body


def test_a_programs_reports_page_offers_its_exports_to_its_managers_only(
    client, pam, olga, everyone_else, program
):
    url = reverse("reports:program_report", args=[program.pk])
    for person in (pam, olga):
        client.force_login(person.user)
        page = client.get(url)
        assert page.status_code == 200
        assert page.content.decode().count(f'name="program_id" value="{program.pk}"') == 5
    for role, person in everyone_else.items():
        client.force_login(person.user)
        assert client.get(url).status_code == 404, role


def test_the_exports_page_reads_a_constant_number_of_queries(
    client, pam, program, django_assert_max_num_queries
):
    client.force_login(pam.user)
    built(pam, "enrolments", "csv", program)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("reports:exports"))
    for kind in ("relationships", "checkins", "matching_results", "program_report", "people"):
        built(pam, kind, "xlsx", program if kind != "people" else None)

    with django_assert_max_num_queries(len(one)):
        page = client.get(reverse("reports:exports"))

    assert page.content.decode().count("Program P") == 5
