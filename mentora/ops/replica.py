"""Reads of the heavy read pages from a read replica (docs/deploy.md "Read replica").

Only when DATABASE_REPLICA_URL adds the `replica` database. Reads go to it only while a view named in
DATABASE_REPLICA_VIEWS answers a GET or HEAD, and then only until something is written: every write,
every read inside a transaction and every read after a write in the same request go to the primary.
A browser that has just sent a write (a POST) is kept on the primary for DATABASE_REPLICA_PIN_SECONDS,
so that the page it is sent to next shows what it wrote even if the replica lags behind.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "mentora_primary"
SAFE_METHODS = ("GET", "HEAD")


class _RequestReads:
    """Where this request's reads may go; a write switches the rest of the request to the primary."""

    def __init__(self) -> None:
        self.wrote = False


_replica_reads: ContextVar[_RequestReads | None] = ContextVar("replica_reads", default=None)


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        reads = _replica_reads.get()
        if reads is None or reads.wrote or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        reads = _replica_reads.get()
        if reads is not None:
            reads.wrote = True
        return PRIMARY

    def allow_relation(self, first: Model, second: Model, **hints: Any) -> bool:
        # Both hold the same rows.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


class ReplicaReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if REPLICA not in settings.DATABASES:
            return self.get_response(request)
        try:
            response = self.get_response(request)
        finally:
            token = getattr(request, "_replica_reads_token", None)
            if token is not None:
                _replica_reads.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> None:
        if (
            REPLICA in settings.DATABASES
            and request.method in SAFE_METHODS
            and PIN_COOKIE not in request.COOKIES
            and request.resolver_match is not None
            and request.resolver_match.view_name in settings.DATABASE_REPLICA_VIEWS
        ):
            request._replica_reads_token = _replica_reads.set(_RequestReads())
