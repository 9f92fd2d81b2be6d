import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX_LENGTH = 8
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 365


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the raw value is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=TOKEN_PREFIX_LENGTH, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=16, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=TokenScope.values), name="api_token_valid_scope"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="api_token_expires_after_creation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE

    @staticmethod
    def new_raw_value() -> str:
        return "mnt_" + secrets.token_urlsafe(32)


class IdempotentRequest(models.Model):
    """A POST sent with an `Idempotency-Key`, answered once (mentora/api/idempotency.py): whose key it is
    (the SHA-256 of the caller's token), the request's fingerprint, and once answered, the answer a
    retry is given again. The unique pair (owner, key) is what lets only one of two concurrent requests
    run; rows older than IDEMPOTENCY_KEY_HOURS are forgotten."""

    owner = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    path = models.CharField(max_length=2000)
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)
    # Null while the first request is being answered.
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=2000, blank=True)
    body = models.BinaryField(blank=True, default=b"")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="api_idempotency_key_once_per_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.path})"
