"""Pages of the outcomes app: a program's outcome analyses (its managers and the org admins) and the
outcome events import (org admins). Thin: they parse, call one service or selector, render."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentora.core.decorators import person_required
from mentora.core.roles import request_viewer
from mentora.outcomes.charts import retention_svg
from mentora.outcomes.models import AnalysisStatus
from mentora.outcomes.results import worded
from mentora.outcomes.selectors import analysis_get, analysis_list
from mentora.outcomes.services import (
    COLUMNS,
    EventsFileTooLarge,
    analysis_start,
    outcome_events_import,
)
from mentora.programs.selectors import program_get_managed, program_list_managed


class AnalysisForm(forms.Form):
    as_of = forms.DateField(
        label=gettext_lazy("Outcomes up to"),
        required=False,
        help_text=gettext_lazy("Leave empty for today."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class EventsImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Outcome events"),
        help_text=gettext_lazy("A .csv (UTF-8) or .xlsx file, one row per event."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={"required": gettext_lazy("Choose a file to upload.")},
    )


@person_required
def outcomes_home(request):
    """The programs whose outcomes the viewer may analyse."""
    viewer = request_viewer(request)
    if not viewer.manages_people:
        raise PermissionDenied(_("Only program managers and organisation admins analyse outcomes."))
    return render(request, "outcomes/home.html", {"programs": program_list_managed(viewer=viewer)})


@person_required
def program_outcomes(request, program_id: int):
    """A program's analyses, and the form that starts one (in the background)."""
    viewer = request_viewer(request)
    program = program_get_managed(viewer=viewer, program_id=program_id)
    form = AnalysisForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            as_of: datetime.date | None = form.cleaned_data["as_of"]
            try:
                job = analysis_start(viewer=viewer, program_id=program.pk, as_of=as_of)
            except forms.ValidationError as refused:
                form.add_error(None, refused)
            else:
                return redirect("outcomes:analysis", pk=job.pk)
        status = 400
    context = {"program": program, "form": form, "analyses": analysis_list(program=program)}
    return render(request, "outcomes/program.html", context, status=status)


@person_required
def analysis_detail(request, pk: int):
    """One analysis: its status while it runs, then the balance table first and the outcomes after."""
    job = analysis_get(viewer=request_viewer(request), analysis_id=pk)
    result = worded(job.result) if job.status == AnalysisStatus.DONE else None
    chart = retention_svg(job.result["curves"]) if result and not result.refused else ""
    return render(request, "outcomes/analysis.html", {"job": job, "result": result, "chart": chart})


@person_required
def events_import(request):
    """Org admins import HR outcome events; all or nothing, every problem listed."""
    viewer = request_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only organisation admins import HR outcome events."))
    form = EventsImportForm(request.POST or None, request.FILES or None)
    report, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = outcome_events_import(viewer=viewer, upload=upload, filename=upload.name)
            except EventsFileTooLarge as refused:
                form.add_error("file", refused.message)
                status = 413
            else:
                status = 200 if report.written else 400
    context = {"form": form, "report": report, "columns": COLUMNS}
    return render(request, "outcomes/import.html", context, status=status)
