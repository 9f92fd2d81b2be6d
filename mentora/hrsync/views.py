"""The HR file sync page: the organisation's source, "Run now", and the history of runs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentora.core.decorators import person_required
from mentora.core.forms import apply_service_errors, flash_refusal
from mentora.core.roles import request_viewer
from mentora.hrsync import selectors, services
from mentora.hrsync.forms import HrSyncSourceForm
from mentora.people.importing import ImportReport


def _initial(source) -> dict:
    if source is None:
        return {"kind": "url", "every_hours": 24}
    return {
        "enabled": source.enabled,
        "kind": source.kind,
        "folder": source.folder,
        "url": source.url,
        "every_hours": source.every_hours,
    }


@person_required
def hr_sync(request):
    viewer = request_viewer(request)
    source = selectors.hr_sync_source_get(viewer=viewer)
    form = HrSyncSourceForm(request.POST or None, initial=_initial(source))
    if request.method == "POST" and form.is_valid():
        try:
            services.hr_sync_configure(viewer=viewer, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The HR sync source is saved."))
            return redirect("hrsync:page")
    runs = [
        (
            run,
            ImportReport.from_dict(run.people_import.report)
            if run.people_import and run.people_import.report
            else None,
        )
        for run in selectors.hr_sync_runs(viewer=viewer)
    ]
    return render(
        request,
        "hrsync/hr_sync.html",
        {"form": form, "source": source, "runs": runs},
        status=400 if form.is_bound else 200,
    )


@require_POST
@person_required
def hr_sync_run_now(request):
    viewer = request_viewer(request)
    try:
        services.hr_sync_request(viewer=viewer)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, _("The sync is queued: its outcome appears below once it has run."))
    return redirect("hrsync:page")
