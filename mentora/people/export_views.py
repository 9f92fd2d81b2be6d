"""The people export download: the organisation's people database as CSV or XLSX."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mentora.core.decorators import person_required
from mentora.core.exports import FORMATS, spreadsheet_response
from mentora.core.roles import request_viewer
from mentora.people.exporting import people_export_rows
from mentora.people.importing import COLUMNS


@require_GET
@person_required
def person_export(request, file_format: str):
    """Program managers and org admins download their organisation's people, ready to re-import."""
    if file_format not in FORMATS:
        raise Http404
    viewer = request_viewer(request)
    rows = people_export_rows(viewer=viewer)
    return spreadsheet_response(
        file_format=file_format,
        header=COLUMNS,
        rows=rows,
        filename=f"{viewer.person.organisation.slug}-people-{timezone.localdate():%Y-%m-%d}",
        sheet_title=_("People"),
    )
