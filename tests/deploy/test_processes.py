"""bin/serve, docker-compose.yml and the Helm chart run exactly the same processes, each through
deploy/entrypoint.sh; bin/serve refuses to start on a forgotten variable; the health checks the
containers use tell a live process from a dead one."""

import os
import re
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
CHART = DEPLOY / "helm" / "mentora"
PRODUCTION_ENV = {
    "PRODUCTION": "True",
    "SECRET_KEY": "test-only",
    "ALLOWED_HOSTS": "mentora.example.org",
    "SITE_URL": "https://mentora.example.org",
    "DATABASE_URL": "postgres://mentora@db/mentora",
    "REDIS_URL": "redis://redis:6379/0",
}
ONE_SHOTS = {"migrate", "collectstatic"}


def run(command: list[str], **env: str) -> subprocess.CompletedProcess:
    base = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENV}
    return subprocess.run(command, cwd=REPO, env={**base, **env}, capture_output=True, text=True, timeout=60)


def serve_plan(**env: str) -> list[str]:
    """The processes `bin/serve --print` says it runs, in order (one line per process)."""
    result = run(["bin/serve", "--print"], **{**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return [line.removeprefix("deploy/entrypoint.sh ") for line in result.stdout.splitlines()]


def compose_processes() -> dict[str, dict]:
    services = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())["services"]
    return {name: service for name, service in services.items() if "command" in service}


def chart_documents() -> list[dict]:
    """The chart's templates as YAML: template actions alone on a line are dropped, others become a
    placeholder (no helm binary here; the templates are kept simple enough for this)."""
    documents = []
    for template in sorted((CHART / "templates").glob("*.yaml")):
        lines = template.read_text().splitlines()
        lines = [line for line in lines if not re.fullmatch(r"\s*\{\{.*\}\}\s*", line)]
        text = re.sub(r"\{\{.*?\}\}", "PLACEHOLDER", "\n".join(lines))
        documents += [document for document in yaml.safe_load_all(text) if document]
    return documents


def chart_containers() -> dict[str, tuple[dict, dict]]:
    """Each container's process name (its args), with the container and the object it belongs to."""
    found = {}
    for document in chart_documents():
        if document["kind"] in ("Deployment", "Job"):
            for container in document["spec"]["template"]["spec"]["containers"]:
                (process,) = container["args"]
                found[process] = (container, document)
    return found


def test_bin_serve_runs_the_web_server_the_scheduler_and_the_workers_of_each_queue():
    plan = serve_plan(TASK_WORKERS="3", MATCHING_WORKERS="2")
    assert plan[:2] == ["migrate", "collectstatic"]
    assert sorted(plan[2:]) == sorted(["web", "scheduler"] + ["worker"] * 3 + ["matching-worker"] * 2)


def test_compose_and_the_chart_run_exactly_bin_serve_s_processes():
    served = set(serve_plan()) - {"collectstatic"}  # the image collects them at build
    compose = {service["command"][0] for service in compose_processes().values()}
    assert compose == served
    assert set(chart_containers()) == served
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["deploy/entrypoint.sh"]' in dockerfile
    assert "deploy/entrypoint.sh collectstatic" in dockerfile
    assert "FROM python:3.11-slim" in dockerfile and "\nUSER mentora\n" in dockerfile
    assert "requirements/base.txt" in dockerfile
    # The image's own virtualenv must not be overwritten by the checkout's (COPY . .).
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    assert {".venv", "var", ".git"} <= set(ignored)


def test_the_entrypoint_starts_each_process_and_knows_no_other():
    labels = set(re.findall(r"^\s+([a-z-]+)\)", (DEPLOY / "entrypoint.sh").read_text(), re.M))
    assert labels == set(serve_plan()) | ONE_SHOTS


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        ("django_tasks_rq.RQBackend", "manage.py rqworker --job-class django_tasks_rq.Job {queue}"),
        ("django_tasks_db.DatabaseBackend", "manage.py db_worker --no-reload --queue-name {queue}"),
    ],
)
def test_each_task_worker_serves_its_own_queue_with_either_backend(backend, expected):
    # PYTHON=echo prints the command the entrypoint would run instead of running it.
    for process, queue in [("worker", "default"), ("matching-worker", settings.MATCHING_QUEUE)]:
        result = run(["deploy/entrypoint.sh", process], PYTHON="echo", TASKS_BACKEND=backend)
        assert result.stdout.strip() == expected.format(queue=queue)
    assert set(settings.TASK_QUEUES) == {"default", settings.MATCHING_QUEUE}


def test_the_web_process_is_gunicorn_with_its_configuration_file():
    result = run(["deploy/entrypoint.sh", "web"], PYTHON="echo")
    assert result.stdout.strip() == "-m gunicorn -c gunicorn.conf.py"
    assert (REPO / "gunicorn.conf.py").is_file()


