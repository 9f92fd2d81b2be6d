"""Which person an identity from an organisation's provider signs in (just-in-time linking).

- An identity linked before signs in its person, if that person is still active and still of the
  provider's organisation.
- A new identity is linked to the active person of the provider's organisation whose e-mail it
  carries, if the e-mail is verified: the provider says so (OpenID Connect's `email_verified`), or
  the address is in one of the organisation's own single sign-on domains (its provider is the
  authority for them; SAML has no such claim).
- Nobody is created: an e-mail with no person in the organisation is refused (people come from the
  HR import, invitations and provisioning). Another organisation's people are never looked at.
"""

from allauth.socialaccount.models import SocialLogin
from django.utils.translation import gettext as _

from mentora.identity.models import IdentityProvider
from mentora.identity.selectors import email_domain
from mentora.people.models import Person


class SsoRefusal(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


def _verified_email(provider: IdentityProvider, sociallogin: SocialLogin) -> str:
    email = (sociallogin.user.email or "").strip().lower()
    if not email:
        raise SsoRefusal(
            "no_email",
            _(
                "Your identity provider did not send your e-mail address, so Mentora cannot tell who you "
                "are. Ask your IT team to release the e-mail attribute to Mentora."
            ),
        )
    said_verified = any(
        address.verified and address.email.strip().lower() == email for address in sociallogin.email_addresses
    )
    own_domain = provider.domains.filter(domain=email_domain(email)).exists()
    if not (said_verified or own_domain):
        raise SsoRefusal(
            "unverified_email",
            _(
                "Your identity provider did not confirm that %(email)s is verified, and it is not an "
                "address of your organisation's domains."
            )
            % {"email": email},
        )
    return email


def _check_person(provider: IdentityProvider, person: Person | None) -> Person:
    if person is None or person.organisation_id != provider.organisation_id:
        raise SsoRefusal(
            "unknown_person",
            _(
                "There is no Mentora account for you in %(organisation)s. Ask your org admin to add you "
                "(from the HR import or an invitation), then sign in again."
            )
            % {"organisation": provider.organisation.name},
        )
    if not person.is_active or not person.user.is_active:
        raise SsoRefusal(
            "deactivated",
            _("Your Mentora account is deactivated. Ask your org admin if you think this is a mistake."),
        )
    return person


def person_for_identity(*, provider: IdentityProvider | None, sociallogin: SocialLogin) -> Person:
    """The person this identity signs in, or SsoRefusal saying why nobody."""
    if provider is None:
        raise SsoRefusal(
            "not_configured", _("This identity provider is not configured for any organisation in Mentora.")
        )
    if sociallogin.is_existing:
        person = Person.objects.select_related("user").filter(user=sociallogin.user).first()
        return _check_person(provider, person)
    email = _verified_email(provider, sociallogin)
    person = (
        Person.objects.select_related("user")
        .filter(organisation_id=provider.organisation_id, email__iexact=email)
        .first()
    )
    return _check_person(provider, person)
