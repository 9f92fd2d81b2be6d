"""Reads of the single sign-on configuration: whose provider an address or a callback belongs to,
and whether a password sign-in is still allowed for someone."""

from dataclasses import dataclass

from django.db.models import Prefetch

from mentora.identity.models import IdentityProvider, Protocol, SsoDomain
from mentora.organisations.models import Role
from mentora.people.models import Person


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def provider_for_organisation(*, organisation_id: int) -> IdentityProvider | None:
    return (
        IdentityProvider.objects.select_related("app", "organisation")
        .prefetch_related(
            Prefetch("domains", queryset=SsoDomain.objects.order_by("domain")),
            Prefetch("break_glass_admins", queryset=Person.objects.order_by("full_name")),
        )
        .filter(organisation_id=organisation_id)
        .first()
    )


@dataclass(frozen=True)
class ProviderSettings:
    """A provider's configuration as the org admin reads it (the settings page's form and the API),
    never its client secret: only whether one is set."""

    protocol: Protocol
    domains: list[str]
    oidc_issuer: str
    client_id: str
    client_secret_set: bool
    saml_entity_id: str
    saml_sso_url: str
    saml_certificate: str
    email_attribute: str
    first_name_attribute: str
    last_name_attribute: str
    enforce_sso: bool
    break_glass_admins: list[Person]


def provider_settings(provider: IdentityProvider) -> ProviderSettings:
    """Read from the provider as `provider_for_organisation` loads it (domains and admins prefetched)."""
    settings = provider.app.settings
    idp = settings.get("idp") or {}
    mapping = settings.get("attribute_mapping") or {}
    oidc = provider.protocol == Protocol.OIDC
    return ProviderSettings(
        protocol=Protocol(provider.protocol),
        domains=[domain.domain for domain in provider.domains.all()],
        oidc_issuer=settings.get("server_url", ""),
        client_id=provider.app.client_id if oidc else "",
        client_secret_set=oidc and bool(provider.app.secret),
        saml_entity_id=idp.get("entity_id", ""),
        saml_sso_url=idp.get("sso_url", ""),
        saml_certificate=idp.get("x509cert", ""),
        email_attribute=(mapping.get("email") or [""])[0],
        first_name_attribute=(mapping.get("first_name") or [""])[0],
        last_name_attribute=(mapping.get("last_name") or [""])[0],
        enforce_sso=provider.enforce_sso,
        break_glass_admins=list(provider.break_glass_admins.all()),
    )


def provider_for_email(*, email: str) -> IdentityProvider | None:
    """The provider configured for the address's domain, if any (nothing about the person is read,
    so the answer does not tell whether the address has an account)."""
    domain = SsoDomain.objects.select_related("provider__app", "provider__organisation").filter(
        domain=email_domain(email)
    )
    found = domain.first()
    return found.provider if found else None


def provider_for_app(*, provider_id: str) -> IdentityProvider | None:
    """The provider whose allauth app has this provider id (the id on every linked identity)."""
    return (
        IdentityProvider.objects.select_related("app", "organisation")
        .prefetch_related("domains")
        .filter(app__provider_id=provider_id)
        .first()
    )


def is_break_glass_admin(*, provider: IdentityProvider, person: Person) -> bool:
    """Flagged on the configuration page and still an org admin."""
    return (
        provider.break_glass_admins.filter(pk=person.pk).exists()
        and person.role_memberships.filter(role=Role.ORG_ADMIN).exists()
    )


def password_sign_in_refusal(*, login: str) -> IdentityProvider | None:
    """The provider that enforces single sign-on for whoever signs in with this e-mail, or None if a
    password is allowed (no enforcement, or a break-glass admin). An address with no person is
    answered by its domain, as one with a person: the answer does not tell whether it has an account."""
    login = (login or "").strip()
    if not login:
        return None
    people = Person.objects.select_related("organisation__identity_provider")
    person = (
        people.filter(user__username__iexact=login).first()
        or people.filter(user__email__iexact=login).first()
    )
    if person is None:
        provider = provider_for_email(email=login)
        return provider if provider is not None and provider.enforce_sso else None
    provider = getattr(person.organisation, "identity_provider", None)
    if provider is None or not provider.enforce_sso:
        return None
    if is_break_glass_admin(provider=provider, person=person):
        return None
    return provider
