"""SCIM token endpoints for org admins: list, create, rotate, revoke (the values shown once)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from mentora.api.calls import api_viewer
from mentora.api.errors import ErrorOut
from mentora.api.schemas import Id
from mentora.core.roles import Viewer
from mentora.scim import selectors, services
from mentora.scim.models import ScimToken

router = Router(tags=["scim"])


class ScimTokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None


class ScimTokenCreatedOut(ScimTokenOut):
    token: str = Field(..., description="The raw value: shown only in this answer, never again")


class ScimTokenIn(Schema):
    name: str = Field(..., max_length=100)


def _org_admin(request) -> Viewer:
    viewer = api_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may manage provisioning."))
    return viewer


def _created(token: ScimToken, raw: str) -> dict:
    return {**ScimTokenOut.from_orm(token).dict(), "token": raw}


@router.get("/tokens", response=list[ScimTokenOut], summary="My organisation's SCIM tokens")
def list_tokens(request):
    """Org admins only."""
    viewer = _org_admin(request)
    return list(selectors.scim_token_list(organisation_id=viewer.organisation_id))


@router.post("/tokens", response={201: ScimTokenCreatedOut, 422: ErrorOut}, summary="Make a SCIM token")
def create_token(request, payload: ScimTokenIn, response: HttpResponse):
    """Org admins only; the answer holds the token's value, which Mentora does not keep."""
    response["Cache-Control"] = "no-store"  # neither cached nor kept for an Idempotency-Key
    viewer = _org_admin(request)
    token, raw = services.scim_token_create(actor=viewer, name=payload.name)
    return Status(201, _created(token, raw))


@router.post(
    "/tokens/{int:token_id}/rotate",
    response={201: ScimTokenCreatedOut, 404: ErrorOut},
    summary="Replace a SCIM token by a new one",
)
def rotate_token(request, token_id: Id, response: HttpResponse):
    """The old value stops working at once. Another organisation's token answers 404."""
    response["Cache-Control"] = "no-store"  # neither cached nor kept for an Idempotency-Key
    viewer = _org_admin(request)
    try:
        token, raw = services.scim_token_rotate(actor=viewer, token_id=token_id)
    except ScimToken.DoesNotExist:
        raise Http404 from None
    return Status(201, _created(token, raw))


@router.delete("/tokens/{int:token_id}", response={204: None, 404: ErrorOut}, summary="Revoke a SCIM token")
def revoke_token(request, token_id: Id):
    viewer = _org_admin(request)
    try:
        services.scim_token_revoke(actor=viewer, token_id=token_id)
    except ScimToken.DoesNotExist:
        raise Http404 from None
    return Status(204, None)
