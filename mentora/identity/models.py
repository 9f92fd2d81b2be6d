"""An organisation's identity provider: which django-allauth SocialApp (OpenID Connect or SAML 2.0)
signs its people in, for which e-mail domains, and whether password sign-in is still allowed."""

from allauth.socialaccount.models import SocialApp
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from mentora.organisations.models import Organisation
from mentora.people.models import Person


class Protocol(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


# django-allauth's provider names for the two protocols.
ALLAUTH_PROVIDER = {Protocol.OIDC: "openid_connect", Protocol.SAML: "saml"}


class IdentityProvider(models.Model):
    """One per organisation. The protocol settings live in `app` (allauth reads them from there); the
    client secret is stored there too and never shown back."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="identity_provider"
    )
    app = models.OneToOneField(SocialApp, on_delete=models.PROTECT, related_name="mentora_identity_provider")
    protocol = models.CharField(_("protocol"), max_length=8, choices=Protocol.choices)
    enforce_sso = models.BooleanField(
        _("enforce single sign-on"),
        default=False,
        help_text=_("Password sign-in is refused for the organisation's people, except break-glass admins."),
    )
    break_glass_admins = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("break-glass admins")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        constraints = [
            models.CheckConstraint(
                condition=Q(protocol__in=Protocol.values), name="identity_provider_protocol"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_protocol_display()}"


class SsoDomain(models.Model):
    """An e-mail domain whose people are sent to this provider. A domain belongs to one organisation."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("single sign-on domain")
        verbose_name_plural = _("single sign-on domains")
        constraints = [
            models.CheckConstraint(condition=Q(domain=Lower("domain")), name="sso_domain_lower_case"),
            models.CheckConstraint(condition=~Q(domain=""), name="sso_domain_not_empty"),
        ]

    def __str__(self) -> str:
        return self.domain
