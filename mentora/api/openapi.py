"""The published OpenAPI contract, generated from the routers with two guarantees django-ninja lacks:

- every operation documents the error statuses it can answer, each with the API's one error shape
  (`ErrorOut`), derived from what the operation has: a token (401, 403, and 429 once an address has
  guessed too many), ids in its path (404), input (422), a JSON body (400), any body (413), a write
  (409: a refusal by the current state of a record, the one conflict policy; and for a POST, its
  `Idempotency-Key` in use), a POST (422 for its `Idempotency-Key`, a header every POST documents);
  statuses that depend on the operation's own logic (a 404 for an id in the body, …) are declared on
  the operation itself, e.g. `response={201: PersonRefOut, 404: ErrorOut}`;
- two different schemas never share a component name: ninja keeps whichever came last and documents
  the other's responses with the wrong fields, so a clash fails loudly instead.
"""

from http.client import responses as status_phrases
from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.operation import Operation
from ninja.schema import NinjaGenerateJsonSchema

from mentora.api.errors import ErrorOut
from mentora.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from mentora.api.idempotency import MAX_KEY_LENGTH

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SchemaNameClash(Exception):
    """Two different schemas would be published under one component name."""


def error_statuses(operation: Operation) -> set[int]:
    """The error statuses an operation can answer whatever its own logic."""
    sources = {model.__ninja_param_source__ for model in operation.models}
    statuses = set()
    if operation.auth_callbacks:
        statuses |= {401, 403, 429}
    if "path" in sources:
        statuses.add(404)
    if sources:
        statuses.add(422)
    if "body" in sources:
        statuses.add(400)
    if sources & {"body", "form", "file"}:
        statuses.add(413)
    if operation.throttle_objects:
        statuses.add(429)
    if set(operation.methods) - READ_METHODS:
        # A write may be refused because of a record's current state (409 by the one conflict policy,
        # mentora.core.refusals.STATE_CONFLICTS), and a POST because its Idempotency-Key is in use.
        statuses.add(409)
    if "POST" in operation.methods:
        statuses.add(422)
    return statuses


IDEMPOTENCY_KEY_PARAMETER = {
    "in": "header",
    "name": IDEMPOTENCY_HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    "description": "Send a retry with the same key to get the first answer again instead of doing "
    "the operation twice (docs/api.md, Idempotency).",
}


class MentoraOpenAPISchema(OpenAPISchema):
    def operation_parameters(self, operation: Operation) -> list[dict[str, Any]]:
        parameters = super().operation_parameters(operation)
        if "POST" in operation.methods:
            parameters.append(IDEMPOTENCY_KEY_PARAMETER)
        return parameters

    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            if name in self.schemas and self.schemas[name] != definition:
                raise SchemaNameClash(
                    f"Two different schemas are named {name!r}: rename one (e.g. with its app's prefix) "
                    "or share one class."
                )
        super().add_schema_definitions(definitions)

    def _error_reference(self) -> dict[str, Any]:
        schema = ErrorOut.model_json_schema(
            ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema
        )
        self.add_schema_definitions({**schema.pop("$defs", {}), ErrorOut.__name__: schema})
        return {"$ref": REF_TEMPLATE.format(model=ErrorOut.__name__)}

    def responses(self, operation: Operation) -> dict[int, Any]:
        result = super().responses(operation)
        statuses = error_statuses(operation) - set(result)
        if statuses:
            content = {self.api.renderer.media_type: {"schema": self._error_reference()}}
            for status in sorted(statuses):
                result[status] = {"description": status_phrases[status], "content": content}
        return dict(sorted(result.items()))


class MentoraAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return MentoraOpenAPISchema(api=self, path_prefix=path_prefix)
