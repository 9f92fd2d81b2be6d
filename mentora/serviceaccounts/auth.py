"""The API's bearer authentication with service accounts added: a `svc_` token is a service
account's, checked against the scope the called operation needs (mentora.serviceaccounts.scopes);
any other token is a person's (mentora.api.auth.TokenAuth, whose wrong-token throttle covers both)."""

from django.utils.translation import gettext as _

from mentora.api.auth import TokenAuth
from mentora.api.errors import ApiError
from mentora.api.middleware import API_PREFIX
from mentora.serviceaccounts.models import RAW_PREFIX
from mentora.serviceaccounts.scopes import scope_for
from mentora.serviceaccounts.services import ScopeMissing, service_account_authenticate


class OrganisationTokenAuth(TokenAuth):
    def find(self, request, raw: str):
        if not raw.startswith(RAW_PREFIX):
            return super().find(request, raw)
        path = request.path_info.removeprefix(API_PREFIX)
        scope = scope_for(method=request.method, path=path)
        try:
            return service_account_authenticate(raw=raw, method=request.method, path=path, scope=scope)
        except ScopeMissing as refusal:
            if refusal.scope is None:
                raise ApiError(
                    403, "not_for_service_accounts", _("Service accounts may not call this operation.")
                ) from None
            raise ApiError(
                403,
                "scope_missing",
                _("This service account lacks the scope %(scope)s.") % {"scope": refusal.scope},
            ) from None
