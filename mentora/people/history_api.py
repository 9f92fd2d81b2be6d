"""`/api/people/{id}/hr-history`: a person's effective-dated HR changes (mentora.people.history)."""

import datetime

from ninja import Router, Schema

from mentora.api.calls import api_viewer
from mentora.api.schemas import Id, PersonRefOut
from mentora.people.selectors import person_get, person_hr_history

router = Router(tags=["people"])


class HrChangeOut(Schema):
    field: str
    old_value: str
    new_value: str
    old_ref: int | None
    new_ref: int | None
    effective_date: datetime.date
    recorded_at: datetime.datetime
    source: str
    actor: PersonRefOut | None
    people_import_id: int | None


@router.get("/{person_id}/hr-history", response=list[HrChangeOut], summary="A person's HR history")
def person_hr_history_endpoint(request, person_id: Id):
    """Changes of department, manager, seniority, job title and leaving date, latest effective first:
    `field` is department, manager, seniority, job_title or leaving_date; for department and manager
    `old_ref`/`new_ref` are their ids and the values their names then; `source` is import (an import
    or HR sync, `people_import_id` naming it), provisioning (SCIM) or edit. For the person, their
    line managers, program managers and org admins; 403 for other colleagues, 404 outside the
    organisation."""
    viewer = api_viewer(request)
    person = person_get(viewer=viewer, person_id=person_id)
    return [
        {
            "field": change.field,
            "old_value": change.old_value,
            "new_value": change.new_value,
            "old_ref": change.old_ref,
            "new_ref": change.new_ref,
            "effective_date": change.effective_date,
            "recorded_at": change.recorded_at,
            "source": change.source,
            "actor": change.actor and {"id": change.actor.pk, "full_name": change.actor.full_name},
            "people_import_id": change.people_import_id,
        }
        for change in person_hr_history(viewer=viewer, person=person)
    ]
