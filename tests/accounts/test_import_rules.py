"""The people import follows the same account rules as the pages: it changes nobody of a higher
role than the importer's, grants no role above it, and only starts the confirmed change of an
existing person's sign-in e-mail."""

import io
import re

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mentora.core.roles import viewer_for
from mentora.organisations.models import Role
from mentora.people.import_jobs import people_import_run, people_import_start
from mentora.people.importing import people_import
from tests.factories import PASSWORD


def run(org, text: str, *, importer=None, dry_run: bool = False):
    return people_import(
        organisation=org,
        file=io.BytesIO(text.encode()),
        filename="people.csv",
        dry_run=dry_run,
        importer=importer,
    )


def test_pam_cannot_change_olga_through_the_import(org, pam, olga):
    report = run(org, f"employee_id,email,job_title\n{olga.employee_id},{olga.email},Intern\n", importer=pam)

    assert not report.ok
    assert [(issue.line, issue.column) for issue in report.errors] == [(2, "employee_id")]
    assert "role is higher than yours" in report.errors[0].message
    olga.refresh_from_db()
    assert olga.job_title != "Intern"


def test_a_row_that_leaves_olga_unchanged_is_accepted(org, pam, olga, alice):
    text = f"employee_id,email,full_name\n{olga.employee_id},{olga.email},{olga.full_name}\n"
    text += f"{alice.employee_id},{alice.email},Alice A. Archer\n"
    report = run(org, text, importer=pam)
    assert report.ok, report.errors
    assert (report.updated, report.unchanged) == (1, 1)


def test_pam_cannot_grant_the_org_admin_role_by_import_not_even_to_herself(org, pam, alice):
    text = f"employee_id,email,roles\n{pam.employee_id},{pam.email},org_admin\nN1,new@acme.test,org admin\n"
    report = run(org, text, importer=pam)

    assert [(issue.line, issue.column) for issue in report.errors] == [(2, "roles"), (3, "roles")]
    assert not pam.role_memberships.filter(role=Role.ORG_ADMIN).exists()


def test_olga_may_change_pam_and_grant_any_role(org, pam, olga):
    text = f"employee_id,email,job_title,roles\n{pam.employee_id},{pam.email},Head of HR,org_admin\n"
    report = run(org, text, importer=olga)
    assert report.ok, report.errors
    assert pam.role_memberships.filter(role=Role.ORG_ADMIN).exists()


def test_a_new_email_of_an_existing_person_waits_for_their_confirmation(
    org, pam, alice, django_capture_on_commit_callbacks
):
    old = alice.email
    with django_capture_on_commit_callbacks(execute=True):
        report = run(org, f"employee_id,email\n{alice.employee_id},Alice@New.test\n", importer=pam)

    assert report.ok and report.pending_email_changes == ["alice@new.test"]
    alice.refresh_from_db()
    assert (alice.email, alice.user.username) == (old, old)
    assert sorted(tuple(m.to) for m in mail.outbox) == [("alice@new.test",), (old,)]
    confirmation = next(m for m in mail.outbox if m.to == ["alice@new.test"])
    link = re.search(r"https?://[^/\s]+(/\S+)", confirmation.body)

    assert Client().post(link.group(1)).status_code == 200
    alice.refresh_from_db()
    assert (alice.email, alice.user.username) == ("alice@new.test", "alice@new.test")
    assert Client().login(username="alice@new.test", password=PASSWORD)


def test_a_dry_run_reports_the_pending_change_and_sends_nothing(
    org, pam, alice, django_capture_on_commit_callbacks
):
    text = f"employee_id,email\n{alice.employee_id},alice@new.test\n"
    with django_capture_on_commit_callbacks(execute=True):
        report = run(org, text, importer=pam, dry_run=True)
    assert report.pending_email_changes == ["alice@new.test"] and not mail.outbox


def test_the_background_import_applies_the_rules_of_the_person_who_started_it(
    org, pam, olga, django_capture_on_commit_callbacks
):
    text = f"employee_id,email,job_title\n{olga.employee_id},{olga.email},Intern\n"
    upload = SimpleUploadedFile("p.csv", text.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=False):
        job = people_import_start(viewer=viewer_for(pam.user), upload=upload, filename="p.csv", dry_run=False)

    finished = people_import_run(import_id=job.pk)

    assert "role is higher than yours" in finished.report["errors"][0]["message"]
    olga.refresh_from_db()
    assert olga.job_title != "Intern"
