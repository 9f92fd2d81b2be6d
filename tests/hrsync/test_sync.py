"""The scheduled HR file sync: read from a folder or a loopback address, imported through the people
import with its history; a bad source is a failed run with its reason and changes nothing."""

import datetime
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from freezegun import freeze_time

from mentora.core.roles import viewer_for
from mentora.hrsync.models import HrSyncRun, HrSyncSource, RunStatus, Trigger
from mentora.hrsync.services import hr_sync_configure, hr_sync_request, hr_syncs_due
from mentora.people.models import HrField, Person, PersonHrChange
from tests.hrsync.conftest import export

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_sync(immediate_tasks, django_capture_on_commit_callbacks):
    def run(viewer) -> HrSyncRun:
        with django_capture_on_commit_callbacks(execute=True):
            run = hr_sync_request(viewer=viewer)
        run.refresh_from_db()
        return run

    return run


def test_a_sync_from_a_folder_imports_its_newest_export_and_keeps_the_history(
    olga_viewer, alice, hr_folder, run_sync
):
    old = hr_folder / "2026-03-01.csv"
    old.write_bytes(export("X1,x@acme.test,Old File,,,,"))
    os.utime(old, (1, 1))
    (hr_folder / "notes.txt").write_text("not an export")
    (hr_folder / "2026-03-02.csv").write_bytes(
        export(
            f"{alice.employee_id},{alice.email},Alice Archer,Sales,3,Analyst,2026-02-15",
            "N1,new@acme.test,Nina New,Sales,2,,",
        )
    )
    hr_sync_configure(viewer=olga_viewer, enabled=False, kind="folder", folder=str(hr_folder))
    run = run_sync(olga_viewer)
    assert run.status == RunStatus.DONE, run.people_import.report
    assert run.source.endswith("2026-03-02.csv")
    assert (run.people_import.report["created"], run.people_import.report["updated"]) == (1, 1)
    assert Person.objects.filter(email="new@acme.test").exists()
    assert not Person.objects.filter(email="x@acme.test").exists()
    history = {c.field: c for c in PersonHrChange.objects.filter(person=alice)}
    assert set(history) == {HrField.DEPARTMENT, HrField.SENIORITY, HrField.JOB_TITLE}
    assert history[HrField.SENIORITY].effective_date == datetime.date(2026, 2, 15)
    assert history[HrField.SENIORITY].people_import == run.people_import


def test_a_sync_from_an_address_sends_the_bearer_token(olga_viewer, alice, hr_server, run_sync):
    hr_server.token = "s3cret"
    hr_server.files["/export.csv"] = (
        export(f"{alice.employee_id},{alice.email},Alice Archer,,5,,"),
        "text/csv",
    )
    hr_sync_configure(
        viewer=olga_viewer, enabled=False, kind="url", url=hr_server.url("/export.csv"), bearer_token="s3cret"
    )
    run = run_sync(olga_viewer)
    assert run.status == RunStatus.DONE
    assert hr_server.seen_authorization == ["Bearer s3cret"]
    alice.refresh_from_db()
    assert alice.seniority == 5


def test_an_xlsx_export_at_an_address_is_imported_too(olga_viewer, alice, hr_server, run_sync):
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["employee_id", "email", "job_title"])
    sheet.append([alice.employee_id, alice.email, "Engineer"])
    data = io.BytesIO()
    book.save(data)
    hr_server.files["/people"] = (data.getvalue(), "application/octet-stream")
    hr_sync_configure(viewer=olga_viewer, enabled=False, kind="url", url=hr_server.url("/people"))
    assert run_sync(olga_viewer).status == RunStatus.DONE
    alice.refresh_from_db()
    assert alice.job_title == "Engineer"


def unchanged(alice) -> bool:
    before = (alice.job_title, alice.seniority)
    alice.refresh_from_db()
    return (alice.job_title, alice.seniority) == before and not PersonHrChange.objects.exists()


