"""The demo organisation's HR file sync: a folder source holding an export made from the shipped
example (examples/hr-sync/demo-hr-changes.csv, with each person's e-mail added from the database,
so it works offline and for any demo size), and one past run whose changes are in the people's
HR history."""

import csv
import io
from pathlib import Path

from django.conf import settings

from mentora.core.roles import viewer_for
from mentora.hrsync.services import hr_sync_configure, hr_sync_request, hr_sync_run_execute
from mentora.organisations.models import Organisation, Role
from mentora.people.models import Person

EXAMPLE = Path(settings.BASE_DIR) / "examples" / "hr-sync" / "demo-hr-changes.csv"


def demo_hr_sync_folder(slug: str) -> Path:
    return Path(settings.HR_SYNC_FOLDERS[0]) / slug


def demo_hr_sync_load(*, organisation: Organisation) -> None:
    """Write the demo export into the first allowed sync folder, configure the organisation's source
    (daily, on) as its org admin, and run it once. Nothing when the server allows no folder or the
    organisation has no org admin."""
    admin = (
        Person.objects.filter(organisation=organisation, role_memberships__role=Role.ORG_ADMIN)
        .order_by("pk")
        .first()
    )
    if admin is None or not settings.HR_SYNC_FOLDERS:
        return
    with EXAMPLE.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    emails = dict(
        Person.objects.filter(
            organisation=organisation, employee_id__in=[row["employee_id"] for row in rows]
        ).values_list("employee_id", "email")
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["employee_id", "email", *list(rows[0])[1:]], lineterminator="\n")
    writer.writeheader()
    writer.writerows(
        {**row, "email": emails[row["employee_id"]]} for row in rows if row["employee_id"] in emails
    )
    folder = demo_hr_sync_folder(organisation.slug)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hr-export.csv").write_text(out.getvalue(), encoding="utf-8")
    viewer = viewer_for(admin.user)
    hr_sync_configure(viewer=viewer, enabled=True, kind="folder", folder=str(folder), every_hours=24)
    run = hr_sync_request(viewer=viewer)
    hr_sync_run_execute(run_id=run.pk)
