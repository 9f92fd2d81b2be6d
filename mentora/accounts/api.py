"""Account endpoints: org admins' locked-account list and unlock."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Router, Schema

from mentora.accounts import selectors, services
from mentora.api.calls import api_viewer
from mentora.api.schemas import Id
from mentora.core.roles import Viewer
from mentora.people.selectors import person_get

router = Router(tags=["accounts"])


class LockedAccountOut(Schema):
    person_id: int
    full_name: str
    login: str
    failures: int
    last_attempt: datetime.datetime
    unlocks_at: datetime.datetime


def _org_admin(request) -> Viewer:
    viewer = api_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may see and unlock locked accounts."))
    return viewer


@router.get("/lockouts", response=list[LockedAccountOut], summary="Locked accounts of my organisation")
def list_lockouts(request):
    """Org admins only: who of the organisation cannot sign in now after too many wrong passwords."""
    viewer = _org_admin(request)
    return [
        {
            "person_id": row.person.pk,
            "full_name": row.person.full_name,
            "login": row.person.user.username,
            "failures": row.failures,
            "last_attempt": row.last_attempt,
            "unlocks_at": row.unlocks_at,
        }
        for row in selectors.locked_accounts(organisation_id=viewer.organisation_id)
    ]


@router.post("/lockouts/{int:person_id}/unlock", response={204: None}, summary="Unlock someone's sign-in")
def unlock(request, person_id: Id):
    """Org admins only, for a person of their organisation (anyone else's id answers 404)."""
    viewer = _org_admin(request)
    services.lockout_release(actor=viewer, person=person_get(viewer=viewer, person_id=person_id))
    return 204, None
