"""Prometheus metrics (docs/deploy.md "Metrics").

Request counts and latencies come from django-prometheus's middleware, counted in each process
(aggregated across gunicorn workers through PROMETHEUS_MULTIPROC_DIR, see gunicorn.conf.py). Figures
that live in the database or the queue (queue depth, matching runs) are read when Prometheus scrapes,
by collectors the apps register here: they are then right whichever process or machine did the work.
"""

import hmac
import ipaddress
import logging
import os
from collections.abc import Callable, Iterable

import prometheus_client
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django_tasks import task_backends
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

ScrapeCollector = Callable[[], Iterable[Metric]]
_scrape_collectors: list[ScrapeCollector] = []


def register_scrape_collector(collector: ScrapeCollector) -> ScrapeCollector:
    """Add a function yielding metric families, read from the database at each scrape."""
    if collector not in _scrape_collectors:
        _scrape_collectors.append(collector)
    return collector


def task_queue_depth() -> Iterable[Metric]:
    """Tasks waiting for a worker, per queue: ready rows of the database backend, or RQ queue lengths."""
    depth = GaugeMetricFamily(
        "mentora_task_queue_depth", "Tasks waiting for a worker, per queue.", labels=["queue"]
    )
    queues = sorted(task_backends["default"].queues)
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
        import django_rq

        counts = {queue: django_rq.get_queue(queue).count for queue in queues}
    else:
        from django_tasks_db.models import DBTaskResult

        counts = dict.fromkeys(queues, 0)
        ready = DBTaskResult.objects.ready().order_by().values("queue_name").annotate(waiting=Count("pk"))
        counts.update({row["queue_name"]: row["waiting"] for row in ready})
    for queue, waiting in counts.items():
        depth.add_metric([queue], waiting)
    yield depth


register_scrape_collector(task_queue_depth)


class _ScrapeTime(Collector):
    def collect(self) -> Iterable[Metric]:
        for collector in _scrape_collectors:
            try:
                # Materialised here, so that a failing query drops this collector's figures only.
                families = list(collector())
            except DatabaseError:
                logger.exception("Metrics collector %s failed", collector.__qualname__)
                continue
            yield from families


class _Registered(Collector):
    """The metrics prometheus_client keeps in this process (one process: no PROMETHEUS_MULTIPROC_DIR)."""

    def collect(self) -> Iterable[Metric]:
        return prometheus_client.REGISTRY.collect()


def exposition() -> bytes:
    registry = prometheus_client.CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Registered())
    registry.register(_ScrapeTime())
    return prometheus_client.generate_latest(registry)


def _client_may_scrape(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    authorization = request.headers.get("Authorization", "")
    if token and authorization.startswith("Bearer "):
        return hmac.compare_digest(authorization.removeprefix("Bearer ").encode(), token.encode())
    try:
        # REMOTE_ADDR, never X-Forwarded-For, which any client can send.
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(allowed) for allowed in settings.METRICS_ALLOWED_IPS)


def metrics(request: HttpRequest) -> HttpResponse:
    if not settings.METRICS_TOKEN and not settings.METRICS_ALLOWED_IPS:
        # Not configured: nothing is exposed.
        return HttpResponse(status=404)
    if not _client_may_scrape(request):
        response = HttpResponse("Forbidden\n", status=403, content_type="text/plain")
        if settings.METRICS_TOKEN:
            response.status_code = 401
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(exposition(), content_type=prometheus_client.CONTENT_TYPE_LATEST)