@pytest.mark.parametrize(
    "path, token, reason",
    [
        ("/missing.csv", "right", "HTTP 404"),
        ("/page", "right", "web page"),
        ("/export.csv", "wrong", "HTTP 401"),
    ],
)
def test_a_bad_address_fails_with_its_reason_and_changes_nothing(
    olga_viewer, alice, hr_server, run_sync, path, token, reason
):
    hr_server.files["/page"] = (b"<html>Sign in</html>", "text/html")
    hr_server.files["/export.csv"] = (export(f"{alice.employee_id},{alice.email},A,,9,Boss,"), "text/csv")
    hr_server.token = "right"
    hr_sync_configure(
        viewer=olga_viewer, enabled=False, kind="url", url=hr_server.url(path), bearer_token=token
    )
    run = run_sync(olga_viewer)
    assert run.status == RunStatus.FAILED and reason in run.reason, run.reason
    assert run.people_import is None
    assert unchanged(alice)


def test_an_unreachable_address_fails_with_its_reason(olga_viewer, alice, hr_server, run_sync):
    url = hr_server.url("/export.csv")
    hr_server.httpd.shutdown()
    hr_server.httpd.server_close()
    hr_sync_configure(viewer=olga_viewer, enabled=False, kind="url", url=url)
    run = run_sync(olga_viewer)
    assert run.status == RunStatus.FAILED and "could not be reached" in run.reason
    assert unchanged(alice)


def test_a_missing_or_empty_folder_fails_with_its_reason(olga_viewer, alice, hr_folder, run_sync):
    hr_sync_configure(viewer=olga_viewer, enabled=False, kind="folder", folder=str(hr_folder / "gone"))
    run = run_sync(olga_viewer)
    assert run.status == RunStatus.FAILED and "does not exist" in run.reason
    hr_sync_configure(viewer=olga_viewer, enabled=False, kind="folder", folder=str(hr_folder))
    run = run_sync(olga_viewer)
    assert run.status == RunStatus.FAILED and "no .csv or .xlsx file" in run.reason
    assert unchanged(alice)


def test_a_file_with_a_bad_row_is_rejected_with_its_row_and_changes_nothing(
    olga_viewer, alice, hr_folder, run_sync
):
    (hr_folder / "hr.csv").write_bytes(
        export(f"{alice.employee_id},{alice.email},A,,4,Lead,", "N1,not-an-email,N,,1,,")
    )
    hr_sync_configure(viewer=olga_viewer, enabled=False, kind="folder", folder=str(hr_folder))
    run = run_sync(olga_viewer)
    assert run.status == RunStatus.REJECTED
    assert [(e["row"], e["column"]) for e in run.people_import.report["errors"]] == [(3, "email")]
    assert unchanged(alice)


def test_a_private_address_is_refused_unless_allowed(olga_viewer, settings, alice, run_sync):
    settings.HR_SYNC_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(ValidationError) as refused:
        hr_sync_configure(viewer=olga_viewer, enabled=False, kind="url", url="http://127.0.0.1:9/x.csv")
    assert "https" in str(refused.value)
    hr_sync_configure(viewer=olga_viewer, enabled=False, kind="url", url="https://127.0.0.1:9/x.csv")
    run = run_sync(olga_viewer)
    assert run.status == RunStatus.FAILED and "private or local network" in run.reason


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"kind": "folder", "folder": ""}, "folder"),
        ({"kind": "folder", "folder": "/etc"}, "folder"),
        ({"kind": "url", "url": ""}, "url"),
        ({"kind": "url", "url": "ftp://hr.example.com/x.csv"}, "url"),
        ({"kind": "url", "url": "https://user:pw@hr.example.com/x.csv"}, "url"),
        ({"kind": "url", "url": "https://hr.example.com/x.csv", "every_hours": 0}, "every_hours"),
        ({"kind": "url", "url": "https://hr.example.com/x.csv", "bearer_token": "a\nb"}, "bearer_token"),
        ({"kind": "ftp"}, "kind"),
    ],
)
def test_a_bad_source_is_refused_with_the_field_and_nothing_saved(olga_viewer, hr_folder, kwargs, field):
    with pytest.raises(ValidationError) as refused:
        hr_sync_configure(viewer=olga_viewer, enabled=True, **kwargs)
    assert field in refused.value.message_dict
    assert not HrSyncSource.objects.exists()


