"""My email preferences; a program manager's nudge of a pair."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import StrictBool

from mentora.api.calls import api_viewer
from mentora.api.schemas import Id
from mentora.notifications.nudges import pair_nudge_create
from mentora.notifications.selectors import preferences_for
from mentora.notifications.services import preferences_update
from mentora.programs.selectors import program_get_managed
from mentora.relationships.models import Relationship

router = Router(tags=["notifications"])


class PreferencesIO(Schema):
    meeting_reminder: StrictBool
    silent_pair_nudge: StrictBool
    checkin_reminder: StrictBool
    relationship_update: StrictBool


@router.get("/preferences", response=PreferencesIO, summary="Which emails I get")
def preferences_get(request):
    return preferences_for(person=api_viewer(request).person)


@router.put("/preferences", response=PreferencesIO, summary="Choose which emails I get")
def preferences_put(request, payload: PreferencesIO):
    return preferences_update(person=api_viewer(request).person, **payload.dict())


class PairNudgeOut(Schema):
    id: int
    relationship_id: int
    sent_by_id: int | None
    created_at: datetime


@router.post(
    "/pairs/{int:relationship_id}/nudge",
    response={201: PairNudgeOut},
    summary="Nudge both sides of a pair (its program's managers; once a week per pair)",
)
def pair_nudge(request, relationship_id: Id):
    """E-mails both sides through the notifications ledger. 409 `too_soon` within a week of the pair's
    last nudge, 409 `not_active` for a pair that is not running."""
    viewer = api_viewer(request)
    relationship = get_object_or_404(
        Relationship, pk=relationship_id, program__organisation_id=viewer.organisation_id
    )
    program_get_managed(viewer=viewer, program_id=relationship.program_id)
    nudge = pair_nudge_create(relationship=relationship, actor=viewer.person)
    return Status(201, nudge)
