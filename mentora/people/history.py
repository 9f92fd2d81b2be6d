"""The HR history: every change of a person's department, manager, seniority, job title or leaving
date is kept as a PersonHrChange row. Both write paths of the people database call `hr_changes_record`
(the services' `_person_change`, for edits, provisioning and leavers; the importer's change step,
for imports and HR syncs), so each change is recorded once, whoever made it."""

import datetime
from collections.abc import Mapping

from django.utils import timezone

from mentora.organisations.models import Department
from mentora.people.models import HrChangeSource, HrField, Person, PersonHrChange

# Person field → history field. Department and manager are recorded by name, with their id.
TRACKED = {
    "department_id": HrField.DEPARTMENT,
    "manager_id": HrField.MANAGER,
    "seniority": HrField.SENIORITY,
    "job_title": HrField.JOB_TITLE,
    "leaving_date": HrField.LEAVING_DATE,
}
REFERENCES = ("department_id", "manager_id")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)[:255]


def hr_changes_record(
    *,
    organisation_id: int,
    before: Mapping[int, Mapping[str, object]],
    after: Mapping[int, Mapping[str, object]],
    source: HrChangeSource,
    actor_id: int | None = None,
    people_import_id: int | None = None,
    effective_dates: Mapping[int, datetime.date] | None = None,
) -> list[PersonHrChange]:
    """Record what changed between `before` and `after` (person id → {Person field: value}; fields
    not tracked, or missing from `after`, are ignored). A person's change takes effect on
    `effective_dates[person id]`, else today (UTC). Two queries for names, one insert."""
    now = timezone.now()
    today = timezone.localdate(now, timezone=datetime.UTC)
    effective_dates = effective_dates or {}
    changes: list[tuple[int, str, object, object]] = []
    for person_id, new in after.items():
        old = before.get(person_id, {})
        for name in TRACKED:
            if name in new and name in old and old[name] != new[name]:
                changes.append((person_id, name, old[name], new[name]))
    if not changes:
        return []
    ids = {name: set() for name in REFERENCES}
    for _person_id, name, old_value, new_value in changes:
        if name in ids:
            ids[name].update(value for value in (old_value, new_value) if value is not None)
    names = {
        "department_id": dict(
            Department.objects.filter(pk__in=ids["department_id"]).values_list("pk", "name")
        ),
        "manager_id": {
            pk: f"{full_name} ({employee_id})" if employee_id else full_name
            for pk, full_name, employee_id in Person.objects.filter(pk__in=ids["manager_id"]).values_list(
                "pk", "full_name", "employee_id"
            )
        },
    }
    rows = []
    for person_id, name, old_value, new_value in changes:
        reference = name in REFERENCES
        rows.append(
            PersonHrChange(
                organisation_id=organisation_id,
                person_id=person_id,
                field=TRACKED[name],
                old_value=_text(names[name].get(old_value, old_value) if reference else old_value),
                new_value=_text(names[name].get(new_value, new_value) if reference else new_value),
                old_ref=old_value if reference else None,
                new_ref=new_value if reference else None,
                effective_date=effective_dates.get(person_id, today),
                recorded_at=now,
                source=source,
                actor_id=actor_id,
                people_import_id=people_import_id,
            )
        )
    return PersonHrChange.objects.bulk_create(rows)
