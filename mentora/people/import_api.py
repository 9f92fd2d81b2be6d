"""`POST /api/people/import`: the bulk import, for HR systems that push their export."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, UploadedFile

from mentora.api.errors import ApiError
from mentora.core.roles import request_viewer
from mentora.people.importing import people_import

router = Router(tags=["people"])


class ImportReportOut(Schema):
    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    new_departments: list[str]
    new_skills: list[str]
    new_languages: list[str]


@router.post("/import", response=ImportReportOut, summary="Import people from a CSV or XLSX export")
def people_import_endpoint(request, file: File[UploadedFile], dry_run: Form[bool] = False):
    """All or nothing, upsert by employee id (see docs/import.md).

    A file with any problem imports nothing and answers 422 `import_rejected`, with one detail per
    problem: `{"row", "column", "value", "message"}` (row 1 is the header).
    """
    viewer = request_viewer(request)
    if viewer.person is None or not viewer.manages_people:
        raise PermissionDenied(_("Only program managers and organisation admins can import people."))
    report = people_import(
        organisation=viewer.person.organisation, file=file, filename=file.name or "", dry_run=dry_run
    )
    if not report.ok:
        raise ApiError(
            422,
            "import_rejected",
            _("Nothing was imported: the file has %d problem(s).") % len(report.errors),
            [issue.as_dict() for issue in report.errors],
        )
    return report.as_dict()
