"""One error shape for the whole API:

{"error": {"code": "not_found", "message": "…", "details": [{"field": …, "message": …}]}}
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


class ApiError(Exception):
    """Raise from an endpoint to answer with a specific status and code."""

    def __init__(self, status: int, code: str, message: str, details: list | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []


class ErrorDetailOut(Schema):
    field: str | None
    message: str


class ErrorBodyOut(Schema):
    code: str
    message: str
    details: list[ErrorDetailOut]


class ErrorOut(Schema):
    """The body of every error answer; the OpenAPI schema documents it for each error status."""

    error: ErrorBodyOut


def error_body(code: str, message: str, details: list | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or []}}


def _django_validation_details(exc: ValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": field, "message": message}
            for field, errors in exc.message_dict.items()
            for message in errors
        ]
    return [{"field": None, "message": message} for message in exc.messages]


def install_error_handlers(api) -> None:
    @api.exception_handler(ApiError)
    def on_api_error(request, exc: ApiError):
        return api.create_response(request, error_body(exc.code, exc.message, exc.details), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def on_schema_error(request, exc: NinjaValidationError):
        details = [
            {"field": ".".join(str(part) for part in err.get("loc", [])), "message": err.get("msg", "")}
            for err in exc.errors
        ]
        return api.create_response(
            request, error_body("invalid_input", "The request is not valid.", details), status=422
        )

    @api.exception_handler(ValidationError)
    def on_django_validation(request, exc: ValidationError):
        return api.create_response(
            request,
            error_body("invalid_input", "The request is not valid.", _django_validation_details(exc)),
            status=422,
        )

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
        return api.create_response(request, error_body("error", str(exc)), status=exc.status_code)
