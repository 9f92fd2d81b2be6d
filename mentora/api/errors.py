"""One error shape for the whole API:

{"error": {"code": "mentor_full", "message": "…", "field": "mentor_id",
           "details": [{"field": "mentor_id", "code": "mentor_full", "message": "…"}]}}

`code` is stable: a refusal of a service's rule carries the rule's code (`mentora.core.refusals`),
answered 409 when it is a conflict with the current state (`STATE_CONFLICTS`) and 422 otherwise;
anything else one of the API's own codes (`API_CODES`); `field` is the input the error concerns, null
when it concerns the request as a whole or several inputs (then `details` has one entry per field).
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from mentora.core.refusals import REFUSAL_CODES, refusal_status

# The API's own codes, beside the services' rule codes; docs/api.md lists both.
API_CODES: dict[str, str] = {
    "invalid_input": "The input does not fit the schema, or several rules refused it: see `details`.",
    "bad_request": "The request could not be read.",
    "invalid_json": "The body is not JSON (or not UTF-8): `field` is `body`.",
    "unauthenticated": "No token, or an unknown, expired or revoked one.",
    "forbidden": "The caller may not do this.",
    "no_person": "The caller's account is not linked to a person.",
    "read_only_token": "A read-only token tried to change something.",
    "not_found": "The path or the record does not exist, or belongs to another organisation.",
    "method_not_allowed": "The path does not take this method (`Allow` lists those it does).",
    "too_large": "The body is larger than the server accepts.",
    "file_too_large": "The uploaded file is larger than the import accepts.",
    "too_many_attempts": "Too many wrong tokens from this address.",
    "sign_in_locked": "Token creation: sign-in is locked after too many wrong passwords or codes.",
    "invalid_credentials": "Token creation: the e-mail address or password is not right.",
    "code_required": "Token creation: the account has a second factor; send its `code`.",
    "invalid_code": "Token creation: the second factor's code is not right.",
    "mfa_setup_required": "Set up the second factor the organisation requires first (any signed-in call).",
    "csrf_failed": "Token creation from a signed-in page: the CSRF token is missing or wrong.",
    "not_for_service_accounts": "Service accounts may not call this operation.",
    "scope_missing": "The service account lacks the scope this operation needs.",
    "invalid_invitation": "The invitation is for another program.",
    "idempotency_key_reused": "The `Idempotency-Key` was used before with a different request.",
    "idempotency_in_progress": "A request with this `Idempotency-Key` is still being answered.",
    "export_expired": "The export's download time is over (or it failed): ask for a new one.",
    "server_error": "A fault on the server, logged there.",
    "error": "Any other error status (its HTTP reason phrase says which).",
}


def error_codes_markdown() -> str:
    """The two tables of error codes in docs/api.md, generated from the registries (the API's own codes
    and the services' rule codes); tests/api/test_errors_documented.py keeps the page equal to them."""
    own = ["| code (the API's own) | meaning |", "| --- | --- |"]
    own += [f"| `{code}` | {meaning} |" for code, meaning in sorted(API_CODES.items())]
    # A rule's code has one status, by the conflict policy (mentora.core.refusals.STATE_CONFLICTS).
    rules = ["| code (a service's rule) | status | meaning |", "| --- | --- | --- |"]
    rules += [
        f"| `{code}` | {refusal_status(code)} | {meaning} |"
        for code, meaning in sorted(REFUSAL_CODES.items())
    ]
    return "\n".join(own) + "\n\n" + "\n".join(rules) + "\n"


class ApiError(Exception):
    """Raise from an endpoint to answer with a specific status and code."""

    def __init__(
        self, status: int, code: str, message: str, details: list | None = None, *, field: str | None = None
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        self.field = field


class ErrorDetailOut(Schema):
    field: str | None
    code: str | None
    message: str


class ErrorBodyOut(Schema):
    code: str
    message: str
    field: str | None
    details: list[ErrorDetailOut]


class ErrorOut(Schema):
    """The body of every error answer; the OpenAPI schema documents it for each error status."""

    error: ErrorBodyOut


def error_body(code: str, message: str, details: list | None = None, *, field: str | None = None) -> dict:
    details = [{"field": None, "code": None, **detail} for detail in details or []]
    return {"error": {"code": code, "message": message, "field": field, "details": details}}


def _detail(field: str | None, error: ValidationError) -> dict:
    return {"field": field, "code": error.code, "message": " ".join(error)}


def refusal_details(exc: ValidationError) -> list[dict]:
    """One entry per message of a service's ValidationError, each with its field and code."""
    if hasattr(exc, "error_dict"):
        return [
            _detail(None if field == NON_FIELD_ERRORS else field, error)
            for field, errors in exc.error_dict.items()
            for error in errors
        ]
    return [_detail(None, error) for error in exc.error_list]


def refusal_answer(exc: ValidationError) -> tuple[str, str, str | None, list[dict]]:
    """The code, message, field and details the API answers a service's refusal with: the rule's own
    code when one rule refused (on one field or none), `invalid_input` otherwise."""
    details = refusal_details(exc)
    codes = {detail["code"] for detail in details if detail["code"] in REFUSAL_CODES}
    if len(codes) == 1:
        (code,) = codes
        concerned = [detail for detail in details if detail["code"] == code]
        message = " ".join(detail["message"] for detail in concerned)
    else:
        code, concerned, message = "invalid_input", details, "The request is not valid."
    fields = {detail["field"] for detail in concerned}
    field = fields.pop() if len(fields) == 1 else None
    return code, message, field, details


def _schema_details(exc: NinjaValidationError) -> list[dict]:
    """pydantic's errors, one entry per field (its path, e.g. `body.payload.seniority`)."""
    by_field: dict[str, dict] = {}
    for err in exc.errors:
        field = ".".join(str(part) for part in err.get("loc", []))
        if field in by_field:
            by_field[field]["message"] += " " + err.get("msg", "")
        else:
            by_field[field] = {"field": field, "code": err.get("type"), "message": err.get("msg", "")}
    return list(by_field.values())


def install_error_handlers(api) -> None:
    @api.exception_handler(ApiError)
    def on_api_error(request, exc: ApiError):
        body = error_body(exc.code, exc.message, exc.details, field=exc.field)
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def on_schema_error(request, exc: NinjaValidationError):
        details = _schema_details(exc)
        field = details[0]["field"] if len(details) == 1 else None
        body = error_body("invalid_input", "The request is not valid.", details, field=field)
        return api.create_response(request, body, status=422)

    @api.exception_handler(ValidationError)
    def on_django_validation(request, exc: ValidationError):
        # The one place a service's refusal becomes an HTTP answer: its status follows the conflict
        # policy (mentora.core.refusals.STATE_CONFLICTS), the same for every endpoint.
        code, message, field, details = refusal_answer(exc)
        status = refusal_status(code) if code in REFUSAL_CODES else 422
        params = getattr(exc, "params", None) or {}
        if code == "stale" and "version" in params:
            # The current version, so that the caller can read it again and resend.
            details = [{"field": "version", "code": code, "message": str(params["version"])}]
        return api.create_response(request, error_body(code, message, details, field=field), status=status)

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request, exc):
        return api.create_response(
            request, error_body("unauthenticated", "A valid API token is required."), status=401
        )

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request, exc):
        return api.create_response(
            request, error_body("forbidden", str(exc) or "You may not do this."), status=403
        )

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return api.create_response(request, error_body("not_found", "Not found."), status=404)

    @api.exception_handler(RequestDataTooBig)
    def on_too_large(request, exc):
        # Django reads the body only when ninja asks for it, so the size limit surfaces here.
        message = f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
        return api.create_response(request, error_body("too_large", message), status=413)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, NinjaValidationError):
            # A body the API's parser refused (see mentora.api.parser), not one it could not read.
            return on_schema_error(request, exc.__cause__)
        if isinstance(exc.__cause__, ValueError):
            # ninja's 400 for a body it could not parse: json's JSONDecodeError or UnicodeDecodeError.
            body = error_body("invalid_json", "The request body is not valid JSON.", field="body")
            return api.create_response(request, body, status=400)
        return api.create_response(request, error_body("error", str(exc)), status=exc.status_code)
