"""The address and browser of the request being served, for the audit events recorded while it is
served: services record events without being handed the request."""

from contextvars import ContextVar

_current: ContextVar[dict | None] = ContextVar("mentora_audit_request_meta", default=None)


class AuditRequestMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(request.META)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def current_request_meta() -> dict | None:
    """The META of the request being served in this thread or task, if any."""
    return _current.get()
