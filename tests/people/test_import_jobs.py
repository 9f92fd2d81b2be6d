"""The import as a background job: claimed once, checked without a transaction, written all or nothing."""

import datetime
import io
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from freezegun import freeze_time

from mentora.core.roles import viewer_for
from mentora.organisations.models import Department, RoleMembership
from mentora.people import importing
from mentora.people.import_jobs import people_import_run, people_import_start
from mentora.people.importing import people_import
from mentora.people.models import IMPORT_LEASE, ImportStatus, Language, PeopleImport, Person, Skill
from tests.factories import PersonFactory

FILE = (
    b"employee_id,email,full_name,offered_skills,department\n"
    b"N1,nina@acme.test,Nina New,Rust:4,Platform\n"
    b"N2,omar@acme.test,Omar Old,Go:2,Platform\n"
)


def start(pam, content: bytes = FILE, *, dry_run: bool = False) -> PeopleImport:
    upload = SimpleUploadedFile("people.csv", content, content_type="text/csv")
    return people_import_start(
        viewer=viewer_for(pam.user), upload=upload, filename="people.csv", dry_run=dry_run
    )


def test_a_job_runs_once_and_drops_the_file_once_read(org, pam):
    job = start(pam)

    finished = people_import_run(import_id=job.pk)

    assert finished.status == ImportStatus.DONE
    assert (finished.progress, finished.report["created"]) == (100, 2)
    assert bytes(finished.content) == b""
    assert people_import_run(import_id=job.pk) is None
    assert Person.objects.filter(organisation=org, employee_id__in=["N1", "N2"]).count() == 2


def test_a_rejected_file_ends_the_job_rejected_with_its_problems(org, pam):
    job = start(pam, b"employee_id,email\nN1,not-an-email\n")

    finished = people_import_run(import_id=job.pk)

    assert finished.status == ImportStatus.REJECTED
    assert [(p["row"], p["column"]) for p in finished.report["errors"]] == [(2, "email")]


def test_a_nul_in_the_file_or_its_name_is_reported_and_stored_safely(org, pam):
    upload = SimpleUploadedFile("peo\x00ple.csv", b"employee_id,email\x00\nN1\x00,nina@acme.test\n")
    job = people_import_start(viewer=viewer_for(pam.user), upload=upload, filename=upload.name, dry_run=True)

    finished = people_import_run(import_id=job.pk)

    assert finished.status == ImportStatus.REJECTED
    assert "\x00" not in finished.filename
    assert "\x00" not in str(finished.report)
    assert [(p["row"], p["column"]) for p in finished.report["errors"]] == [(1, "email\ufffd"), (1, "email")]


def test_a_write_that_fails_half_way_leaves_nothing_written(org, pam, monkeypatch):
    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("disk full")

    # Role memberships are the last write: people, accounts, skills and departments are written by then.
    monkeypatch.setattr(RoleMembership.objects, "bulk_create", broken_bulk_create)
    job = start(pam)

    finished = people_import_run(import_id=job.pk)

    assert finished.status == ImportStatus.FAILED
    assert "nothing was imported" in finished.report["errors"][0]["message"]
    assert not Person.objects.filter(organisation=org, employee_id__in=["N1", "N2"]).exists()
    assert not get_user_model().objects.filter(username__in=["nina@acme.test", "omar@acme.test"]).exists()
    assert not Skill.objects.filter(organisation=org, name__in=["Rust", "Go"]).exists()
    assert not Department.objects.filter(organisation=org, name="Platform").exists()


def test_a_change_to_the_organisation_during_the_check_is_checked_again_before_writing(org, monkeypatch):
    check = importing._Checker.check
    calls = []

    def check_while_someone_adds_n1(self, columns, lines):
        if not calls:  # after the organisation was loaded: this check cannot see N1
            PersonFactory(organisation=org, employee_id="N1", full_name="Nora Early")
        calls.append(1)
        return check(self, columns, lines)

    monkeypatch.setattr(importing._Checker, "check", check_while_someone_adds_n1)

    report = people_import(organisation=org, file=io.BytesIO(FILE), filename="people.csv")

    assert len(calls) == 2
    assert (report.created, report.updated) == (1, 1), report.errors
    # N1 exists by then: the file's e-mail for them is a sign-in e-mail change, pending confirmation.
    assert report.pending_email_changes == ["nina@acme.test"]


@pytest.mark.django_db(transaction=True)
def test_the_check_holds_no_transaction_so_another_organisation_writes_meanwhile(org, other_org, monkeypatch):
    check = importing._Checker.check
    seen = {}

    def check_while_globex_writes(self, columns, lines):
        seen["in_transaction"] = connection.in_atomic_block

        def globex_writes():
            try:
                Department.objects.create(organisation=other_org, name="Globex sales")
                seen["written"] = True
            finally:
                connection.close()

        writer = threading.Thread(target=globex_writes)
        writer.start()
        writer.join()
        return check(self, columns, lines)

    monkeypatch.setattr(importing._Checker, "check", check_while_globex_writes)

    report = people_import(organisation=org, file=io.BytesIO(FILE), filename="people.csv")

    assert report.ok, report.errors
    assert seen == {"in_transaction": False, "written": True}
    assert Department.objects.filter(organisation=other_org, name="Globex sales").exists()


