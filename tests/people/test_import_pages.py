"""The import page, API endpoint, management command and `mentora` CLI: who may import, and what they see."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from mentora import cli
from mentora.api.services import api_token_create
from mentora.people.models import Person

GOOD = b"employee_id,email,full_name\nN1,nina@acme.test,Nina New\nN2,omar@acme.test,Omar Old\n"
BAD = b"employee_id,email,full_name,manager\nN1,nina@acme.test,Nina New,N404\nN2,nina@acme.test,Omar,\n"
API_URL = "/api/people/import"


def upload(content: bytes = GOOD, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def imported(org) -> list[str]:
    return sorted(
        Person.objects.filter(organisation=org, employee_id__startswith="N").values_list(
            "full_name", flat=True
        )
    )


# ---- the page ---------------------------------------------------------------------------------


def test_a_program_manager_sees_the_import_page(client, pam):
    client.force_login(pam.user)

    response = client.get(reverse("people:import"))

    assert response.status_code == 200
    assert "Check without importing" in response.content.decode()


def test_checking_a_file_reports_the_counts_and_writes_nothing(client, pam, org):
    client.force_login(pam.user)

    response = client.post(reverse("people:import"), {"file": upload(), "dry_run": "on"})

    assert response.status_code == 200
    assert 'data-count="created">2<' in response.content.decode()
    assert imported(org) == []


def test_an_org_admin_imports_a_file(client, olga, org):
    client.force_login(olga.user)

    response = client.post(reverse("people:import"), {"file": upload()})

    assert response.status_code == 200
    assert "Imported" in response.content.decode()
    assert imported(org) == ["Nina New", "Omar Old"]


def test_the_page_lists_every_problem_of_a_bad_file(client, pam, org):
    client.force_login(pam.user)

    response = client.post(reverse("people:import"), {"file": upload(BAD)})

    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "N404" in page and "Unknown manager" in page
    assert "Duplicate email" in page
    assert imported(org) == []


def test_an_htmx_upload_gets_only_the_report(client, pam):
    client.force_login(pam.user)

    response = client.post(reverse("people:import"), {"file": upload()}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "<html" not in page
    assert 'data-count="created">2<' in page


def test_uploading_without_a_file_asks_for_one(client, pam):
    client.force_login(pam.user)

    response = client.post(reverse("people:import"), {})

    assert response.status_code == 200
    assert "Choose a file" in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "lou", "leo"])
def test_participants_line_managers_and_leaders_cannot_import(client, org, who, request):
    person = request.getfixturevalue(who)
    client.force_login(person.user)

    assert client.get(reverse("people:import")).status_code == 403
    assert client.post(reverse("people:import"), {"file": upload()}).status_code == 403
    assert imported(org) == []


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("people:import"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_program_manager_of_another_organisation_imports_only_into_their_own(
    client, charlie, org, other_org
):
    client.force_login(charlie.user)

    client.post(reverse("people:import"), {"file": upload()})

    assert imported(org) == []
    assert imported(other_org) == ["Nina New", "Omar Old"]


# ---- the API ----------------------------------------------------------------------------------


def bearer(person) -> dict:
    _token, raw = api_token_create(user=person.user, name="hr sync")
    return {"Authorization": f"Bearer {raw}"}


def test_the_api_imports_a_file_and_returns_the_counts(client, pam, org):
    response = client.post(API_URL, {"file": upload()}, headers=bearer(pam))

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"], body["dry_run"]) == (2, 0, 0, False)
    assert imported(org) == ["Nina New", "Omar Old"]


def test_the_api_dry_run_writes_nothing(client, pam, org):
    response = client.post(API_URL, {"file": upload(), "dry_run": "true"}, headers=bearer(pam))

    assert response.status_code == 200
    assert response.json()["created"] == 2
    assert imported(org) == []


def test_the_api_rejects_a_bad_file_in_the_one_error_shape(client, pam, org):
    response = client.post(API_URL, {"file": upload(BAD)}, headers=bearer(pam))

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "import_rejected"
    assert [(d["row"], d["column"]) for d in error["details"]] == [(2, "manager"), (3, "email")]
    assert all(d["message"] for d in error["details"])
    assert imported(org) == []


@pytest.mark.parametrize("who", ["alice", "lou"])
def test_the_api_refuses_people_who_do_not_manage_people(client, org, who, request):
    response = client.post(API_URL, {"file": upload()}, headers=bearer(request.getfixturevalue(who)))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert imported(org) == []


def test_the_api_needs_a_token(client, db):
    assert client.post(API_URL, {"file": upload()}).status_code == 401


def test_the_api_imports_into_the_callers_organisation_only(client, charlie, org, other_org):
    assert client.post(API_URL, {"file": upload()}, headers=bearer(charlie)).status_code == 200

    assert imported(org) == []
    assert imported(other_org) == ["Nina New", "Omar Old"]


# ---- command line -----------------------------------------------------------------------------


def test_the_command_imports_a_file_and_a_second_run_changes_nothing(org, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(GOOD)

    call_command("import_people", "acme", str(path))
    call_command("import_people", "acme", str(path))

    out = capsys.readouterr().out
    assert "2 created, 0 updated, 0 unchanged" in out
    assert "0 created, 0 updated, 2 unchanged" in out


def test_the_command_lists_problems_and_fails(org, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(BAD)

    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_people", "acme", str(path))

    assert "line 2, manager [N404]" in capsys.readouterr().err
    assert imported(org) == []


def test_the_command_dry_run_writes_nothing(org, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(GOOD)

    call_command("import_people", "acme", str(path), "--dry-run")

    assert "Would import 2 rows" in capsys.readouterr().out
    assert imported(org) == []


def test_the_command_needs_an_existing_organisation(db, tmp_path):
    with pytest.raises(CommandError, match="No organisation"):
        call_command("import_people", "nowhere", str(tmp_path / "x.csv"))


def test_the_mentora_cli_lists_its_commands(capsys):
    assert cli.main(["--help"]) == 0
    assert "demo-org" in capsys.readouterr().out
    assert cli.main(["frobnicate"]) == 2


def test_the_mentora_cli_dispatches_import_to_the_command(org, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(GOOD)

    cli.main(["import", "acme", str(path), "--dry-run"])

    assert "Would import 2 rows" in capsys.readouterr().out
