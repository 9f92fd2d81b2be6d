"""Checks of what an org admin types into the single sign-on configuration: addresses, domains,
certificates and SAML metadata. Each returns the cleaned value or raises a ValidationError whose
message says what to fix."""

import base64
import binascii
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from cryptography import x509
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

# Plain http is accepted only for an identity provider on this machine (a test or development IdP).
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
DOMAIN_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
PEM_BODY = re.compile(r"-----BEGIN CERTIFICATE-----|-----END CERTIFICATE-----|\s")


def clean_url(value: str) -> str:
    value = value.strip()
    try:
        URLValidator(schemes=["https", "http"])(value)
    except ValidationError:
        raise ValidationError(_("Enter a full address starting with https://."), code="bad_url") from None
    parts = urlsplit(value)
    if parts.scheme != "https" and parts.hostname not in LOOPBACK_HOSTS:
        raise ValidationError(
            _("The address must start with https:// (plain http only for a provider on this machine)."),
            code="bad_url",
        )
    return value


def clean_domains(value: str) -> list[str]:
    """Domains separated by commas, spaces or lines, lower-cased, without "@"."""
    domains = []
    for raw in re.split(r"[\s,;]+", value.strip().lower()):
        domain = raw.lstrip("@")
        if not domain:
            continue
        if not DOMAIN_PATTERN.match(domain):
            raise ValidationError(
                _("“%(domain)s” is not an e-mail domain (such as example.com)."),
                code="bad_domain",
                params={"domain": raw},
            )
        if domain not in domains:
            domains.append(domain)
    if not domains:
        raise ValidationError(_("Enter at least one e-mail domain of your people."), code="required")
    return domains


def clean_certificate(value: str) -> str:
    """A PEM certificate, with or without its BEGIN/END lines; returned as its base64 body."""
    body = PEM_BODY.sub("", value)
    try:
        der = base64.b64decode(body, validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except (binascii.Error, ValueError):
        raise ValidationError(
            _(
                "This is not an X.509 certificate: paste the PEM text, from -----BEGIN CERTIFICATE----- "
                "to -----END CERTIFICATE-----."
            ),
            code="bad_certificate",
        ) from None
    if certificate.not_valid_after_utc < datetime.now(UTC):
        raise ValidationError(
            _("This certificate expired on %(date)s: ask your identity provider for its current one."),
            code="expired_certificate",
            params={"date": certificate.not_valid_after_utc.date().isoformat()},
        )
    return body


def parse_saml_metadata(xml: str) -> dict[str, str]:
    """The IdP's entity id, single sign-on address and signing certificate read from its metadata."""
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml.strip().encode())
    except Exception:  # lxml and the parser raise many kinds: all mean "not metadata".
        parsed = {}
    idp = parsed.get("idp") or {}
    entity_id = idp.get("entityId", "")
    sso_url = (idp.get("singleSignOnService") or {}).get("url", "")
    certificate = idp.get("x509cert") or next(iter((idp.get("x509certMulti") or {}).get("signing", [])), "")
    if not (entity_id and sso_url and certificate):
        raise ValidationError(
            _(
                "This is not an identity provider's SAML metadata with an entity id, a single sign-on "
                "address (HTTP-Redirect) and a signing certificate."
            ),
            code="bad_metadata",
        )
    return {"entity_id": entity_id, "sso_url": sso_url, "certificate": certificate}
