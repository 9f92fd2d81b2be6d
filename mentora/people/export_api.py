"""`GET /api/people/export`: the organisation's people database as CSV or XLSX (docs/import.md)."""

from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from mentora.core.exports import CONTENT_TYPES, spreadsheet_response
from mentora.core.roles import request_viewer
from mentora.people.exporting import people_export_rows
from mentora.people.importing import COLUMNS

router = Router(tags=["people"])


@router.get(
    "/export",
    summary="Export the organisation's people as CSV or XLSX, in the import's columns",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, one row per person; cells that look like formulas start with '",
                "content": {content_type.split(";")[0]: {} for content_type in CONTENT_TYPES.values()},
            }
        }
    },
)
def people_export_endpoint(request, file_format: Literal["csv", "xlsx"] = Query("csv", alias="format")):
    """`?format=csv` (the default) or `?format=xlsx`. Program managers and organisation admins only;
    no self-assessment, no demographics."""
    viewer = request_viewer(request)
    rows = people_export_rows(viewer=viewer)
    return spreadsheet_response(
        file_format=file_format,
        header=COLUMNS,
        rows=rows,
        filename=f"{viewer.person.organisation.slug}-people-{timezone.localdate():%Y-%m-%d}",
        sheet_title=_("People"),
    )
