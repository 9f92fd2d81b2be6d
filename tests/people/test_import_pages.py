"""The import page, API endpoint, management command and `mentora` CLI: who may import, and what they see."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from mentora import cli
from mentora.api.services import api_token_create
from mentora.people.models import PeopleImport, Person
from mentora.people.tasks import people_import_task

GOOD = b"employee_id,email,full_name\nN1,nina@acme.test,Nina New\nN2,omar@acme.test,Omar Old\n"
BAD = b"employee_id,email,full_name,manager\nN1,nina@acme.test,Nina New,N404\nN2,nina@acme.test,Omar,\n"
API_URL = "/api/people/import"


def upload(content: bytes = GOOD, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def run_tasks(settings, django_capture_on_commit_callbacks):
    """Uploads run their import task at once, in this process, when the request's transaction commits."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def send(method, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return method(*args, **kwargs)

    return send


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


def test_checking_a_file_reports_the_counts_and_writes_nothing(client, pam, org, run_tasks):
    client.force_login(pam.user)

    response = run_tasks(client.post, reverse("people:import"), {"file": upload(), "dry_run": "on"})
    response = client.get(response.url)

    assert response.status_code == 200
    assert 'data-count="created">2<' in response.content.decode()
    assert imported(org) == []


def test_an_org_admin_imports_a_file(client, olga, org, run_tasks):
    client.force_login(olga.user)

    response = run_tasks(client.post, reverse("people:import"), {"file": upload()})
    response = client.get(response.url)

    assert response.status_code == 200
    assert "Imported" in response.content.decode()
    assert imported(org) == ["Nina New", "Omar Old"]


def test_the_page_lists_every_problem_of_a_bad_file(client, pam, org, run_tasks):
    client.force_login(pam.user)

    response = run_tasks(client.post, reverse("people:import"), {"file": upload(BAD)})
    response = client.get(response.url)

    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "N404" in page and "Unknown manager" in page
    assert "Duplicate email" in page
    assert imported(org) == []


def test_an_htmx_upload_gets_the_jobs_progress_which_polls_until_the_report(client, pam, run_tasks):
    client.force_login(pam.user)
    htmx = {"HX-Request": "true"}

    response = client.post(reverse("people:import"), {"file": upload()}, headers=htmx)

    page = response.content.decode()
    assert "<html" not in page
    assert "<progress" in page and 'hx-trigger="every 1s"' in page
    job = PeopleImport.objects.get()
    run_tasks(people_import_task.call, job.pk)
    page = client.get(reverse("people:import_job", args=[job.pk]), headers=htmx).content.decode()
    assert "<html" not in page and "hx-trigger" not in page
    assert 'data-count="created">2<' in page


def test_uploading_without_a_file_asks_for_one(client, pam):
    client.force_login(pam.user)

    response = client.post(reverse("people:import"), {})

    assert response.status_code == 400
    assert "Choose a file" in response.content.decode()
    assert not PeopleImport.objects.exists()


@pytest.mark.parametrize("htmx, status", [(False, 413), (True, 200)])
def test_a_file_over_the_size_limit_is_refused_at_once_and_never_stored(client, pam, settings, htmx, status):
    settings.PEOPLE_IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(pam.user)
    headers = {"HX-Request": "true"} if htmx else {}

    response = client.post(
        reverse("people:import"), {"file": upload(b"x" * (1024 * 1024 + 1))}, headers=headers
    )

    assert response.status_code == status
    assert "larger than 1 MB" in response.content.decode()
    assert not PeopleImport.objects.exists()


def test_a_program_manager_follows_only_their_organisations_imports(client, pam, charlie, run_tasks):
    client.force_login(charlie.user)
    run_tasks(client.post, reverse("people:import"), {"file": upload()})
    job = PeopleImport.objects.get()
    client.force_login(pam.user)

    assert client.get(reverse("people:import_job", args=[job.pk])).status_code == 404


def test_a_participant_cannot_follow_an_import(client, pam, alice, run_tasks):
    client.force_login(pam.user)
    run_tasks(client.post, reverse("people:import"), {"file": upload()})
    client.force_login(alice.user)

    assert client.get(reverse("people:import_job", args=[PeopleImport.objects.get().pk])).status_code == 403


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
    client, charlie, org, other_org, run_tasks
):
    client.force_login(charlie.user)

    run_tasks(client.post, reverse("people:import"), {"file": upload()})

    assert imported(org) == []
    assert imported(other_org) == ["Nina New", "Omar Old"]


# ---- the API ----------------------------------------------------------------------------------


def bearer(person) -> dict:
    _token, raw = api_token_create(user=person.user, name="hr sync")
    return {"Authorization": f"Bearer {raw}"}


def test_the_api_answers_with_the_queued_job_and_its_url_gives_the_counts(client, pam, org, run_tasks):
    headers = bearer(pam)

    response = run_tasks(client.post, API_URL, {"file": upload()}, headers=headers)

    assert response.status_code == 202, response.content
    job = response.json()
    assert (job["status"], job["report"], job["dry_run"]) == ("queued", None, False)
    body = client.get(f"{API_URL}/{job['id']}", headers=headers).json()
    assert (body["status"], body["progress"], body["problems"]) == ("done", 100, [])
    report = body["report"]
    assert (report["created"], report["updated"], report["unchanged"]) == (2, 0, 0)
    assert imported(org) == ["Nina New", "Omar Old"]


def test_the_api_dry_run_writes_nothing(client, pam, org, run_tasks):
    headers = bearer(pam)

    job = run_tasks(client.post, API_URL, {"file": upload(), "dry_run": "true"}, headers=headers).json()

    body = client.get(f"{API_URL}/{job['id']}", headers=headers).json()
    assert body["report"]["created"] == 2 and body["dry_run"]
    assert imported(org) == []


def test_the_api_reports_every_problem_of_a_rejected_file(client, pam, org, run_tasks):
    headers = bearer(pam)

    job = run_tasks(client.post, API_URL, {"file": upload(BAD)}, headers=headers).json()

    body = client.get(f"{API_URL}/{job['id']}", headers=headers).json()
    assert (body["status"], body["report"]) == ("rejected", None)
    assert [(p["row"], p["column"]) for p in body["problems"]] == [(2, "manager"), (3, "email")]
    assert all(p["message"] for p in body["problems"])
    assert imported(org) == []


def test_the_api_refuses_a_file_over_the_size_limit_in_the_one_error_shape(client, pam, settings):
    settings.PEOPLE_IMPORT_MAX_BYTES = 1024 * 1024

    response = client.post(API_URL, {"file": upload(b"x" * (1024 * 1024 + 1))}, headers=bearer(pam))

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file_too_large"
    assert not PeopleImport.objects.exists()


def test_the_api_finds_only_the_callers_organisations_imports(client, pam, charlie, run_tasks):
    job = run_tasks(client.post, API_URL, {"file": upload()}, headers=bearer(charlie)).json()

    response = client.get(f"{API_URL}/{job['id']}", headers=bearer(pam))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("who", ["alice", "lou"])
def test_the_api_refuses_people_who_do_not_manage_people(client, org, who, request):
    response = client.post(API_URL, {"file": upload()}, headers=bearer(request.getfixturevalue(who)))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert imported(org) == []


def test_the_api_needs_a_token(client, db):
    assert client.post(API_URL, {"file": upload()}).status_code == 401


def test_the_api_imports_into_the_callers_organisation_only(client, charlie, org, other_org, run_tasks):
    assert run_tasks(client.post, API_URL, {"file": upload()}, headers=bearer(charlie)).status_code == 202

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
