"""`/api/outcomes`: start a program's outcome analysis, follow it to its result, and import HR
outcome events. Same permissions as the pages: a program's managers and the org admins analyse its
outcomes; org admins import events. Not open to service accounts (no scope covers it)."""

import datetime

from ninja import File, Router, Schema, UploadedFile
from ninja.responses import Status

from mentora.api.calls import api_viewer
from mentora.api.errors import ApiError, ErrorOut
from mentora.api.schemas import Id, TableOut, table_out
from mentora.outcomes.models import AnalysisStatus, OutcomeAnalysis
from mentora.outcomes.results import worded
from mentora.outcomes.selectors import analysis_get, analysis_list
from mentora.outcomes.services import EventsFileTooLarge, analysis_start, outcome_events_import
from mentora.programs.selectors import program_get_managed

router = Router(tags=["outcomes"])


class OutcomeAnalysisIn(Schema):
    as_of: datetime.date | None = None


class OutcomeCurvePointOut(Schema):
    day: int
    survival: float
    lower: float
    upper: float
    at_risk: int


class OutcomeAnalysisOut(Schema):
    id: int
    program_id: int
    as_of: datetime.date
    status: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    refused: str | None
    tables: list[TableOut]
    curves: dict[str, list[OutcomeCurvePointOut]]


class OutcomeEventsProblemOut(Schema):
    row: int
    column: str
    value: str
    message: str


class OutcomeEventsImportOut(Schema):
    written: bool
    created: int
    unchanged: int
    problems: list[OutcomeEventsProblemOut]


def _analysis_out(job: OutcomeAnalysis) -> dict:
    done = job.status == AnalysisStatus.DONE
    result = worded(job.result) if done else None
    return {
        "id": job.pk,
        "program_id": job.program_id,
        "as_of": job.as_of,
        "status": job.status,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "refused": (result.refused or None) if result else None,
        "tables": [table_out(table) for table in result.tables] if result else [],
        "curves": job.result["curves"] if result and not result.refused else {},
    }


@router.post(
    "/programs/{program_id}/analyses",
    response={202: OutcomeAnalysisOut},
    summary="Start an outcome analysis of a program's cycle",
)
def analysis_start_endpoint(request, program_id: Id, payload: OutcomeAnalysisIn):
    """Queues the analysis of the program's cycle up to `as_of` (today by default) and answers 202;
    follow it with `GET /api/outcomes/analyses/{id}`. A program's managers and the org admins only
    (404 for anyone else). `not_started` (field `as_of`): the cycle starts on or after that day;
    `in_future`: `as_of` is after today."""
    job = analysis_start(viewer=api_viewer(request), program_id=program_id, as_of=payload.as_of)
    return Status(202, _analysis_out(job))


@router.get(
    "/programs/{program_id}/analyses",
    response=list[OutcomeAnalysisOut],
    summary="The program's latest outcome analyses",
)
def analysis_list_endpoint(request, program_id: Id):
    """The ten latest analyses, newest first."""
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    return [_analysis_out(job) for job in analysis_list(program=program)]


@router.get("/analyses/{analysis_id}", response=OutcomeAnalysisOut, summary="Read an outcome analysis")
def analysis_endpoint(request, analysis_id: Id):
    """`status` is queued, running, done or failed. When done, `tables` hold the figures in the page's
    order, the covariate balance first (a withheld cell is null), and `curves` the retention curves'
    monthly points; `refused` says why no outcome is shown when the sample is too small."""
    return _analysis_out(analysis_get(viewer=api_viewer(request), analysis_id=analysis_id))


@router.post(
    "/events/import",
    response={200: OutcomeEventsImportOut, 413: ErrorOut, 422: OutcomeEventsImportOut | ErrorOut},
    summary="Import HR outcome events from a CSV or XLSX file",
)
def events_import_endpoint(request, file: File[UploadedFile]):
    """Org admins only. All or nothing (docs/outcomes.md): 200 with the counts when written; 422 with
    one entry of `problems` per problem (row 1 is the header) when nothing was written. A request the
    API refuses before reading the file (a bad Idempotency-Key, no file) answers 422 in the error shape."""
    try:
        report = outcome_events_import(viewer=api_viewer(request), upload=file, filename=file.name or "")
    except EventsFileTooLarge as refused:
        raise ApiError(413, "file_too_large", refused.message) from refused
    body = {
        "written": report.written,
        "created": report.created,
        "unchanged": report.unchanged,
        "problems": [problem.as_dict() for problem in report.problems],
    }
    return Status(200 if report.written else 422, body)
