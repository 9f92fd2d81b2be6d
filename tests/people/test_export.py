"""The people export: who may download it, what it holds (and never holds), and that it imports back."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mentora.api.services import api_token_create
from mentora.people.importing import EXPORT_COLUMNS, people_import
from mentora.people.models import Person
from tests.factories import DemographicProfileFactory, SelfAssessmentFactory, SkillFactory

API_URL = "/api/people/export"
TEAM = (
    "employee_id,email,full_name,job_title,job_family,department,manager,seniority,location,time_zone,"
    "languages,availability_hours_per_month,meeting_mode,offered_skills,wanted_skills,roles,goals,purpose\n"
    "E1,ceo@acme.test,Cleo Chief,CEO,Leadership,Executive,,10,Lisbon,Europe/Lisbon,en;pt-BR,4,either,"
    'Python:5; SQL:4,,"org_admin, participant","Grow, and then\ngrow more",Lead\n'
    'E2,dev@acme.test,Dev Eloper,"=HYPERLINK(""http://evil.test"",""win"")",Engineering,'
    "Engineering > Platform,E1,4,Paris,Europe/Paris,fr,2,video,Python:3,SQL:high; Public speaking:low,,"
    "+1+1,@SUM(A1)\n"
    "E3,new@acme.test,-Nia,,,,dev@acme.test,1,,America/New_York,,0,in_person,,,,,\n"
)


def run_import(org, data: bytes, filename: str, *, dry_run: bool = False):
    return people_import(organisation=org, file=io.BytesIO(data), filename=filename, dry_run=dry_run)


@pytest.fixture
def team(org):
    SkillFactory(organisation=org, name="Python", slug="python")
    SkillFactory(organisation=org, name="SQL", slug="sql")
    report = run_import(org, TEAM.encode(), "team.csv")
    assert report.ok, report.errors
    return report


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def by_employee_id(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def bearer(person) -> dict:
    _token, raw = api_token_create(user=person.user, name="hr sync")
    return {"Authorization": f"Bearer {raw}"}


# ---- what it holds ----------------------------------------------------------------------------


def test_a_program_manager_downloads_the_people_in_the_imports_columns(client, pam, team):
    client.force_login(pam.user)

    response = client.get(reverse("people:export", args=["csv"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="acme-people-')
    assert response["Cache-Control"] == "no-store"
    rows = csv_rows(response)
    assert tuple(rows[0]) == EXPORT_COLUMNS
    dev = by_employee_id(rows)["E2"]
    assert dev["department"] == "Engineering > Platform"
    assert (dev["manager"], dev["languages"], dev["offered_skills"]) == ("E1", "fr", "Python:3")
    assert dev["wanted_skills"] == "Public speaking:low; SQL:high"
    assert by_employee_id(rows)["E1"]["roles"] == "org_admin; participant"
    assert by_employee_id(rows)["E1"]["goals"] == "Grow, and then\ngrow more"


def test_formula_like_values_are_neutralised_in_csv(client, pam, team):
    client.force_login(pam.user)

    rows = by_employee_id(csv_rows(client.get(reverse("people:export", args=["csv"]))))

    assert rows["E2"]["job_title"] == '\'=HYPERLINK("http://evil.test","win")'
    assert (rows["E2"]["goals"], rows["E2"]["purpose"]) == ("'+1+1", "'@SUM(A1)")
    assert rows["E3"]["full_name"] == "'-Nia"


def test_formula_like_values_are_neutralised_strings_in_xlsx(client, pam, team):
    client.force_login(pam.user)

    response = client.get(reverse("people:export", args=["xlsx"]))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert tuple(header) == EXPORT_COLUMNS
    dev = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "E2")
    title = dev[EXPORT_COLUMNS.index("job_title")]
    assert (title.value, title.data_type) == ('\'=HYPERLINK("http://evil.test","win")', "s")
    assert {cell.data_type for row in sheet.iter_rows() for cell in row if cell.value is not None} == {"s"}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_imports_back_without_any_change(client, pam, org, team, file_format):
    client.force_login(pam.user)
    response = client.get(reverse("people:export", args=[file_format]))

    report = run_import(org, response.content, f"export.{file_format}")

    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 0)
    assert Person.objects.get(organisation=org, employee_id="E2").job_title == (
        '=HYPERLINK("http://evil.test","win")'
    )


def test_it_never_holds_self_assessments_or_demographics(client, pam, alice):
    SelfAssessmentFactory(person=alice, reflection="I freeze in front of executives")
    DemographicProfileFactory(person=alice, gender="nonbinary-secret", ethnicity="Martian-secret")
    client.force_login(pam.user)

    for file_format in ("csv", "xlsx"):
        response = client.get(reverse("people:export", args=[file_format]))
        if file_format == "xlsx":
            sheet = load_workbook(io.BytesIO(response.content)).active
            text = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
        else:
            text = response.content.decode("utf-8-sig")
        assert alice.email in text
        assert "freeze" not in text and "secret" not in text


def test_it_holds_only_the_viewers_organisation(client, charlie, alice, other_org):
    client.force_login(charlie.user)

    text = client.get(reverse("people:export", args=["csv"])).content.decode("utf-8-sig")

    assert charlie.email in text
    assert alice.email not in text


# ---- who may download it ----------------------------------------------------------------------


def test_an_org_admin_may_export(client, olga):
    client.force_login(olga.user)

    assert client.get(reverse("people:export", args=["xlsx"])).status_code == 200


@pytest.mark.parametrize("who", ["alice", "lou", "leo"])
def test_participants_line_managers_and_leaders_cannot_export(client, org, who, request):
    client.force_login(request.getfixturevalue(who).user)

    assert client.get(reverse("people:export", args=["csv"])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("people:export", args=["csv"]))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_an_unknown_format_is_not_found(client, pam):
    client.force_login(pam.user)

    assert client.get(reverse("people:export", args=["pdf"])).status_code == 404


def test_the_people_list_offers_the_export_to_managers_only(client, pam, alice):
    client.force_login(pam.user)
    assert reverse("people:export", args=["xlsx"]) in client.get(reverse("people:list")).content.decode()

    client.force_login(alice.user)
    assert reverse("people:export", args=["csv"]) not in client.get(reverse("people:list")).content.decode()


# ---- the API ----------------------------------------------------------------------------------


def test_the_api_exports_csv_by_default_and_xlsx_on_request(client, pam, team):
    headers = bearer(pam)

    as_csv = client.get(API_URL, headers=headers)
    as_xlsx = client.get(API_URL, {"format": "xlsx"}, headers=headers)

    assert as_csv.status_code == 200 and tuple(csv_rows(as_csv)[0]) == EXPORT_COLUMNS
    assert as_xlsx.status_code == 200
    header = load_workbook(io.BytesIO(as_xlsx.content)).active[1]
    assert tuple(cell.value for cell in header) == EXPORT_COLUMNS


@pytest.mark.parametrize("who", ["alice", "lou"])
def test_the_api_refuses_people_who_do_not_manage_people(client, org, who, request):
    response = client.get(API_URL, headers=bearer(request.getfixturevalue(who)))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_the_api_refuses_an_unknown_format_in_the_one_error_shape(client, pam):
    response = client.get(API_URL, {"format": "pdf"}, headers=bearer(pam))

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_the_api_needs_a_token(client, db):
    assert client.get(API_URL).status_code == 401
