"""The audit log's REST endpoint (org admins only). It stands here rather than in `audit`, which
sits below the API's paging and error shape (docs/architecture.md)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from mentora.api.calls import api_viewer
from mentora.api.pagination import Mapped, Pages
from mentora.audit import selectors
from mentora.audit.models import Action, AuditEvent

router = Router(tags=["audit"])


class AuditFilterIn(Schema):
    """Every filter is optional; they combine. Dates are calendar days in your time zone."""

    action: str = Field("", description=f"One of: {', '.join(Action.values)}")
    actor: str = Field("", description="Done by: name contains")
    actor_id: str = Field("", description="Done by: person id")
    target: str = Field("", description="Done to: name contains")
    target_type: str = Field("", description="Done to: kind of record, e.g. people.person")
    target_id: str = Field("", description="Done to: id of the record (with target_type)")
    since: str = Field("", description="From this date (YYYY-MM-DD)")
    until: str = Field("", description="Up to and including this date (YYYY-MM-DD)")


class AuditEventOut(Schema):
    id: int
    created_at: datetime.datetime
    action: str
    action_label: str
    actor_person_id: int | None
    actor: str
    target_type: str
    target_id: str
    target: str
    details: dict
    ip_address: str | None
    user_agent: str


def _out(event: AuditEvent) -> dict:
    return {
        "id": event.pk,
        "created_at": event.created_at,
        "action": event.action,
        "action_label": str(event.action_label),
        "actor_person_id": event.actor_person_id,
        "actor": event.actor_label,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target": event.target_label,
        "details": event.details,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
    }


@router.get("/events", response=list[AuditEventOut], summary="My organisation's audit log")
@paginate(Pages)
def event_list(request, filters: Query[AuditFilterIn]):
    """Org admins only; newest first. An unknown action, a date that is not one or an end before the
    start answers 422 naming the field."""
    viewer = api_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may see the audit log."))
    parsed = selectors.event_filters(data={name: value for name, value in filters.dict().items() if value})
    return Mapped(selectors.audit_events(organisation_id=viewer.organisation_id, filters=parsed), _out)
