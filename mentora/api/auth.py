from ninja.security import HttpBearer

from mentora.api.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; tokens are created on the "API tokens" page."""

    def authenticate(self, request, token: str):
        user = api_token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user
