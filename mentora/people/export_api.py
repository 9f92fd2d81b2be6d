"""`GET /api/people/export`: the organisation's people database as CSV or XLSX (docs/import.md)."""

from typing import Literal

from ninja import Query, Router

from mentora.core.exports import CONTENT_TYPES
from mentora.core.roles import request_viewer
from mentora.people.exporting import people_export_response

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
    return people_export_response(viewer=request_viewer(request), file_format=file_format)
