"""The org admin's audit log page and its download."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mentora.audit import selectors, services
from mentora.audit.forms import AuditFilterForm
from mentora.core.decorators import person_required
from mentora.core.exports import FORMATS
from mentora.core.roles import Viewer, request_viewer


def _org_admin(request) -> Viewer:
    viewer = request_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may see the audit log."))
    return viewer


def _filters(request) -> tuple[AuditFilterForm, selectors.EventFilters | None]:
    """The filter form, and the filters if they are valid (else the form shows each field's error)."""
    form = AuditFilterForm(request.GET)
    try:
        return form, selectors.event_filters(data=request.GET)
    except ValidationError:
        form.is_valid()
        return form, None


def _refused(request, form: AuditFilterForm):
    return render(request, "audit/event_list.html", {"form": form, "page": None}, status=400)


@require_GET
@person_required
def audit_log(request):
    viewer = _org_admin(request)
    form, filters = _filters(request)
    if filters is None:
        return _refused(request, form)
    events = selectors.audit_events(organisation_id=viewer.organisation_id, filters=filters)
    page = Paginator(events, selectors.EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(event, selectors.detail_lines(event)) for event in page]
    return render(request, "audit/event_list.html", {"form": form, "page": page, "rows": rows})


@require_GET
@person_required
def audit_log_export(request, file_format: str):
    if file_format not in FORMATS:
        raise Http404
    viewer = _org_admin(request)
    form, filters = _filters(request)
    if filters is None:
        return _refused(request, form)
    return services.audit_log_export(viewer=viewer, filters=filters, file_format=file_format)
