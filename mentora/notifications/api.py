"""My email preferences."""

from ninja import Router, Schema
from pydantic import StrictBool

from mentora.api.calls import api_viewer
from mentora.notifications.selectors import preferences_for
from mentora.notifications.services import preferences_update

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