# ---- bounded write transactions ---------------------------------------------------------------

TEAM = (
    b"employee_id,email,full_name,offered_skills,department,languages,manager\n"
    b"N1,nina@acme.test,Nina New,Rust:4,Platform > Runtime,en;tlh-x,\n"
    b"N2,omar@acme.test,Omar Old,Go:2,Platform,en,N1\n"
    b"N3,pia@acme.test,Pia Post,,Platform,,N2\n"
)


def test_new_people_are_written_in_bounded_transactions_and_a_late_failure_removes_them(
    org, alice, monkeypatch
):
    monkeypatch.setattr(importing, "WRITE_CHUNK", 1)
    monkeypatch.setitem(importing.KNOWN_LANGUAGES, "tlh-x", "Klingon (test)")
    batches = []
    write_new_people = importing._write_new_people

    def counted(*args, **kwargs):
        batches.append(1)
        write_new_people(*args, **kwargs)

    def broken_changes(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_write_new_people", counted)
    monkeypatch.setattr(importing, "_write_changes", broken_changes)
    text = TEAM + f"{alice.employee_id},{alice.email},Alice Renamed,,,,\n".encode()

    with pytest.raises(RuntimeError):
        people_import(organisation=org, file=io.BytesIO(text), filename="people.csv")

    assert len(batches) == 3  # one transaction per new person, then the failing last step
    assert not Person.objects.filter(organisation=org, employee_id__in=["N1", "N2", "N3"]).exists()
    assert (
        not get_user_model()
        .objects.filter(username__endswith="@acme.test")
        .exclude(person__isnull=False)
        .exists()
    )
    assert not Skill.objects.filter(organisation=org, name__in=["Rust", "Go"]).exists()
    assert not Department.objects.filter(organisation=org).exists()
    assert not Language.objects.filter(code="tlh-x").exists()
    alice.refresh_from_db()
    assert alice.full_name == "Alice Archer"


def test_a_language_someone_else_started_speaking_meanwhile_is_kept_on_removal(org, charlie, monkeypatch):
    monkeypatch.setitem(importing.KNOWN_LANGUAGES, "tlh-x", "Klingon (test)")

    def charlie_speaks_it_between_two_transactions(percent, stage):
        if percent > importing.WRITE_PROGRESS:
            charlie.languages.add(Language.objects.get(code="tlh-x"))

    def broken_changes(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_write_changes", broken_changes)

    with pytest.raises(RuntimeError):
        people_import(
            organisation=org,
            file=io.BytesIO(TEAM),
            filename="people.csv",
            progress=charlie_speaks_it_between_two_transactions,
        )

    assert Language.objects.filter(code="tlh-x").exists()
    assert not Person.objects.filter(organisation=org, employee_id="N1").exists()


@pytest.mark.django_db(transaction=True)
def test_another_organisation_writes_between_two_write_transactions(org, other_org, monkeypatch):
    monkeypatch.setattr(importing, "WRITE_CHUNK", 1)
    monkeypatch.setitem(importing.KNOWN_LANGUAGES, "tlh-x", "Klingon (test)")
    seen = []

    def progress(percent, stage):
        if percent <= importing.WRITE_PROGRESS:
            return

        def globex_writes():
            try:
                Department.objects.create(organisation=other_org, name=f"Globex {len(seen)}")
            finally:
                connection.close()

        writer = threading.Thread(target=globex_writes)
        writer.start()
        writer.join()
        seen.append(connection.in_atomic_block)

    report = people_import(organisation=org, file=io.BytesIO(TEAM), filename="people.csv", progress=progress)

    assert report.ok, report.errors
    assert seen == [False, False, False]
    assert Department.objects.filter(organisation=other_org).count() == 3
    assert Person.objects.filter(organisation=org, employee_id__in=["N1", "N2", "N3"]).count() == 3


# ---- a lost worker ----------------------------------------------------------------------------


def test_an_import_whose_worker_stopped_reporting_is_shown_failed_with_what_to_do(
    client, org, pam, monkeypatch
):
    start_time = datetime.datetime(2031, 3, 3, 9, tzinfo=datetime.UTC)
    with freeze_time(start_time):
        job = start(pam)

        def killed(*args, **kwargs):
            raise WorkerKilled

        monkeypatch.setattr("mentora.people.import_jobs.people_import", killed)
        with pytest.raises(WorkerKilled):
            people_import_run(import_id=job.pk)
    url = reverse("people:import_job", args=[job.pk])

    with freeze_time(start_time + IMPORT_LEASE - datetime.timedelta(seconds=1)):
        client.force_login(pam.user)
        assert 'hx-trigger="every 1s"' in client.get(url).content.decode()
    with freeze_time(start_time + IMPORT_LEASE + datetime.timedelta(seconds=1)):
        client.force_login(pam.user)
        page = client.get(url).content.decode()

    assert "hx-trigger" not in page and "worker was interrupted" in page
    job.refresh_from_db()
    assert (job.status, bytes(job.content)) == (ImportStatus.FAILED, b"")


class WorkerKilled(BaseException):
    """Stands for the worker process dying (SIGKILL, out of memory, a deploy) in the middle of an import."""
