"""The people export: the organisation's people database in the columns the import reads.

An export opened in a spreadsheet, edited and uploaded again imports cleanly (docs/import.md):
same columns, lists written the way the import splits them, the manager by employee id (or email
for someone without one). Nothing private leaves: no self-assessment, no demographics, no account
data. Cells are neutralised against formulas by `mentora.core.exports`.
"""

from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.audit.models import Action
from mentora.audit.services import record
from mentora.core.exports import spreadsheet_response
from mentora.core.roles import Viewer
from mentora.organisations.models import Department, RoleMembership
from mentora.people.importing import DEPARTMENT_SEPARATOR, EXPORT_COLUMNS
from mentora.people.models import OfferedSkill, Person, Priority, WantedSkill

EXPORT_CHUNK = 2000


def _department_paths(organisation_id: int) -> dict[int, str]:
    """Each department as the import writes it: `Engineering > Platform`."""
    departments = {
        pk: (name, parent_id)
        for pk, name, parent_id in Department.objects.filter(organisation_id=organisation_id).values_list(
            "id", "name", "parent_id"
        )
    }
    paths: dict[int, str] = {}
    for pk in departments:
        names, seen, node = [], set(), pk
        while node in departments and node not in seen:  # `seen` stops a cycle someone made in the admin
            seen.add(node)
            name, node = departments[node]
            names.append(name)
        paths[pk] = f" {DEPARTMENT_SEPARATOR} ".join(reversed(names))
    return paths


def people_export_rows(*, viewer: Viewer) -> Iterator[list[str]]:
    """The viewer's organisation's people, one row of EXPORT_COLUMNS each, ordered by employee id.

    Program managers and organisation admins only; the check runs before any row is read.
    """
    if viewer.person is None or not viewer.manages_people:
        raise PermissionDenied(_("Only program managers and organisation admins can export people."))
    return _rows(viewer.person.organisation_id)


def _rows(organisation_id: int) -> Iterator[list[str]]:
    paths = _department_paths(organisation_id)
    people = Person.objects.filter(organisation_id=organisation_id)
    references = {
        pk: employee_id or email
        for pk, employee_id, email in people.values_list("id", "employee_id", "email")
    }
    queryset = people.order_by("employee_id", "pk").prefetch_related(
        "languages",
        Prefetch(
            "offered_skills", queryset=OfferedSkill.objects.select_related("skill").order_by("skill__name")
        ),
        Prefetch(
            "wanted_skills", queryset=WantedSkill.objects.select_related("skill").order_by("skill__name")
        ),
        Prefetch("role_memberships", queryset=RoleMembership.objects.order_by("role")),
    )
    for person in queryset.iterator(chunk_size=EXPORT_CHUNK):
        values = {
            "employee_id": person.employee_id,
            "email": person.email,
            "full_name": person.full_name,
            "job_title": person.job_title,
            "job_family": person.job_family,
            "department": paths.get(person.department_id, ""),
            "manager": references.get(person.manager_id, ""),
            "seniority": str(person.seniority),
            "location": person.location,
            "time_zone": person.time_zone,
            "languages": "; ".join(sorted(language.code for language in person.languages.all())),
            "availability_hours_per_month": str(person.availability_hours_per_month),
            "meeting_mode": person.meeting_mode,
            "offered_skills": "; ".join(
                f"{item.skill.name}:{item.level}" for item in person.offered_skills.all()
            ),
            "wanted_skills": "; ".join(
                f"{item.skill.name}:{Priority(item.priority).name.lower()}"
                for item in person.wanted_skills.all()
            ),
            "roles": "; ".join(membership.role for membership in person.role_memberships.all()),
            "goals": person.goals,
            "purpose": person.purpose,
            "leaving_date": person.leaving_date.isoformat() if person.leaving_date else "",
        }
        yield [values[column] for column in EXPORT_COLUMNS]


def people_export_response(*, viewer: Viewer, file_format: str) -> HttpResponse:
    """The download the page and the API both answer with, named after the organisation and the day."""
    rows = people_export_rows(viewer=viewer)
    record(action=Action.PEOPLE_EXPORTED, actor=viewer, details={"format": file_format})
    return spreadsheet_response(
        file_format=file_format,
        header=EXPORT_COLUMNS,
        rows=rows,
        filename=f"{viewer.person.organisation.slug}-people-{timezone.localdate():%Y-%m-%d}",
        sheet_title=_("People"),
    )