def test_the_entrypoint_refuses_an_unknown_process_by_listing_the_known_ones():
    result = run(["deploy/entrypoint.sh", "webb"], PYTHON="echo")
    assert result.returncode == 2
    assert "migrate|web|worker|matching-worker|scheduler|collectstatic" in result.stderr


def test_every_container_has_a_health_check_and_web_s_asks_for_readiness():
    services = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())["services"]
    assert {"postgres", "redis"} | set(serve_plan()) - {"collectstatic"} == set(services)
    for name, service in services.items():
        assert service["healthcheck"]["test"][0] == "CMD", name
    for name, service in compose_processes().items():
        if name != "migrate":
            assert service["healthcheck"]["test"][1:] == [".venv/bin/python", "deploy/healthcheck.py", name]
        assert service["environment"]["PRODUCTION"] == "True"
    assert compose_processes()["migrate"]["restart"] == "no"
    healthcheck = (DEPLOY / "healthcheck.py").read_text()
    assert "/health/ready" in healthcheck


def test_the_chart_probes_the_web_server_and_migrates_before_installs_and_upgrades():
    containers = chart_containers()
    web, _ = containers["web"]
    assert web["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert web["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    for process in ("worker", "matching-worker", "scheduler"):
        container, deployment = containers[process]
        assert deployment["kind"] == "Deployment"
        assert container["livenessProbe"]["exec"]["command"][-2:] == ["deploy/healthcheck.py", process]
    _, job = containers["migrate"]
    assert job["kind"] == "Job"
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    for container, _ in containers.values():
        assert container["envFrom"] == [{"secretRef": {"name": "PLACEHOLDER"}}]
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    assert values["secretName"] and "SECRET_KEY" not in values["env"]
    assert {document["kind"] for document in chart_documents()} == {"Deployment", "Job", "Service"}


def test_bin_serve_in_production_names_every_missing_variable_and_starts_nothing():
    result = run(["bin/serve"], PRODUCTION="True")
    assert result.returncode == 2
    for name in ("SECRET_KEY (or SECRET_KEY_FILE)", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL", "REDIS_URL"):
        assert f"  {name}\n" in result.stderr
    assert result.stdout == ""


def test_bin_serve_names_only_what_is_missing():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "ALLOWED_HOSTS"}
    result = run(["bin/serve", "--print"], **env)
    assert result.returncode == 2
    assert result.stderr.splitlines()[1:] == ["  ALLOWED_HOSTS"]


@pytest.mark.parametrize("value", ["0", "two", "-1", ""])
def test_bin_serve_refuses_a_worker_count_that_is_not_a_whole_number_of_at_least_one(value):
    result = run(["bin/serve", "--print"], **PRODUCTION_ENV, TASK_WORKERS=value)
    if value == "":
        # Empty is unset: the default of two workers.
        assert result.returncode == 0 and result.stdout.count("entrypoint.sh worker\n") == 2
        return
    assert result.returncode == 2
    assert f"TASK_WORKERS as a whole number of at least 1 (not '{value}')" in result.stderr


def test_bin_serve_refuses_an_unknown_option():
    result = run(["bin/serve", "--dry"], **PRODUCTION_ENV)
    assert result.returncode == 2 and "usage: bin/serve [--print]" in result.stderr


def healthcheck(process: str, **env: str) -> int:
    return run([sys.executable, "deploy/healthcheck.py", process], **env).returncode


def test_the_scheduler_s_health_check_wants_a_recent_tick(tmp_path, db):
    beat = tmp_path / "scheduler.alive"
    assert healthcheck("scheduler", SCHEDULER_HEARTBEAT_FILE=str(beat)) == 1
    call_command("run_scheduler", "--once", "--heartbeat-file", str(beat), stdout=StringIO())
    assert healthcheck("scheduler", SCHEDULER_HEARTBEAT_FILE=str(beat)) == 0
    an_hour_ago = time.time() - 3600
    os.utime(beat, (an_hour_ago, an_hour_ago))
    assert healthcheck("scheduler", SCHEDULER_HEARTBEAT_FILE=str(beat)) == 1


def test_the_health_checks_fail_when_nothing_answers():
    # Nothing listens on these loopback ports (9128, 9129 are this suite's own).
    assert healthcheck("web", WEB_BIND="127.0.0.1:9128") == 1
    assert healthcheck("worker", REDIS_URL="redis://127.0.0.1:9129/0") == 1


def test_the_health_check_refuses_an_unknown_process():
    result = run([sys.executable, "deploy/healthcheck.py", "wbe"])
    assert result.returncode == 1 and "usage: deploy/healthcheck.py" in result.stderr
