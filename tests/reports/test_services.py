"""Export jobs: asked for, built with progress by the task, downloadable by their requester for 24 h,
then their file deleted; every request and download in the audit log."""

import csv
import io
import zipfile
from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time
from openpyxl import load_workbook

from mentora.audit.models import Action, AuditEvent
from mentora.evidence.selectors import program_dashboard
from mentora.organisations.models import RoleMembership
from mentora.reports import services
from mentora.reports.models import Export, ExportStatus
from tests.reports.conftest import built, viewer


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_asking_queues_the_export_and_records_it(pam, program):
    export = services.export_request(
        viewer=viewer(pam), kind="relationships", file_format="csv", program_id=program.pk
    )

    assert export.status == ExportStatus.QUEUED and export.progress == 0 and export.requested_by == pam
    event = AuditEvent.objects.get(action=Action.EXPORT_REQUESTED)
    assert event.actor_person == pam and event.organisation_id == pam.organisation_id
    assert event.details == {"kind": "relationships", "format": "csv", "program_id": program.pk}


def test_the_task_builds_the_file_once_the_request_commits(
    pam, program, relationship, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.export_request(
            viewer=viewer(pam), kind="relationships", file_format="csv", program_id=program.pk
        )

    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.progress == 100
    rows = csv_rows(bytes(export.content))
    assert rows[1][0] == "Bob Baker" and rows[1][2] == "Alice Archer"
    assert export.filename.endswith(".csv") and export.size == len(bytes(export.content))


def test_a_finished_export_expires_after_24_hours(pam, program, relationship):
    with freeze_time("2031-05-01 10:00"):
        export = built(pam, "relationships", "xlsx", program)

    assert export.finished_at == datetime(2031, 5, 1, 10, tzinfo=UTC)
    assert export.expires_at == datetime(2031, 5, 2, 10, tzinfo=UTC)


def test_building_twice_builds_once(pam, program):
    export = built(pam, "enrolments", "csv", program)

    assert services.export_build(export_id=export.pk) is None
    assert Export.objects.get(pk=export.pk).status == ExportStatus.DONE


def test_the_dashboards_tables_are_one_sheet_each_in_xlsx_and_a_zip_of_csvs(pam, program, relationship):
    workbook_export = built(pam, "program_report", "xlsx", program)
    zip_export = built(pam, "program_report", "csv", program)

    tables = program_dashboard(program=program).tables
    assert len(tables) > 3
    workbook = load_workbook(io.BytesIO(bytes(workbook_export.content)))
    assert workbook.sheetnames == [table.title[:31] for table in tables]
    funnel = next(table for table in tables if table.key == "funnel")
    sheet = workbook.worksheets[[table.key for table in tables].index("funnel")]
    assert [cell.value for cell in sheet[1]] == funnel.header()
    assert zip_export.content_type == "application/zip" and zip_export.filename.endswith(".zip")
    names = zipfile.ZipFile(io.BytesIO(bytes(zip_export.content))).namelist()
    assert names == [f"{table.key}.csv" for table in tables]


def test_the_pdf_report_is_a_pdf_of_the_programs_tables(pam, program, relationship):
    export = built(pam, "program_report", "pdf", program)

    assert export.status == ExportStatus.DONE, export.error_code
    assert bytes(export.content).startswith(b"%PDF") and export.content_type == "application/pdf"
    assert export.filename.endswith(".pdf")


def test_an_export_fails_when_its_requester_lost_the_right_before_it_ran(pam, program):
    export = services.export_request(
        viewer=viewer(pam), kind="enrolments", file_format="csv", program_id=program.pk
    )
    RoleMembership.objects.filter(person=pam).delete()

    services.export_build(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.error_code == "not_allowed"
    assert bytes(export.content) == b""


def test_a_fault_ends_the_export_failed_not_hanging(pam, program, monkeypatch):
    export = services.export_request(
        viewer=viewer(pam), kind="enrolments", file_format="csv", program_id=program.pk
    )
    monkeypatch.setattr(services.files, "csv_file", lambda tables: 1 / 0)

    services.export_build(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.error_code == "server_error"


def test_the_download_is_recorded_and_refused_once_expired(pam, program):
    with freeze_time("2031-05-01 10:00"):
        export = built(pam, "enrolments", "csv", program)
    with freeze_time("2031-05-02 09:59"):
        assert bytes(services.export_download(viewer=viewer(pam), export=export).content)
    event = AuditEvent.objects.get(action=Action.EXPORT_DOWNLOADED)
    assert event.target_id == str(export.pk) and event.actor_person == pam

    with freeze_time("2031-05-02 10:00"), pytest.raises(services.ExportGone):
        services.export_download(viewer=viewer(pam), export=export)


def test_the_expiry_job_deletes_the_files_whose_time_is_over(pam, program):
    with freeze_time("2031-05-01 10:00"):
        old = built(pam, "enrolments", "csv", program)
    with freeze_time("2031-05-02 09:00"):
        recent = built(pam, "enrolments", "xlsx", program)

    with freeze_time("2031-05-02 10:30"):
        assert services.exports_expire() == {"expired": 1}

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED and bytes(old.content) == b"" and old.size == 0
    assert recent.status == ExportStatus.DONE and bytes(recent.content)


def test_a_download_before_the_file_is_ready_is_refused_not_ready(pam, program):
    export = services.export_request(
        viewer=viewer(pam), kind="enrolments", file_format="csv", program_id=program.pk
    )

    with pytest.raises(ValidationError) as refused:
        services.export_download(viewer=viewer(pam), export=export)
    assert refused.value.code == "not_ready"


@pytest.mark.parametrize(
    ("kind", "file_format", "field"),
    [("payroll", "csv", "kind"), ("relationships", "pdf", "format"), ("relationships", "docx", "format")],
)
def test_an_unknown_kind_or_format_is_refused_on_its_field(pam, program, kind, file_format, field):
    with pytest.raises(ValidationError) as refused:
        services.export_request(viewer=viewer(pam), kind=kind, file_format=file_format, program_id=program.pk)

    assert refused.value.code == "bad_choice" and refused.value.field == field
    assert not Export.objects.exists()


def test_a_programs_export_needs_the_program(pam):
    with pytest.raises(ValidationError) as refused:
        services.export_request(viewer=viewer(pam), kind="relationships", file_format="csv")

    assert refused.value.code == "required" and refused.value.field == "program_id"


def test_only_org_admins_export_the_audit_log(pam, olga):
    with pytest.raises(PermissionDenied):
        services.export_request(viewer=viewer(pam), kind="audit_log", file_format="csv")

    export = built(olga, "audit_log", "csv")
    assert export.status == ExportStatus.DONE
    assert csv_rows(bytes(export.content))[0][:2] == ["time_utc", "action"]


def test_cells_that_look_like_formulas_stay_text(pam, program, org):
    from tests.factories import PersonFactory
    from tests.programs.factories import EnrolmentFactory

    EnrolmentFactory(
        program=program, person=PersonFactory(organisation=org, full_name='=HYPERLINK("http://evil.test")')
    )

    csv_export = built(pam, "enrolments", "csv", program)
    xlsx_export = built(pam, "enrolments", "xlsx", program)

    assert csv_rows(bytes(csv_export.content))[1][0] == '\'=HYPERLINK("http://evil.test")'
    cell = load_workbook(io.BytesIO(bytes(xlsx_export.content))).active["A2"]
    assert cell.value == '\'=HYPERLINK("http://evil.test")' and cell.data_type == "s"
