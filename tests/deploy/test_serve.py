"""bin/serve starts its processes through the entrypoint and stops them all: on Ctrl+C, on SIGTERM,
and when one of them stops on its own. The processes here are stand-ins (PYTHON is a script that
records its command and sleeps), so that the supervision is tested without starting Django."""

import contextlib
import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests.deploy.processes import process_tree, wait_until
from tests.deploy.test_processes import PRODUCTION_ENV, REPO

STAND_IN = """#!/usr/bin/env bash
echo "$*" >> "{log}"
case "$1 $2" in
    "manage.py migrate" | "manage.py collectstatic") exit 0 ;;
esac
exec sleep 300
"""
BOUND_SECONDS = 60


def is_stand_in(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"sleep\x00300")
    except OSError:  # it has exited
        return False


def sleepers(pid: int) -> list[int]:
    return [child for child in process_tree(pid) if is_stand_in(child)]


@pytest.fixture
def serve(tmp_path):
    """bin/serve with stand-in processes: one web, one scheduler, two workers, one matching worker."""
    log = tmp_path / "commands.log"
    stand_in = tmp_path / "python"
    stand_in.write_text(STAND_IN.format(log=log))
    stand_in.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENV}
    env.update(PRODUCTION_ENV, PYTHON=str(stand_in), TASK_WORKERS="2", MATCHING_WORKERS="1")
    process = subprocess.Popen(
        ["bin/serve"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        running = wait_until(
            lambda: len(sleepers(process.pid)) == 5 and sleepers(process.pid),
            "five processes",
            bound=BOUND_SECONDS,
        )
        yield process, running, log
    finally:
        for pid in process_tree(process.pid):
            with contextlib.suppress(ProcessLookupError):  # already stopped, as the tests want
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=BOUND_SECONDS)


def gone(pids: list[int]) -> bool:
    return not any(is_stand_in(pid) for pid in pids)


def test_it_migrates_collects_then_runs_each_process_through_the_entrypoint(serve):
    _process, _running, log = serve
    commands = log.read_text().splitlines()
    assert commands[:2] == ["manage.py migrate --no-input", "manage.py collectstatic --no-input -v 0"]
    assert sorted(commands[2:]) == sorted(
        [
            "-m gunicorn -c gunicorn.conf.py",
            "manage.py run_scheduler --heartbeat-file /tmp/mentora-scheduler.alive",
            "manage.py rqworker --job-class django_tasks_rq.Job default",
            "manage.py rqworker --job-class django_tasks_rq.Job default",
            "manage.py rqworker --job-class django_tasks_rq.Job matching",
        ]
    )


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_stop_signal_stops_every_process(serve, signum, status):
    process, running, _log = serve
    process.send_signal(signum)
    assert process.wait(timeout=BOUND_SECONDS) == status
    assert gone(running)


def test_a_process_that_dies_stops_the_others_and_bin_serve_exits_with_its_status(serve):
    process, running, _log = serve
    os.kill(running[0], signal.SIGKILL)
    assert process.wait(timeout=BOUND_SECONDS) == 128 + signal.SIGKILL
    assert gone(running)
    assert b"a process stopped (exit status 137); stopping the others" in process.stdout.read()
