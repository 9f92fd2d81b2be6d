"""Health endpoints for the load balancer and the orchestrator (docs/deploy.md "Health checks").

`/health/live` says the process answers; it touches nothing else, so a database outage does not get
every web process restarted. `/health/ready` says the process can serve: the database, the cache
and the task queue answer. The checks are django-health-check's,
run with its time limits; the answer names each check and whether it passed, never the error (which
may hold host names), which goes to the log instead.
"""

import asyncio
import dataclasses

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django_tasks import task_backends
from health_check.base import HealthCheck, HealthCheckResult
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable

RQ_BACKEND = "django_tasks_rq.RQBackend"


@dataclasses.dataclass
class DatabaseTaskQueue(HealthCheck):
    """The database task backend's table can be read (the database is up and migrated)."""

    def run(self) -> None:
        from django_tasks_db.models import DBTaskResult

        # A connection of its own, closed afterwards: the check runs in a thread pool, whose threads
        # would otherwise each keep a persistent connection.
        try:
            with connections["default"].temporary_connection():
                DBTaskResult.objects.exists()
        except DatabaseError as error:
            raise ServiceUnavailable("task table unreadable") from error


@dataclasses.dataclass
class RedisTaskQueue(HealthCheck):
    """The Redis server behind an RQ queue answers a ping."""

    queue: str = "default"

    def run(self) -> None:
        import django_rq
        from redis.exceptions import RedisError

        try:
            django_rq.get_connection(self.queue).ping()
        except RedisError as error:
            raise ServiceUnavailable("redis unreachable") from error


def readiness_checks() -> dict[str, HealthCheck]:
    """The checks /health/ready runs, by the name its answer gives them."""
    # Not the read replica: without it only the pages that read from it fail, and taking every web
    # process out of the load balancer for that would stop the whole site.
    checks: dict[str, HealthCheck] = {"database": Database(alias="default"), "cache": Cache()}
    if settings.TASKS["default"]["BACKEND"] == RQ_BACKEND:
        for queue in sorted(task_backends["default"].queues):
            checks[f"tasks:{queue}"] = RedisTaskQueue(queue=queue)
    else:
        checks["tasks"] = DatabaseTaskQueue()
    return checks


async def _run_all(checks: list[HealthCheck]) -> list[HealthCheckResult]:
    return await asyncio.gather(*(check.get_result() for check in checks))


def live(request: HttpRequest) -> JsonResponse:
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


def ready(request: HttpRequest) -> JsonResponse:
    checks = readiness_checks()
    results = async_to_sync(_run_all)(list(checks.values()))
    passed = {name: result.error is None for name, result in zip(checks, results, strict=True)}
    response = JsonResponse(
        {
            "status": "ok" if all(passed.values()) else "unavailable",
            "checks": {name: "ok" if ok else "unavailable" for name, ok in passed.items()},
        },
        status=200 if all(passed.values()) else 503,
    )
    add_never_cache_headers(response)
    return response
