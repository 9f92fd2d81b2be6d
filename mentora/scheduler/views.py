"""The scheduled jobs page: each periodic job, when it runs, its last run and outcome."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.core.roles import request_viewer
from mentora.scheduler.permissions import can_see_job_details, can_see_jobs
from mentora.scheduler.selectors import job_overview


def interval_text(every: datetime.timedelta) -> str:
    minutes = int(every.total_seconds() // 60)
    if minutes % 1440 == 0:
        days = minutes // 1440
        return ngettext("every day", "every %(count)d days", days) % {"count": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("every hour", "every %(count)d hours", hours) % {"count": hours}
    return ngettext("every minute", "every %(count)d minutes", minutes) % {"count": minutes}


@login_required
def job_list(request):
    viewer = request_viewer(request)
    if not can_see_jobs(viewer):
        raise PermissionDenied(_("Only organisation admins and the site's staff can see scheduled jobs."))
    rows = [
        {
            "job": row.job,
            "last_run": row.last_run,
            "last_success_at": row.last_success_at,
            "next_slot": row.next_slot,
            "interval_text": interval_text(row.job.every) if row.job.every else "",
        }
        for row in job_overview()
    ]
    return render(
        request, "scheduler/job_list.html", {"rows": rows, "show_details": can_see_job_details(viewer)}
    )
