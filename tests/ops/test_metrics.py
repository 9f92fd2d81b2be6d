"""/metrics (docs/deploy.md "Metrics"): who may scrape, request metrics, queue depth, matching runs."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import task, task_backends
from prometheus_client.parser import text_string_to_metric_families

from mentora.pairing.models import MatchRun, RunStatus
from tests.ops.test_health import LOCAL_REDIS, redis_answers
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db

TOKEN = "a-scraper-token-of-this-installation"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def scraper_token(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []


def samples(response) -> dict[tuple[str, tuple], float]:
    """Every sample of the exposition, by name and sorted labels."""
    assert response.status_code == 200, response.content
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_metrics_are_not_served_until_a_token_or_addresses_are_set(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    assert client.get("/metrics").status_code == 404


def test_a_scraper_without_the_token_is_refused(client, scraper_token):
    response = client.get("/metrics")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"mentora_" not in response.content


def test_a_wrong_token_is_refused(client, scraper_token):
    assert client.get("/metrics", headers={"Authorization": "Bearer not-the-token"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 401


def test_the_token_opens_the_metrics(client, scraper_token):
    response = client.get("/metrics", headers=BEARER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")


def test_an_allowed_network_may_scrape_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8", "192.0.2.7"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.8").status_code == 403


def test_a_forwarded_for_header_does_not_make_an_allowed_address(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert response.status_code == 403


def test_requests_are_counted_by_view_and_status(client, scraper_token):
    key = (
        "django_http_responses_total_by_status_view_method_total",
        (("method", "GET"), ("status", "200"), ("view", "login")),
    )
    before = samples(client.get("/metrics", headers=BEARER)).get(key, 0)
    for _ in range(3):
        assert client.get("/accounts/login/").status_code == 200
    assert samples(client.get("/metrics", headers=BEARER))[key] == before + 3


def test_probes_and_scrapes_are_not_counted(client, scraper_token):
    def counted(page: dict) -> float:
        return sum(v for (name, _), v in page.items() if name == "django_http_requests_total_by_method_total")

    before = counted(samples(client.get("/metrics", headers=BEARER)))
    client.get("/health/live")
    client.get("/health/ready")
    assert counted(samples(client.get("/metrics", headers=BEARER))) == before


@task()
def waiting_task() -> None:
    """Never run: it only waits in a queue."""


def test_queue_depth_counts_the_tasks_ready_per_queue(client, scraper_token, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "matching"]}
    }
    for queue, count in (("default", 2), ("matching", 1)):
        for _ in range(count):
            waiting_task.using(queue_name=queue).enqueue()
    # A task that has started is no longer waiting, nor is one due later.
    DBTaskResult.objects.filter(queue_name="default").update(status="RUNNING")
    waiting_task.using(queue_name="default").enqueue()
    waiting_task.using(queue_name="matching", run_after=timezone.now() + timedelta(hours=1)).enqueue()

    page = samples(client.get("/metrics", headers=BEARER))
    assert page[("mentora_task_queue_depth", (("queue", "default"),))] == 1
    assert page[("mentora_task_queue_depth", (("queue", "matching"),))] == 1


@pytest.mark.skipif(not redis_answers(), reason=f"no Redis at {LOCAL_REDIS}")
def test_queue_depth_is_the_rq_queue_length(client, scraper_token, settings):
    import django_rq

    busy, idle = f"ops-test-{uuid.uuid4().hex[:8]}", f"ops-test-{uuid.uuid4().hex[:8]}"
    settings.RQ_QUEUES = {queue: {"URL": LOCAL_REDIS} for queue in (busy, idle)}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [busy, idle]}}
    # Enqueued at once, not when the test's transaction commits (it never does).
    queue = django_rq.get_queue(busy, commit_mode="auto")
    try:
        for _ in range(3):
            queue.enqueue("builtins.print")
        page = samples(client.get("/metrics", headers=BEARER))
    finally:
        queue.empty()
    assert page[("mentora_task_queue_depth", (("queue", busy),))] == 3
    assert page[("mentora_task_queue_depth", (("queue", idle),))] == 0
    assert sorted(task_backends["default"].queues) == sorted([busy, idle])


def finished_run(program, status: str, seconds: float) -> MatchRun:
    started = timezone.now() - timedelta(hours=2)
    return MatchRun.objects.create(
        program=program, status=status, started_at=started, finished_at=started + timedelta(seconds=seconds)
    )


def test_matching_runs_by_status_and_their_durations(
    client, scraper_token, org, pam, django_assert_num_queries
):
    program = ProgramFactory(organisation=org, name="Engineering mentoring", managers=[pam])
    for seconds in (0.5, 3, 45, 700):
        finished_run(program, RunStatus.SUCCEEDED, seconds)
    finished_run(program, RunStatus.FAILED, 20)
    MatchRun.objects.create(program=program, status=RunStatus.RUNNING, started_at=timezone.now())
    MatchRun.objects.create(program=program, status=RunStatus.QUEUED)
    # Failed before it started (its worker never picked it up): a status, but no duration.
    MatchRun.objects.create(program=program, status=RunStatus.FAILED, finished_at=timezone.now())

    # One query per collector: the queue depth, the runs by status, the durations.
    with django_assert_num_queries(3):
        page = samples(client.get("/metrics", headers=BEARER))

    def runs(status):
        return page[("mentora_match_runs", (("status", status),))]

    assert (runs("queued"), runs("running"), runs("succeeded"), runs("failed")) == (1, 1, 4, 2)

    def bucket(status, bound):
        return page[("mentora_match_run_duration_seconds_bucket", (("le", bound), ("status", status)))]

    succeeded = [bucket("succeeded", bound) for bound in ("1", "5", "60", "600", "1800", "+Inf")]
    assert succeeded == [1, 2, 3, 3, 4, 4]

    def total(status, part):
        return page[(f"mentora_match_run_duration_seconds_{part}", (("status", status),))]

    assert total("succeeded", "count") == 4
    assert total("succeeded", "sum") == pytest.approx(748.5)
    assert [bucket("failed", bound) for bound in ("15", "30", "+Inf")] == [0, 1, 1]
    assert (total("failed", "count"), total("failed", "sum")) == (1, pytest.approx(20))
