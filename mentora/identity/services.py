"""Writes of the single sign-on configuration. Only an org admin, for their own organisation."""

from collections.abc import Collection
from dataclasses import dataclass

from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mentora.audit.models import Action
from mentora.audit.services import record
from mentora.core.refusals import Refusal
from mentora.core.roles import Viewer
from mentora.identity.models import ALLAUTH_PROVIDER, IdentityProvider, Protocol, SsoDomain
from mentora.identity.validation import (
    clean_certificate,
    clean_domains,
    clean_url,
    parse_saml_metadata,
)
from mentora.organisations.models import Organisation, Role
from mentora.people.models import Person

MAX_FIELD = 2000


@dataclass(frozen=True)
class ProviderInput:
    """What the org admin enters. Blank `client_secret` keeps the stored one; `saml_metadata_xml`,
    when given, fills the SAML entity id, address and certificate."""

    protocol: str
    domains: str
    oidc_issuer: str = ""
    client_id: str = ""
    client_secret: str = ""
    saml_entity_id: str = ""
    saml_sso_url: str = ""
    saml_certificate: str = ""
    saml_metadata_xml: str = ""
    email_attribute: str = ""
    first_name_attribute: str = ""
    last_name_attribute: str = ""
    enforce_sso: bool = False
    break_glass_admin_ids: Collection[int] = ()


def _require_org_admin(actor: Viewer) -> Organisation:
    if not actor.is_org_admin:
        raise PermissionDenied(_("Only org admins may configure single sign-on."))
    return actor.person.organisation


def provider_id_for(organisation: Organisation, protocol: str) -> str:
    """allauth's provider id, in the callback address and on every linked identity."""
    return f"{protocol}-{organisation.slug}"


def _check(errors: dict, field: str, clean, value):
    try:
        return clean(value)
    except ValidationError as error:
        errors.setdefault(field, []).extend(error.messages)
        return None


def _required(errors: dict, data: ProviderInput, fields: Collection[str]) -> None:
    for field in fields:
        if not getattr(data, field).strip():
            errors.setdefault(field, []).append(_("This field is required."))


def _app_settings(data: ProviderInput, errors: dict, existing: SocialApp | None) -> tuple[str, str, dict]:
    """(client id, secret, allauth settings) for the protocol, with what is wrong added to `errors`."""
    for field in data.__dataclass_fields__:
        value = getattr(data, field)
        if isinstance(value, str) and len(value) > (100_000 if field == "saml_metadata_xml" else MAX_FIELD):
            errors.setdefault(field, []).append(_("This is too long."))
    if data.protocol == Protocol.OIDC:
        _required(errors, data, ["oidc_issuer", "client_id"])
        secret = data.client_secret.strip() or (existing.secret if existing else "")
        if not secret:
            errors.setdefault("client_secret", []).append(_("This field is required."))
        issuer = (
            _check(errors, "oidc_issuer", clean_url, data.oidc_issuer) if data.oidc_issuer.strip() else ""
        )
        return data.client_id.strip(), secret, {"server_url": issuer, "oauth_pkce_enabled": True}
    idp = {
        "entity_id": data.saml_entity_id.strip(),
        "sso_url": data.saml_sso_url.strip(),
        "certificate": data.saml_certificate,
    }
    if data.saml_metadata_xml.strip():
        idp = _check(errors, "saml_metadata_xml", parse_saml_metadata, data.saml_metadata_xml) or idp
    else:
        _required(errors, data, ["saml_entity_id", "saml_sso_url", "saml_certificate"])
    if idp["sso_url"]:
        idp["sso_url"] = _check(errors, "saml_sso_url", clean_url, idp["sso_url"])
    if idp["certificate"].strip():
        idp["certificate"] = _check(errors, "saml_certificate", clean_certificate, idp["certificate"])
    mapping = {"uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"]}
    for key, value in (
        ("email", data.email_attribute),
        ("first_name", data.first_name_attribute),
        ("last_name", data.last_name_attribute),
    ):
        if value.strip():
            mapping[key] = [value.strip()]
    settings = {
        "idp": {"entity_id": idp["entity_id"], "sso_url": idp["sso_url"], "x509cert": idp["certificate"]},
        "attribute_mapping": mapping,
        # Without an e-mail attribute the NameID is read as the e-mail address.
        "use_nameid_for_email": not data.email_attribute.strip(),
        "advanced": {"strict": True, "want_assertion_signed": True, "reject_idp_initiated_sso": True},
    }
    return "", "", settings


