"""The people export download: the organisation's people database as CSV or XLSX."""

from django.http import Http404
from django.views.decorators.http import require_GET

from mentora.core.decorators import person_required
from mentora.core.exports import FORMATS
from mentora.core.roles import request_viewer
from mentora.people.exporting import people_export_response


@require_GET
@person_required
def person_export(request, file_format: str):
    """Program managers and org admins download their organisation's people, ready to re-import."""
    if file_format not in FORMATS:
        raise Http404
    return people_export_response(viewer=request_viewer(request), file_format=file_format)
