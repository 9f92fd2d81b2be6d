"""The Exports page (my exports, their progress, downloads), the export buttons' target, and the
program's monthly report page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentora.core.decorators import person_required
from mentora.core.htmx import render_page_or_fragment
from mentora.core.roles import request_viewer
from mentora.programs.models import Program
from mentora.programs.selectors import program_get_managed
from mentora.reports.forms import ExportForm, ReportScheduleForm
from mentora.reports.selectors import KINDS, export_get, exports_of
from mentora.reports.services import ExportGone, export_download, export_request, report_schedule_set

PAGE_SIZE = 50


@require_GET
@person_required
def export_list(request):
    exports = _labelled(exports_of(viewer=request_viewer(request))[:PAGE_SIZE])
    return render(request, "reports/export_list.html", {"exports": exports})


def _labelled(exports) -> list:
    """Each export with its kind's name in the viewer's language and its program's name (one query)."""
    exports = list(exports)
    program_ids = {export.params.get("program_id") for export in exports} - {None}
    names = dict(Program.objects.filter(pk__in=program_ids).values_list("pk", "name")) if program_ids else {}
    for export in exports:
        kind = KINDS.get(export.kind)
        export.kind_label = kind.label if kind else export.kind
        export.program_name = names.get(export.params.get("program_id"), "")
    return exports


@require_POST
@person_required
def export_create(request):
    """An export button: queue the export and show it on the Exports page, where it is followed."""
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That export cannot be made: choose what to export and a format."))
        return redirect("reports:exports")
    try:
        export_request(
            viewer=request_viewer(request),
            kind=form.cleaned_data["kind"],
            file_format=form.cleaned_data["format"],
            program_id=form.cleaned_data["program_id"],
        )
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your export is being prepared; it appears below when ready."))
    return redirect("reports:exports")


@require_GET
@person_required
def export_detail(request, pk: int):
    """One export's row: polled by htmx while it is being built."""
    [export] = _labelled([export_get(viewer=request_viewer(request), export_id=pk)])
    return render_page_or_fragment(
        request,
        page="reports/export_detail.html",
        fragment="reports/_export_row.html",
        context={"export": export},
    )


@require_GET
@person_required
def export_file(request, pk: int):
    viewer = request_viewer(request)
    export = export_get(viewer=viewer, export_id=pk)
    try:
        export = export_download(viewer=viewer, export=export)
    except ExportGone:
        return render(request, "reports/export_gone.html", {"export": export}, status=410)
    except ValidationError:
        [export] = _labelled([export])
        return render(request, "reports/export_detail.html", {"export": export}, status=409)
    response = HttpResponse(bytes(export.content), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"  # personal data: no copy in shared caches
    return response


@require_GET
@person_required
def program_exports(request, program_id: int):
    """A program's exports: the PDF report and the dashboard's tables, and each of its lists."""
    viewer = request_viewer(request)
    program = program_get_managed(viewer=viewer, program_id=program_id)
    lists = [KINDS[key] for key in ("enrolments", "relationships", "matching_results", "checkins")]
    return render(
        request,
        "reports/program_exports.html",
        {"program": program, "report": KINDS["program_report"], "lists": lists},
    )


@require_http_methods(["GET", "POST"])
@person_required
def report_schedule(request, program_id: int):
    """The program's monthly PDF report: which leaders get it."""
    viewer = request_viewer(request)
    program = program_get_managed(viewer=viewer, program_id=program_id)
    schedule = getattr(program, "report_schedule", None)
    initial = {"recipients": list(schedule.recipients.all()) if schedule else []}
    form = ReportScheduleForm(request.POST or None, initial=initial, organisation_id=program.organisation_id)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report_schedule_set(
                    viewer=viewer,
                    program=program,
                    recipient_ids=[person.pk for person in form.cleaned_data["recipients"]],
                )
            except ValidationError as refused:
                form.add_error("recipients", refused)
            else:
                messages.success(request, _("The monthly report's recipients are saved."))
                return redirect("reports:schedule", program_id=program.pk)
        status = 422
    return render(request, "reports/report_schedule.html", {"program": program, "form": form}, status=status)
