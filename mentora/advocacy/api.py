"""The advocacy log (the pair only: the mentor records, the mentee confirms) and the program's
sponsorship KPIs (its managers)."""

from datetime import date, datetime

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from mentora.advocacy import selectors, services
from mentora.advocacy.models import AdvocacyKind
from mentora.api.calls import api_viewer
from mentora.api.pagination import Pages
from mentora.api.schemas import Id, UpdatedSince, changed_since, dataclass_schema
from mentora.programs.selectors import program_get_managed
from mentora.workspace.api import api_pair

router = Router(tags=["advocacy"])


class ActionOut(Schema):
    id: int
    relationship_id: int
    kind: AdvocacyKind
    occurred_on: date
    description: str
    confirmed_at: datetime | None
    created_at: datetime


class ActionIn(Schema):
    kind: AdvocacyKind
    occurred_on: date
    description: str


KpisOut = dataclass_schema(
    selectors.SponsorshipKpis,
    name="KpisOut",
    properties=["actions_per_pair", "confirmed_share", "reach"],
)


@router.get("/relationships/{int:relationship_id}", response=list[ActionOut], summary="Our advocacy log")
@paginate(Pages)
def action_list(request, relationship_id: Id, updated_since: UpdatedSince = None):
    actions = selectors.advocacy_actions_for(relationship=api_pair(request, relationship_id).relationship)
    return changed_since(actions, updated_since)


@router.post(
    "/relationships/{int:relationship_id}",
    response={201: ActionOut},
    summary="Record an action (mentor)",
)
def action_create(request, relationship_id: Id, payload: ActionIn):
    pair = api_pair(request, relationship_id)
    action = services.advocacy_action_create(
        relationship=pair.relationship, person=pair.person, **payload.dict()
    )
    return Status(201, action)


@router.put(
    "/relationships/{int:relationship_id}/{int:action_id}",
    response={200: ActionOut},
    summary="Edit an action (mentor)",
)
def action_update(request, relationship_id: Id, action_id: Id, payload: ActionIn):
    pair = api_pair(request, relationship_id)
    action = selectors.advocacy_action_get(relationship=pair.relationship, action_id=action_id)
    return services.advocacy_action_update(action=action, person=pair.person, **payload.dict())


@router.delete(
    "/relationships/{int:relationship_id}/{int:action_id}",
    response={204: None},
    summary="Delete an action (mentor)",
)
def action_delete(request, relationship_id: Id, action_id: Id):
    pair = api_pair(request, relationship_id)
    action = selectors.advocacy_action_get(relationship=pair.relationship, action_id=action_id)
    services.advocacy_action_delete(action=action, person=pair.person)
    return Status(204, None)


@router.post(
    "/relationships/{int:relationship_id}/{int:action_id}/confirm",
    response={200: ActionOut},
    summary="Confirm it happened (mentee)",
)
def action_confirm(request, relationship_id: Id, action_id: Id):
    pair = api_pair(request, relationship_id)
    action = selectors.advocacy_action_get(relationship=pair.relationship, action_id=action_id)
    return services.advocacy_action_confirm(action=action, person=pair.person)


@router.get("/programs/{int:program_id}/kpis", response=KpisOut, summary="Sponsorship KPIs (managers)")
def kpis(request, program_id: Id):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    return selectors.sponsorship_kpis(program=program)
