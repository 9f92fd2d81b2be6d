"""An export asked for on a page is built by the task worker that bin/demo runs (db_worker on the
database task backend), not in the request."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from mentora.reports.models import Export, ExportStatus


# Committed data: the request's transaction commits and enqueues the task, as in production.
@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_an_export_asked_for_on_a_page(client, pam, program, relationship):
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    client.force_login(pam.user)

    client.post(
        reverse("reports:create"), {"kind": "relationships", "format": "xlsx", "program_id": program.pk}
    )

    export = Export.objects.get()
    assert export.status == ExportStatus.QUEUED
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", verbosity=0
    )
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.size > 0
    assert DBTaskResult.objects.get(task_path__endswith="export_build_task").status == "SUCCESSFUL"
