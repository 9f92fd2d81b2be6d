"""The operations endpoints, answered before any other middleware.

A load balancer probes by the server's own address (not a name in ALLOWED_HOSTS), over plain HTTP
(before the HTTPS redirect), without a session, many times a minute: none of the rest of the stack
applies to it, and none of these answers carries anything a browser renders. Prometheus scrapes the
same way; /metrics checks its own token or addresses.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from mentora.ops import health, metrics

ENDPOINTS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/health/live": health.live,
    "/health/ready": health.ready,
    "/metrics": metrics.metrics,
}


class OpsEndpointsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        endpoint = ENDPOINTS.get(request.path_info.rstrip("/") or "/")
        if endpoint is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return endpoint(request)
