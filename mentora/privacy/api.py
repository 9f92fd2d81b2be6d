"""Privacy operations over the API: my data (everyone, about themselves), retention periods and
erasure (org admins, their own organisation). See docs/privacy.md."""

from datetime import datetime
from typing import Any

from ninja import Router, Schema
from pydantic import Field, StrictBool, StrictInt

from mentora.api.calls import api_viewer
from mentora.api.schemas import Id
from mentora.privacy import selectors, services
from mentora.privacy.models import MAX_RETENTION_MONTHS, REASON_MAX_CHARS
from mentora.privacy.permissions import require_org_admin

router = Router(tags=["privacy"])


@router.get("/me", response=dict[str, Any], summary="Everything Mentora holds about me")
def my_data(request):
    """The same document as the JSON download of *My data* (format `mentora.personal-data/1`)."""
    person = api_viewer(request).person
    document = selectors.personal_data_export(person=person)
    services.data_export_record(person=person, request=request, fmt="api")
    return document


Months = StrictInt | None


class RetentionIO(Schema):
    private_notes_months: Months = Field(None, ge=1, le=MAX_RETENTION_MONTHS)
    closed_texts_months: Months = Field(None, ge=1, le=MAX_RETENTION_MONTHS)
    job_reports_months: Months = Field(None, ge=1, le=MAX_RETENTION_MONTHS)
    notifications_months: Months = Field(None, ge=1, le=MAX_RETENTION_MONTHS)


@router.get("/retention", response=RetentionIO, summary="My organisation's retention periods (org admins)")
def retention_get(request):
    viewer = require_org_admin(api_viewer(request))
    return selectors.retention_policy_for(organisation_id=viewer.organisation_id)


@router.put("/retention", response=RetentionIO, summary="Set the retention periods (org admins)")
def retention_put(request, payload: RetentionIO):
    """Every period in months, from 1 to 120; null keeps that content."""
    viewer = api_viewer(request)
    return services.retention_policy_set(actor=viewer, request=request, **payload.dict())


class RetentionRunOut(Schema):
    ran_at: datetime
    removed: dict[str, int]


@router.get("/retention/runs", response=list[RetentionRunOut], summary="Recent retention runs (org admins)")
def retention_runs(request):
    viewer = require_org_admin(api_viewer(request))
    return list(selectors.retention_runs_recent(organisation_id=viewer.organisation_id))


class ErasureIn(Schema):
    reason: str = Field(min_length=1, max_length=REASON_MAX_CHARS)
    confirm: StrictBool


class ErasureOut(Schema):
    id: int
    person_id: int
    erased_by_id: int | None
    reason: str
    removed: dict[str, int]
    erased_at: datetime


@router.post(
    "/people/{int:person_id}/erase",
    response={200: ErasureOut},
    summary="Erase a person of my organisation (org admins; irreversible)",
)
def person_erase(request, person_id: Id, payload: ErasureIn):
    """409 `last_admin` (the organisation's last org admin); 422 `self` (you cannot erase yourself)
    or `not_confirmed` without `"confirm": true`; 404 for anyone not in your organisation or
    already erased."""
    viewer = api_viewer(request)
    return services.person_erase(
        actor=viewer, person_id=person_id, reason=payload.reason, confirmed=payload.confirm, request=request
    )


@router.get("/erasures", response=list[ErasureOut], summary="Recent erasures (org admins)")
def erasures(request):
    viewer = require_org_admin(api_viewer(request))
    return list(selectors.erasures_recent(organisation_id=viewer.organisation_id))
