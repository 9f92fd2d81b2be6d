"""Account endpoints: org admins' locked-account list and unlock; sign-in e-mail changes."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from mentora.accounts import selectors, services
from mentora.api.calls import api_viewer, call_service
from mentora.api.errors import ErrorOut
from mentora.api.schemas import Id
from mentora.core.roles import Viewer
from mentora.people import sign_in
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
    return Status(204, None)


class EmailChangeIn(Schema):
    person_id: Id
    new_email: str = Field(..., max_length=254)


class EmailChangeOut(Schema):
    person_id: int
    pending_email: str


@router.post(
    "/email-change",
    response={202: EmailChangeOut, 404: ErrorOut},
    summary="Ask to change a sign-in e-mail (confirmed by link)",
)
def email_change(request, payload: EmailChangeIn):
    """Your own, or that of a person you may edit (program managers, org admins; never someone whose
    role is higher than yours). A signed link, valid three days and once, goes to the new address and
    a notice to the current one; nothing changes until the link is confirmed."""
    viewer = api_viewer(request)
    person = person_get(viewer=viewer, person_id=payload.person_id)
    pending = sign_in.email_change_request(actor=viewer, person=person, new_email=payload.new_email)
    return Status(202, {"person_id": person.pk, "pending_email": pending})


class EmailConfirmIn(Schema):
    token: str = Field(..., max_length=1000, description="The token from the link sent to the new address")


class EmailConfirmOut(Schema):
    person_id: int
    email: str


@router.post(
    "/email-change/confirm",
    auth=None,
    response={200: EmailConfirmOut, 409: ErrorOut},
    summary="Confirm a sign-in e-mail change (the link's token is the credential)",
)
def email_change_confirm(request, payload: EmailConfirmIn):
    """An expired, altered or unknown token answers 422; one already used or outdated by another
    change answers 409 `stale`."""
    person = call_service(
        sign_in.email_change_confirm,
        conflicts={"stale"},
        invalid={"invalid", "expired"},
        token=payload.token,
    )
    return {"person_id": person.pk, "email": person.email}
