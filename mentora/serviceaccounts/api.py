"""The org admin's service accounts through the API (a person's token; a service account cannot
manage service accounts). The token is in the creating call's answer only."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from mentora.api.calls import api_viewer
from mentora.api.errors import ApiError
from mentora.api.schemas import Id
from mentora.core.roles import Viewer
from mentora.serviceaccounts import selectors, services
from mentora.serviceaccounts.models import ServiceAccount
from mentora.serviceaccounts.scopes import SCOPES

router = Router(tags=["service accounts"])

Scope = Literal[tuple(SCOPES)]


class ServiceAccountOut(Schema):
    id: int
    name: str
    scopes: list[Scope]
    prefix: str = Field(description="The token's first characters after `svc_`, to recognise it.")
    created_by_id: int | None = Field(description="The org admin whose rights it acts with.")
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class ServiceAccountCreatedOut(ServiceAccountOut):
    token: str = Field(description="The token itself: shown this once, never stored.")


class ServiceAccountIn(Schema):
    name: str = Field(max_length=100)
    scopes: list[Scope] = Field(min_length=1, max_length=len(SCOPES))
    expires_at: datetime = Field(description="With a time zone; at most a year from now.")


def _org_admin(request) -> Viewer:
    viewer = api_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may manage service accounts."))
    return viewer


@router.get("/", response=list[ServiceAccountOut], summary="My organisation's service accounts")
def account_list(request):
    return list(selectors.service_account_list(organisation_id=_org_admin(request).organisation_id))


@router.post("/", response={201: ServiceAccountCreatedOut}, summary="Create a service account")
def account_create(request, payload: ServiceAccountIn, response: HttpResponse):
    response["Cache-Control"] = "no-store"  # the token: neither cached nor kept for an Idempotency-Key
    account, raw = services.service_account_create(actor=_org_admin(request), **payload.dict())
    return Status(201, {**ServiceAccountOut.from_orm(account).dict(), "token": raw})


@router.post("/{int:account_id}/revoke", response=ServiceAccountOut, summary="Revoke a service account")
def account_revoke(request, account_id: Id):
    try:
        return services.service_account_revoke(actor=_org_admin(request), account_id=account_id)
    except ServiceAccount.DoesNotExist:
        raise ApiError(404, "not_found", _("Not found.")) from None