def _break_glass_admins(organisation: Organisation, ids: Collection[int], errors: dict) -> list[Person]:
    ids = set(ids)
    admins = list(
        Person.objects.filter(
            organisation=organisation, pk__in=ids, is_active=True, role_memberships__role=Role.ORG_ADMIN
        ).distinct()
    )
    if len(admins) != len(ids):
        errors.setdefault("break_glass_admins", []).append(
            _("Break-glass admins must be active org admins of your organisation.")
        )
    return admins


def _identity_of(settings: dict, client_id: str) -> tuple:
    """What names the identity provider: if it changes, links made with the old one are dropped, so
    that a new provider's user ids can never land on the people the old one's ids named."""
    idp = settings.get("idp") or {}
    return (settings.get("server_url"), client_id, idp.get("entity_id"))


@transaction.atomic
def identity_provider_save(*, actor: Viewer, data: ProviderInput) -> IdentityProvider:
    """Create or replace the organisation's identity provider; refuses everything on any error."""
    organisation = _require_org_admin(actor)
    errors: dict[str, list[str]] = {}
    if data.protocol not in Protocol.values:
        raise Refusal([_("Choose OpenID Connect or SAML 2.0.")], code="bad_choice", field="protocol")
    current = (
        IdentityProvider.objects.select_for_update()
        .select_related("app")
        .filter(organisation=organisation)
        .first()
    )
    same_protocol_app = current.app if current and current.protocol == data.protocol else None
    client_id, secret, app_settings = _app_settings(data, errors, same_protocol_app)
    domains = _check(errors, "domains", clean_domains, data.domains) or []
    taken = SsoDomain.objects.filter(domain__in=domains).exclude(provider__organisation=organisation)
    for domain in taken.values_list("domain", flat=True):
        errors.setdefault("domains", []).append(
            _("%(domain)s is already used by another organisation's single sign-on.") % {"domain": domain}
        )
    admins = _break_glass_admins(organisation, data.break_glass_admin_ids, errors)
    if data.enforce_sso and not admins:
        errors.setdefault("break_glass_admins", []).append(
            _(
                "Choose at least one break-glass admin before enforcing single sign-on: they can still sign "
                "in with a password if the identity provider fails."
            )
        )
    if errors:
        raise ValidationError(errors)

    provider_id = provider_id_for(organisation, data.protocol)
    app_fields = {
        "provider": ALLAUTH_PROVIDER[data.protocol],
        "provider_id": provider_id,
        "name": organisation.name[: SocialApp._meta.get_field("name").max_length],
        # SAML's client id is the organisation part of its addresses (/saml/<client id>/acs/).
        "client_id": client_id if data.protocol == Protocol.OIDC else organisation.slug,
        "secret": secret,
        "settings": app_settings,
    }
    if current is None:
        current = IdentityProvider(organisation=organisation)
        app = SocialApp.objects.create(**app_fields)
    else:
        app = current.app
        if current.protocol != data.protocol or _identity_of(app.settings, app.client_id) != _identity_of(
            app_settings, app_fields["client_id"]
        ):
            SocialAccount.objects.filter(provider=app.provider_id).delete()
        for field, value in app_fields.items():
            setattr(app, field, value)
        app.save()
    current.app = app
    current.protocol = data.protocol
    current.enforce_sso = data.enforce_sso
    current.save()
    current.break_glass_admins.set(admins)
    current.domains.exclude(domain__in=domains).delete()
    existing = set(current.domains.values_list("domain", flat=True))
    SsoDomain.objects.bulk_create(
        [SsoDomain(provider=current, domain=domain) for domain in domains if domain not in existing]
    )
    details = {"protocol": data.protocol, "domains": domains, "enforce_sso": data.enforce_sso}
    details["break_glass_admins"] = sorted(admin.pk for admin in admins)
    record(action=Action.SSO_CONFIG_CHANGED, actor=actor, organisation=organisation, details=details)
    return current


@transaction.atomic
def identity_provider_delete(*, actor: Viewer) -> None:
    """Switch single sign-on off: the provider, its domains and every identity linked through it go;
    people sign in with passwords again."""
    organisation = _require_org_admin(actor)
    current = IdentityProvider.objects.select_related("app").filter(organisation=organisation).first()
    if current is None:
        return
    app = current.app
    SocialAccount.objects.filter(provider=app.provider_id).delete()
    current.delete()
    app.delete()
    record(
        action=Action.SSO_CONFIG_CHANGED, actor=actor, organisation=organisation, details={"removed": True}
    )
