from django.utils import timezone

from mentora.api.models import TOKEN_PREFIX_LENGTH, ApiToken, hash_token


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its raw value, which is never stored."""
    raw = ApiToken.new_raw_value()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[4 : 4 + TOKEN_PREFIX_LENGTH], digest=hash_token(raw)
    )
    return token, raw


def api_token_authenticate(*, raw: str):
    """Return the active user owning this raw token, or None."""
    token = ApiToken.objects.select_related("user").filter(digest=hash_token(raw)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def api_token_revoke(*, user, token_id: int) -> None:
    """Delete one of the user's own tokens; anyone else's is "not found"."""
    deleted, _per_model = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise ApiToken.DoesNotExist
