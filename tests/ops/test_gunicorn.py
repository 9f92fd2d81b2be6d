"""gunicorn.conf.py serves Mentora with several workers whose Prometheus counts /metrics sums
(docs/deploy.md "Metrics", "Several workers"). A real gunicorn on a free loopback port."""

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.identity_providers.process import free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


# A port nothing listens on: a fixed one may be another server's, which the test would then probe.
PORT = free_port()
TOKEN = "gunicorn-test-token"


def get(path: str, headers: dict | None = None) -> tuple[int, bytes]:
    # A new connection per request, so that the workers share them.
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_live(process: subprocess.Popen) -> None:
    # Generous: Django starts in each worker on a machine shared with other work.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn stopped"
        try:
            if get("/health/live")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail("gunicorn did not answer /health/live within 120 s")


def worker_count_files(metrics_dir: Path) -> list[Path]:
    return list(metrics_dir.glob("counter_*.db"))


@pytest.fixture
def gunicorn(tmp_path):
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    leftover = metrics_dir / "counter_1.db"
    leftover.write_bytes(b"from an earlier start")
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PRODUCTION": "True",
        "SECRET_KEY": "s" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{PORT}",
        # A database of no tables: pages that need none answer, and readiness says the task table is missing.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "WEB_BIND": f"127.0.0.1:{PORT}",
        "WEB_WORKERS": "2",
        "WEB_THREADS": "2",
        "WEB_ACCESS_LOG": str(tmp_path / "access.log"),
        "METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    # Production pages name their static files by the manifest collectstatic writes, as bin/serve does.
    environment["STATIC_ROOT"] = str(tmp_path / "static")
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert collected.returncode == 0, collected.stderr
    process = subprocess.Popen(
        [str(GUNICORN), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "gunicorn.log", "w"),  # noqa: SIM115 (closed with the process)
    )
    try:
        wait_until_live(process)
        yield {"process": process, "metrics_dir": metrics_dir, "leftover": leftover, "tmp": tmp_path}
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_gunicorn_serves_with_several_workers_whose_counts_metrics_sums(gunicorn):
    assert not gunicorn["leftover"].exists(), "counts of an earlier start are emptied at start"
    assert get("/health/ready")[0] == 503
    assert json.loads(get("/health/ready")[1])["checks"]["tasks"] == "unavailable"

    # Each worker keeps its counts in files of its own, made as it loads Mentora.
    deadline = time.monotonic() + 120
    while len(worker_count_files(gunicorn["metrics_dir"])) < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert len(worker_count_files(gunicorn["metrics_dir"])) == 2

    requests = 40
    for _ in range(requests):
        # Django's 404 page needs no table: counted by the middleware like any page.
        assert get("/no-such-page/")[0] == 404
    status, body = get("/metrics", {"Authorization": f"Bearer {TOKEN}"})
    assert status == 200
    responses = {
        sample.labels["status"]: sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
        if sample.name == "django_http_responses_total_by_status_total"
    }
    assert responses["404"] == requests

    access_log = (gunicorn["tmp"] / "access.log").read_text()
    assert '"GET /no-such-page/ HTTP/1.1" 404' in access_log and "ms\n" in access_log
