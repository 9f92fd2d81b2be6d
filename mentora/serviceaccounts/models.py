"""Service accounts: an organisation's credentials for an HR system or a script, not a person's.
Each holds a fixed set of scopes (mentora.serviceaccounts.scopes), expires, can be revoked, and acts
with the org admin rights of the org admin who made it, narrowed to its scopes (docs/api.md#integrate).
Only the token's SHA-256 is stored; the raw value is shown once."""

import secrets

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mentora.api.models import TOKEN_PREFIX_LENGTH
from mentora.organisations.models import Organisation

RAW_PREFIX = "svc_"
MAX_DAYS = 365


class ServiceAccount(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="service_accounts")
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list)
    prefix = models.CharField(max_length=TOKEN_PREFIX_LENGTH, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # Whose org admin rights it acts with; it stops working when they are no longer an org admin.
    created_by = models.ForeignKey("people.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("service account")
        verbose_name_plural = _("service accounts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="service_account_has_a_name"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="service_account_expires_after_creation"
            ),
            models.UniqueConstraint(fields=["organisation", "name"], name="service_account_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_raw_value() -> str:
        return RAW_PREFIX + secrets.token_urlsafe(32)
