"""The published API with each operation's service-account scope in its OpenAPI entry
(`x-service-account-scope`: the scope, or null when no service account may call it), read from the
one table in mentora.serviceaccounts.scopes so the document and the check cannot differ."""

from typing import Any

from ninja.openapi.schema import OpenAPISchema

from mentora.api.middleware import API_PREFIX
from mentora.api.openapi import MentoraAPI
from mentora.serviceaccounts.scopes import scope_for

SCOPE_KEY = "x-service-account-scope"


class ScopedAPI(MentoraAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                operation[SCOPE_KEY] = scope_for(method=method, path=path.removeprefix(API_PREFIX))
        return schema
