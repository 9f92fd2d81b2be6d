"""Matching runs in Prometheus (docs/deploy.md "Metrics"): runs by status, and how long finished runs took.

Read from the runs' own rows at each scrape rather than observed in the worker that ran them: a run
finishes in a task worker, which may be another process or machine than the web process Prometheus
scrapes, and a restart would lose an in-memory histogram. Each finished run counts once, from its
started_at to its finished_at, so the histogram's counts only grow (as Prometheus expects) unless runs
are deleted.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric

from mentora.pairing.models import FINISHED_STATUSES, MatchRun, RunStatus

# Seconds: small programs finish in a second, a 20,000-person run in minutes.
DURATION_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600)


def match_runs_by_status() -> Iterable[Metric]:
    runs = GaugeMetricFamily("mentora_match_runs", "Matching runs, by status.", labels=["status"])
    counts = dict.fromkeys(RunStatus.values, 0)
    by_status = MatchRun.objects.order_by().values("status").annotate(runs=Count("pk"))
    counts.update({row["status"]: row["runs"] for row in by_status})
    for status, count in counts.items():
        runs.add_metric([status], count)
    yield runs


def match_run_durations() -> Iterable[Metric]:
    durations = HistogramMetricFamily(
        "mentora_match_run_duration_seconds",
        "Time from a matching run's start to its end, per outcome.",
        labels=["status"],
    )
    duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    rows = {
        row["status"]: row
        for row in MatchRun.objects.filter(
            status__in=FINISHED_STATUSES, started_at__isnull=False, finished_at__isnull=False
        )
        .annotate(duration=duration)
        .order_by()
        .values("status")
        .annotate(
            runs=Count("pk"),
            total=Sum("duration"),
            **{
                f"within_{bound}": Count("pk", filter=Q(duration__lte=timedelta(seconds=bound)))
                for bound in DURATION_BUCKETS
            },
        )
    }
    for status in FINISHED_STATUSES:
        row = rows.get(status, {})
        buckets = [(str(bound), row.get(f"within_{bound}", 0)) for bound in DURATION_BUCKETS]
        buckets.append(("+Inf", row.get("runs", 0)))
        total = row.get("total") or timedelta(0)
        durations.add_metric([status], buckets, sum_value=total.total_seconds())
    yield durations
