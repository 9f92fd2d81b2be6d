"""The bulk import page: upload an HR export, check it or import it, read the report."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentora.core.decorators import person_required
from mentora.core.roles import request_viewer
from mentora.people.importing import COLUMNS, REQUIRED_COLUMNS, people_import


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("HR export"),
        help_text=gettext_lazy("A .csv (UTF-8, comma or semicolon) or .xlsx file, one row per person."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check without importing"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Report what would change, and every problem, without writing anything."),
    )


@person_required
def person_import(request):
    """Program managers and org admins import their organisation's people."""
    viewer = request_viewer(request)
    if not viewer.manages_people:
        raise PermissionDenied(_("Only program managers and organisation admins can import people."))
    report = None
    if request.method == "POST":
        form = PeopleImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = people_import(
                organisation=viewer.person.organisation,
                file=upload,
                filename=upload.name,
                dry_run=form.cleaned_data["dry_run"],
            )
    else:
        form = PeopleImportForm()
    context = {"form": form, "report": report, "columns": COLUMNS, "required_columns": REQUIRED_COLUMNS}
    if request.htmx and request.method == "POST":
        response = render(request, "people/_import_report.html", context)
    else:
        response = render(request, "people/import.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
