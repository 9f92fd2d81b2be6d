"""Every error under /api/ answers in the API's one error shape, including those answered outside an
endpoint: an unknown path (Django's 404), a method the path does not take (ninja's 405), a crash
(Django's 500, with DEBUG off) or a request Django refuses before the API sees it (400)."""

from http import HTTPStatus
from http.client import responses as status_phrases

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse

from mentora.api.errors import error_body

API_PREFIX = "/api/"
CODES = {
    HTTPStatus.BAD_REQUEST: "bad_request",
    HTTPStatus.FORBIDDEN: "forbidden",
    HTTPStatus.NOT_FOUND: "not_found",
    HTTPStatus.METHOD_NOT_ALLOWED: "method_not_allowed",
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE: "too_large",
    HTTPStatus.INTERNAL_SERVER_ERROR: "server_error",
}
# Headers of the original answer that still mean something on the JSON one.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _is_json(response: HttpResponseBase) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() == "application/json"


class ApiErrorShapeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        status = response.status_code
        if (
            status < 400
            or not request.path_info.startswith(API_PREFIX)
            or _is_json(response)
            or (settings.DEBUG and status == HTTPStatus.INTERNAL_SERVER_ERROR)  # keep the traceback page
        ):
            return response
        shaped = JsonResponse(
            error_body(CODES.get(status, "error"), f"{status_phrases.get(status, 'Error')}."), status=status
        )
        for header in KEPT_HEADERS:
            if header in response:
                shaped[header] = response[header]
        return shaped