def test_a_saved_token_is_kept_unless_replaced_or_removed(olga_viewer):
    url = "https://hr.example.com/x.csv"
    hr_sync_configure(viewer=olga_viewer, enabled=False, kind="url", url=url, bearer_token="one")
    assert hr_sync_configure(viewer=olga_viewer, enabled=False, kind="url", url=url).bearer_token == "one"
    assert (
        hr_sync_configure(
            viewer=olga_viewer, enabled=False, kind="url", url=url, bearer_token=""
        ).bearer_token
        == ""
    )


@pytest.mark.parametrize("who", ["alice", "pam", "lou", "leo", "charlie"])
def test_only_an_org_admin_configures_or_runs_the_sync(request, who, olga_viewer):
    hr_sync_configure(viewer=olga_viewer, enabled=False, kind="url", url="https://hr.example.com/x.csv")
    viewer = viewer_for(request.getfixturevalue(who).user)
    with pytest.raises(PermissionDenied):
        hr_sync_configure(viewer=viewer, enabled=True, kind="url", url="https://evil.example.com/x.csv")
    with pytest.raises(PermissionDenied):
        hr_sync_request(viewer=viewer)
    assert not HrSyncRun.objects.exists()
    assert HrSyncSource.objects.get().url == "https://hr.example.com/x.csv"


def test_run_now_is_refused_while_a_run_is_queued(olga_viewer):
    with pytest.raises(ValidationError):
        hr_sync_request(viewer=olga_viewer)
    hr_sync_configure(viewer=olga_viewer, enabled=False, kind="url", url="https://hr.example.com/x.csv")
    hr_sync_request(viewer=olga_viewer)
    with pytest.raises(ValidationError) as refused:
        hr_sync_request(viewer=olga_viewer)
    assert refused.value.code == "running"
    assert HrSyncRun.objects.count() == 1


def test_the_schedule_starts_each_due_sync_once_per_interval(olga_viewer, hr_folder):
    with freeze_time("2026-03-04 10:00"):
        hr_sync_configure(
            viewer=olga_viewer, enabled=True, kind="folder", folder=str(hr_folder), every_hours=6
        )
    with freeze_time("2026-03-04 10:05"):
        assert hr_syncs_due() == {"started": 1, "skipped_while_running": 0}
        assert hr_syncs_due() == {"started": 0, "skipped_while_running": 0}
    HrSyncRun.objects.update(status=RunStatus.DONE)
    with freeze_time("2026-03-04 16:04"):
        assert hr_syncs_due()["started"] == 0
    with freeze_time("2026-03-04 16:05"):
        assert hr_syncs_due()["started"] == 1
    assert list(HrSyncRun.objects.values_list("trigger", flat=True)) == [Trigger.SCHEDULE] * 2


def test_a_disabled_source_is_not_run_on_schedule(olga_viewer, hr_folder):
    hr_sync_configure(viewer=olga_viewer, enabled=False, kind="folder", folder=str(hr_folder))
    assert hr_syncs_due() == {"started": 0, "skipped_while_running": 0}


def test_a_run_whose_worker_was_lost_no_longer_blocks_the_next(olga_viewer, hr_folder):
    hr_sync_configure(viewer=olga_viewer, enabled=False, kind="folder", folder=str(hr_folder))
    with freeze_time("2026-03-04 10:00"):
        stuck = hr_sync_request(viewer=olga_viewer)
        HrSyncRun.objects.filter(pk=stuck.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
    with freeze_time("2026-03-04 10:05"), pytest.raises(ValidationError):
        hr_sync_request(viewer=olga_viewer)
    with freeze_time("2026-03-04 10:15"):
        again = hr_sync_request(viewer=olga_viewer)
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.FAILED and "interrupted" in stuck.reason
    assert again.status == RunStatus.QUEUED
