"""`/api/exports`: ask for an export, follow it, download it; and `/api/programs/{id}/monthly-report`,
the leaders who get a program's PDF report each month. Same permissions as the pages (docs/reports.md).
"""

from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from mentora.api.errors import ApiError, ErrorOut
from mentora.api.pagination import Mapped, Pages
from mentora.api.schemas import Id
from mentora.core.roles import request_viewer
from mentora.programs.selectors import program_get_managed
from mentora.reports.models import Export, ExportFormat
from mentora.reports.selectors import KINDS, export_get, exports_of
from mentora.reports.services import ExportGone, export_download, export_request, report_schedule_set

router = Router(tags=["exports"])
programs_router = Router(tags=["exports"])

KindIn = Literal[tuple(KINDS)]  # type: ignore[valid-type]  # the registry's keys, listed in OpenAPI
FormatIn = Literal[tuple(ExportFormat.values)]  # type: ignore[valid-type]


class ExportIn(Schema):
    kind: KindIn
    format: FormatIn
    program_id: Id | None = Field(None, description="The program, for the kinds about one program")


class ExportOut(Schema):
    id: int
    kind: str
    format: str
    program_id: int | None
    status: str = Field(description="queued, running, done, failed or expired")
    progress: int = Field(description="0 to 100")
    error_code: str = Field(description="Why it failed: not_allowed, unknown_kind or server_error")
    size: int
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None
    download_url: str | None = Field(description="While the export is done and not expired")


def _out(export: Export) -> dict:
    return {
        "id": export.pk,
        "kind": export.kind,
        "format": export.file_format,
        "program_id": export.params.get("program_id"),
        "status": export.status,
        "progress": export.progress,
        "error_code": export.error_code,
        "size": export.size,
        "created_at": export.created_at,
        "finished_at": export.finished_at,
        "expires_at": export.expires_at,
        "download_url": f"/api/exports/{export.pk}/download" if export.status == "done" else None,
    }


@router.post("", response={202: ExportOut, 404: ErrorOut}, summary="Ask for an export")
def export_create_endpoint(request, payload: ExportIn):
    """Queued at once (202) and built in the background; follow it with `GET /api/exports/{id}`.
    The kinds and who may ask for each are in docs/reports.md; a program's kinds need `program_id`
    (`required` otherwise) of a program the caller manages (404 otherwise); a format the kind is not
    offered in answers `bad_choice` on `format`."""
    export = export_request(
        viewer=request_viewer(request),
        kind=payload.kind,
        file_format=payload.format,
        program_id=payload.program_id,
    )
    return Status(202, _out(export))


@router.get("", response=list[ExportOut], summary="My exports, newest first")
@paginate(Pages)
def export_list_endpoint(request):
    return Mapped(exports_of(viewer=request_viewer(request)), _out)


@router.get("/{export_id}", response={200: ExportOut, 404: ErrorOut}, summary="Follow an export")
def export_detail_endpoint(request, export_id: Id):
    """Only the requester's own exports are found (404 for anyone else's)."""
    return _out(export_get(viewer=request_viewer(request), export_id=export_id))


@router.get(
    "/{export_id}/download",
    response={200: None, 404: ErrorOut, 409: ErrorOut, 410: ErrorOut},
    summary="Download an export's file",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file: CSV, a zip of CSVs (several tables), XLSX or PDF",
                "content": {
                    "text/csv": {},
                    "application/zip": {},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
                    "application/pdf": {},
                },
            }
        }
    },
)
def export_download_endpoint(request, export_id: Id):
    """409 `not_ready` while it is being built; 410 `export_expired` once its download time is over (or it
    failed). Each download is recorded in the audit log."""
    viewer = request_viewer(request)
    export = export_get(viewer=viewer, export_id=export_id)
    try:
        export = export_download(viewer=viewer, export=export)
    except ExportGone as gone:
        raise ApiError(
            410, "export_expired", "The export's download time is over; ask for a new one."
        ) from gone
    response = HttpResponse(bytes(export.content), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


class MonthlyReportIO(Schema):
    recipient_ids: list[Id] = Field(description="People of the organisation with the leader role")


@programs_router.get(
    "/{program_id}/monthly-report",
    response={200: MonthlyReportIO, 404: ErrorOut},
    summary="Monthly report's leaders",
)
def monthly_report_get(request, program_id: Id):
    program = program_get_managed(viewer=request_viewer(request), program_id=program_id)
    schedule = getattr(program, "report_schedule", None)
    ids = sorted(schedule.recipients.values_list("pk", flat=True)) if schedule else []
    return {"recipient_ids": ids}


@programs_router.put(
    "/{program_id}/monthly-report",
    response={200: MonthlyReportIO, 404: ErrorOut},
    summary="Choose the monthly report's leaders",
)
def monthly_report_put(request, program_id: Id, payload: MonthlyReportIO):
    """The program's managers only; anyone not a leader of the organisation answers `not_a_leader`.
    An empty list stops the mailing."""
    viewer = request_viewer(request)
    program = program_get_managed(viewer=viewer, program_id=program_id)
    schedule = report_schedule_set(viewer=viewer, program=program, recipient_ids=payload.recipient_ids)
    return {"recipient_ids": sorted(schedule.recipients.values_list("pk", flat=True))}
