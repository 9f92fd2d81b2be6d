from collections import Counter
from collections.abc import Collection
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.api.models import (
    DEFAULT_TOKEN_DAYS,
    MAX_TOKEN_DAYS,
    TOKEN_PREFIX_LENGTH,
    ApiToken,
    TokenScope,
    hash_token,
)
from mentora.audit.models import Action
from mentora.audit.services import record
from mentora.core.refusals import Refusal
from mentora.core.text import check_texts


@transaction.atomic
def api_token_create(
    *, user, name: str, scope: str = TokenScope.READ_WRITE, days: int = DEFAULT_TOKEN_DAYS
) -> tuple[ApiToken, str]:
    """Create a token valid for `days` days and return it with its raw value, which is never stored."""
    if scope not in TokenScope.values:
        raise Refusal(_("Choose a scope from the list."), code="bad_choice", field="scope")
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise Refusal(
            ngettext("Choose from 1 to %(max)d day.", "Choose from 1 to %(max)d days.", MAX_TOKEN_DAYS)
            % {"max": MAX_TOKEN_DAYS},
            code="bad_range",
            field="days",
        )
    check_texts(single_line={"name": name})
    raw = ApiToken.new_raw_value()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        prefix=raw[4 : 4 + TOKEN_PREFIX_LENGTH],
        digest=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    record(action=Action.API_TOKEN_CREATED, actor=user, target=token, details={"scope": scope, "days": days})
    return token, raw


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The unexpired token with this raw value, if its user may still sign in; else None."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user__person")
        .filter(digest=hash_token(raw), expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    person = getattr(token.user, "person", None)
    if person is not None and not person.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def api_token_revoke(*, user, token_id: int) -> None:
    """Delete one of the user's own tokens; anyone else's is "not found"."""
    deleted, _per_model = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise ApiToken.DoesNotExist
    record(action=Action.API_TOKEN_REVOKED, actor=user, details={"token": token_id})


@transaction.atomic
def api_tokens_revoke_all(*, user_ids: Collection[int]) -> int:
    """Delete every token of these users (a leaver, a changed password). Returns how many."""
    held = Counter(ApiToken.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    deleted, _per_model = ApiToken.objects.filter(user_id__in=user_ids).delete()
    for user in get_user_model().objects.filter(pk__in=held).select_related("person"):
        owner = getattr(user, "person", None) or user
        record(action=Action.API_TOKEN_REVOKED, target=owner, details={"all": True, "tokens": held[user.pk]})
    return deleted
