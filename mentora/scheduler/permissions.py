"""Who sees the scheduled jobs: org admins see each job's schedule and whether its last run worked;
the site's staff (who run the servers) also see its figures and errors, which may count or name
other organisations' data."""

from mentora.core.roles import Viewer


def can_see_jobs(viewer: Viewer) -> bool:
    return viewer.is_org_admin or bool(getattr(viewer.user, "is_staff", False))


def can_see_job_details(viewer: Viewer) -> bool:
    return bool(getattr(viewer.user, "is_staff", False))
