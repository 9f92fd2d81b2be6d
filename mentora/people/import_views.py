"""The bulk import page: upload an HR export, check it or import it, follow it and read the report."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentora.core.decorators import person_required
from mentora.core.htmx import render_page_or_fragment, wants_fragment
from mentora.core.roles import request_viewer
from mentora.people.import_jobs import ImportTooLarge, people_import_get, people_import_start
from mentora.people.importing import COLUMNS, REQUIRED_COLUMNS, ImportReport


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("HR export"),
        help_text=gettext_lazy("A .csv (UTF-8, comma or semicolon) or .xlsx file, one row per person."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={"required": gettext_lazy("Choose a file to upload.")},
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check without importing"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Report what would change, and every problem, without writing anything."),
    )


def _render(request, template: str, context: dict, status: int = 200):
    context = {"columns": COLUMNS, "required_columns": REQUIRED_COLUMNS, **context}
    # htmx swaps only successful answers: a refused upload's fragment is sent as 200.
    return render_page_or_fragment(
        request,
        page="people/import.html",
        fragment=f"people/_{template}.html",
        context=context,
        status=200 if wants_fragment(request) else status,
    )


def _job_context(job) -> dict:
    report = ImportReport.from_dict(job.report) if job.is_finished and job.report else None
    return {"job": job, "report": report}


@person_required
def person_import(request):
    """Program managers and org admins import their organisation's people, in the background."""
    viewer = request_viewer(request)
    if not viewer.manages_people:
        raise PermissionDenied(_("Only program managers and organisation admins can import people."))
    if request.method != "POST":
        return _render(request, "import_report", {"form": PeopleImportForm()})
    form = PeopleImportForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = people_import_start(
                viewer=viewer, upload=upload, filename=upload.name, dry_run=form.cleaned_data["dry_run"]
            )
        except ImportTooLarge as refused:
            form.add_error("file", refused.message)
            status = 413
        else:
            if wants_fragment(request):
                return _render(request, "import_job", {"form": PeopleImportForm(), **_job_context(job)})
            return redirect("people:import_job", pk=job.pk)
    return _render(request, "import_report", {"form": form}, status=status)


@person_required
def person_import_job(request, pk: int):
    """One import's progress (polled by htmx while it runs), then its report."""
    job = people_import_get(viewer=request_viewer(request), import_id=pk)
    return _render(request, "import_job", {"form": PeopleImportForm(), **_job_context(job)})
