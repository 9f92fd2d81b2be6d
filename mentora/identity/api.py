"""The organisation's single sign-on configuration: read, replace, remove. Org admins only; the
client secret is write-only (never in an answer)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import StrictBool

from mentora.api.calls import api_viewer
from mentora.api.errors import ApiError, ErrorOut
from mentora.api.schemas import dataclass_schema
from mentora.core.roles import Viewer
from mentora.identity import selectors, services
from mentora.identity.models import IdentityProvider, Protocol

router = Router(tags=["single sign-on"])


class SsoIn(Schema):
    protocol: Protocol
    domains: list[str] = Field(..., min_length=1, max_length=50)
    oidc_issuer: str = Field("", max_length=2000)
    client_id: str = Field("", max_length=191)
    client_secret: str = Field(
        "", max_length=191, description="Write-only. Empty keeps the stored secret (same protocol)."
    )
    saml_entity_id: str = Field("", max_length=2000)
    saml_sso_url: str = Field("", max_length=2000)
    saml_certificate: str = Field("", max_length=20000)
    saml_metadata_xml: str = Field("", max_length=100000)
    email_attribute: str = Field("", max_length=2000)
    first_name_attribute: str = Field("", max_length=2000)
    last_name_attribute: str = Field("", max_length=2000)
    enforce_sso: StrictBool = False
    break_glass_admins: list[int] = Field(default_factory=list, description="Person ids of org admins.")


class SsoOut(
    dataclass_schema(selectors.ProviderSettings, name="SsoFieldsOut", exclude=["break_glass_admins"])
):
    break_glass_admins: list[int]


def _org_admin(request) -> Viewer:
    viewer = api_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may configure single sign-on."))
    return viewer


def _out(provider: IdentityProvider) -> dict:
    current = selectors.provider_settings(provider)
    return {**vars(current), "break_glass_admins": [person.pk for person in current.break_glass_admins]}


def _current(viewer: Viewer) -> IdentityProvider | None:
    return selectors.provider_for_organisation(organisation_id=viewer.organisation_id)


@router.get("", response={200: SsoOut, 404: ErrorOut}, summary="My organisation's single sign-on")
def sso_get(request):
    """404 when single sign-on is not configured."""
    viewer = _org_admin(request)
    provider = _current(viewer)
    if provider is None:
        raise ApiError(404, "not_found", _("Single sign-on is not configured."))
    return _out(provider)


@router.put("", response=SsoOut, summary="Configure single sign-on")
def sso_put(request, payload: SsoIn):
    """Create or replace the configuration; any error refuses all of it (422, per field)."""
    viewer = _org_admin(request)
    data = payload.dict()
    data["domains"] = ", ".join(data["domains"])
    data["break_glass_admin_ids"] = data.pop("break_glass_admins")
    services.identity_provider_save(actor=viewer, data=services.ProviderInput(**data))
    return _out(_current(viewer))


@router.delete("", response={204: None}, summary="Switch single sign-on off")
def sso_delete(request):
    viewer = _org_admin(request)
    services.identity_provider_delete(actor=viewer)
    return Status(204, None)
