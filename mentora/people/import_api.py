"""`/api/people/import`: the bulk import, for HR systems that push their export.

The upload is answered at once with the import job (202); the job runs in the background and
`GET /api/people/import/{id}` follows it to its report.
"""

from datetime import datetime

from ninja import File, Form, Router, Schema, UploadedFile
from ninja.responses import Status

from mentora.api.errors import ApiError, ErrorOut
from mentora.api.schemas import Id, TextBool, dataclass_schema
from mentora.core.roles import request_viewer
from mentora.people.import_jobs import ImportTooLarge, people_import_get, people_import_start
from mentora.people.importing import ImportedPerson, ImportReport
from mentora.people.models import ImportStatus, PeopleImport

router = Router(tags=["people"])
# A form field defaulting to false (`Form[TextBool] = False` would make ninja require it).
NOT_A_DRY_RUN = Form(False)


# The report without its problems, which an import answers apart (ImportProblemOut, with rows).
ImportReportOut = dataclass_schema(
    ImportReport,
    exclude=["errors"],
    nested={ImportedPerson: dataclass_schema(ImportedPerson)},
    descriptions={
        "pending_email_changes": "New sign-in e-mails of existing people, changed once each owner confirms",
        "people": "Each row's person id (created, changed or unchanged), in file order; empty after a "
        "dry run and for imports finished before ids were kept.",
    },
)


class ImportProblemOut(Schema):
    row: int
    column: str
    value: str
    message: str


class ImportJobOut(Schema):
    id: int
    status: str
    dry_run: bool
    filename: str
    progress: int
    stage: str
    created_at: datetime
    finished_at: datetime | None
    report: ImportReportOut | None
    problems: list[ImportProblemOut]


def _job_out(job: PeopleImport) -> dict:
    # Reports stored before the people's ids were kept have none.
    report = {"people": [], **job.report} if job.is_finished and job.report else None
    return {
        "id": job.pk,
        "status": job.status,
        "dry_run": job.dry_run,
        "filename": job.filename,
        "progress": job.progress,
        "stage": job.stage,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "report": report if job.status == ImportStatus.DONE else None,
        "problems": (report or {}).get("errors", []),
    }


@router.post(
    "/import",
    response={202: ImportJobOut, 413: ErrorOut},
    summary="Start importing people from a CSV or XLSX export",
)
def people_import_endpoint(request, file: File[UploadedFile], dry_run: TextBool = NOT_A_DRY_RUN):
    """All or nothing, upsert by employee id (see docs/import.md). Answers 202 with the queued job;
    follow it with `GET /api/people/import/{id}`. A file over the size limit answers 413 `file_too_large`.
    """
    try:
        job = people_import_start(
            viewer=request_viewer(request), upload=file, filename=file.name or "", dry_run=dry_run
        )
    except ImportTooLarge as refused:
        raise ApiError(413, "file_too_large", refused.message) from refused
    return Status(202, _job_out(job))


@router.get("/import/{import_id}", response=ImportJobOut, summary="Follow a people import")
def people_import_job_endpoint(request, import_id: Id):
    """`status` is queued, running, done (`report` holds the counts), rejected (the file has problems,
    nothing was written: one entry of `problems` per problem, row 1 being the header) or failed
    (nothing was written). Only imports of the caller's organisation are found."""
    return _job_out(people_import_get(viewer=request_viewer(request), import_id=import_id))
