"""Reads of the single sign-on configuration: whose provider an address or a callback belongs to,
and whether a password sign-in is still allowed for someone."""

from django.db.models import Prefetch

from mentora.identity.models import IdentityProvider, SsoDomain
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
