from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from mentora.api.errors import ApiError
from mentora.api.services import api_token_authenticate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _failures_key(request) -> str:
    return f"mentora:api-token-failures:{get_client_ip_address(request)}"


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; tokens are created on the "API tokens" page.

    Guessing tokens is throttled per client address: after API_TOKEN_FAILURE_LIMIT wrong tokens
    within API_TOKEN_FAILURE_WINDOW seconds, every bearer request from that address gets 429
    until the window ends. A read-only token is refused on writes.
    """

    def authenticate(self, request, token: str):
        key = _failures_key(request)
        if cache.get(key, 0) >= settings.API_TOKEN_FAILURE_LIMIT:
            raise ApiError(
                429, "too_many_attempts", _("Too many wrong API tokens from your address: try again later.")
            )
        found = self.find(request, token)
        if found is None:
            if not cache.add(key, 1, timeout=settings.API_TOKEN_FAILURE_WINDOW):
                cache.incr(key)
            return None
        if request.method not in SAFE_METHODS and not found.can_write:
            raise ApiError(
                403, "read_only_token", _("This API token is read-only: it cannot change anything.")
            )
        request.user = found.user
        return found

    def find(self, request, raw: str):
        """The token's holder (anything with `user` and `can_write`), or None; the roof's auth adds
        service accounts (mentora.serviceaccounts.auth)."""
        return api_token_authenticate(raw=raw)
