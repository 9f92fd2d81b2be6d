"""Service accounts' writes: an org admin creates and revokes them; each call with one is checked
here (expired, revoked, its maker no longer an org admin, a scope it lacks) and every refusal is
audited with its reason."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.api.models import TOKEN_PREFIX_LENGTH, hash_token
from mentora.audit.models import Action
from mentora.audit.services import record
from mentora.core.refusals import Refusal
from mentora.core.roles import Viewer
from mentora.core.text import check_texts
from mentora.organisations.models import Role, RoleMembership
from mentora.serviceaccounts.models import MAX_DAYS, RAW_PREFIX, ServiceAccount
from mentora.serviceaccounts.scopes import SCOPES


class ScopeMissing(Exception):
    """A service account called an operation outside its scopes (`scope` None: no service account may)."""

    def __init__(self, scope: str | None):
        super().__init__(scope)
        self.scope = scope


@dataclass(frozen=True)
class ServiceCaller:
    """Who an API call with a service account's token acts as: the account, with its maker's rights."""

    account: ServiceAccount
    user: object
    can_write: bool = True


def _org_admin(actor: Viewer) -> None:
    if not actor.is_org_admin:
        raise PermissionDenied(_("Only org admins may manage service accounts."))


def _checked_scopes(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise Refusal(
            _("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)},
            code="unknown_scope",
            field="scopes",
        )
    if not scopes:
        raise Refusal(_("Choose at least one scope."), code="no_scope", field="scopes")
    return [scope for scope in SCOPES if scope in scopes]


@transaction.atomic
def service_account_create(
    *, actor: Viewer, name: str, scopes: list[str], expires_at: datetime
) -> tuple[ServiceAccount, str]:
    """A new service account of the actor's organisation; returns it with its token, never stored."""
    _org_admin(actor)
    name = name.strip()
    check_texts(single_line={"name": name})
    if not name:
        raise Refusal(_("Give the service account a name."), code="required", field="name")
    scopes = _checked_scopes(scopes)
    now = timezone.now()
    if timezone.is_naive(expires_at):
        raise Refusal(_("Give the time with its time zone."), code="naive", field="expires_at")
    if not now < expires_at <= now + timezone.timedelta(days=MAX_DAYS):
        message = ngettext(
            "Choose an expiry in the future, at most %(max)d day from now.",
            "Choose an expiry in the future, at most %(max)d days from now.",
            MAX_DAYS,
        ) % {"max": MAX_DAYS}
        raise Refusal(message, code="expiry_out_of_range", field="expires_at")
    raw = ServiceAccount.new_raw_value()
    try:
        with transaction.atomic():
            account = ServiceAccount.objects.create(
                organisation_id=actor.organisation_id,
                name=name,
                scopes=scopes,
                prefix=raw[len(RAW_PREFIX) : len(RAW_PREFIX) + TOKEN_PREFIX_LENGTH],
                digest=hash_token(raw),
                created_by=actor.person,
                expires_at=expires_at,
            )
    except IntegrityError:
        raise Refusal(
            _("Your organisation already has a service account of this name."),
            code="name_taken",
            field="name",
        ) from None
    record(
        action=Action.SERVICE_ACCOUNT_CREATED,
        actor=actor.person,
        target=account,
        details={"name": name, "scopes": scopes, "expires_at": expires_at.isoformat()},
    )
    return account, raw


@transaction.atomic
def service_account_revoke(*, actor: Viewer, account_id: int) -> ServiceAccount:
    """Revoke one of the organisation's service accounts at once; another organisation's is not found."""
    _org_admin(actor)
    account = ServiceAccount.objects.select_for_update().get(
        pk=account_id, organisation_id=actor.organisation_id, revoked_at__isnull=True
    )
    account.revoked_at = timezone.now()
    account.save(update_fields=["revoked_at"])
    record(
        action=Action.SERVICE_ACCOUNT_REVOKED,
        actor=actor.person,
        target=account,
        details={"name": account.name},
    )
    return account


def _refuse(account: ServiceAccount, reason: str, **details) -> None:
    record(
        action=Action.SERVICE_ACCOUNT_REFUSED,
        organisation=account.organisation_id,
        target=account,
        details={"name": account.name, "reason": reason, **details},
    )


def service_account_authenticate(
    *, raw: str, method: str, path: str, scope: str | None
) -> ServiceCaller | None:
    """The caller for this token, or None (unknown, expired, revoked, or its maker is no longer an
    org admin of its organisation: 401). Raises ScopeMissing when the operation needs a scope it
    lacks (403). Every refusal of a known account is audited."""
    account = ServiceAccount.objects.select_related("created_by__user").filter(digest=hash_token(raw)).first()
    if account is None:
        return None
    now = timezone.now()
    maker = account.created_by
    if account.revoked_at is not None:
        _refuse(account, "revoked")
        return None
    if account.expires_at <= now:
        _refuse(account, "expired")
        return None
    maker_is_admin = (
        maker is not None
        and maker.is_active
        and maker.organisation_id == account.organisation_id
        and maker.user.is_active
        and RoleMembership.objects.filter(person=maker, role=Role.ORG_ADMIN).exists()
    )
    if not maker_is_admin:
        _refuse(account, "maker_not_org_admin")
        return None
    if scope is None or scope not in account.scopes:
        _refuse(account, "scope_missing", scope=scope, method=method, path=path)
        raise ScopeMissing(scope)
    ServiceAccount.objects.filter(pk=account.pk).update(last_used_at=now)
    return ServiceCaller(account=account, user=maker.user)
