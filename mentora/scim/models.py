"""Bearer tokens with which an organisation's identity provider (Okta, Entra ID) provisions people
over SCIM 2.0. A token belongs to the organisation, not to a person; only its SHA-256 is stored."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from mentora.api.models import TOKEN_PREFIX_LENGTH
from mentora.organisations.models import Organisation
from mentora.people.models import Person

RAW_PREFIX = "scim_"


class ScimToken(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="scim_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=TOKEN_PREFIX_LENGTH, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SCIM token")
        verbose_name_plural = _("SCIM tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="scim_token_has_a_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_raw_value() -> str:
        return RAW_PREFIX + secrets.token_urlsafe(32)
