"""The production-like stack survives a worker killed in the middle of a matching run.

Two web processes, two matching workers and a task worker start as bin/serve starts them
(`deploy/entrypoint.sh web|matching-worker|worker`, RQ on Redis, PostgreSQL) on loopback ports
9120-9127. A manager starts a matching run over HTTP; the worker that took it is SIGKILLed while it
is saving the proposals; the run then reads as failed, with its reason and nothing of it written,
and a new run started through the other web process is finished by the other worker. Two
schedulers and a cron `send_reminders` then race for the same reminder sweep: it runs once, and
every e-mail goes out once (the file e-mail backend writes what every process sends into one folder).

The test decides when the worker dies, not the clock: it holds a lock on the proposals table, so the
run stops at its first proposal insert, and the worker is killed once PostgreSQL shows it waiting
there. Every wait is on a condition with a generous bound; nothing is asserted on how long it took.
"""

import datetime
import functools
import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from email import message_from_bytes
from pathlib import Path

import psycopg
import pytest
import redis
from django.db import connection
from django.utils import timezone
from rq import Worker

from mentora.meetings.models import Meeting
from mentora.notifications.apps import REMINDERS_JOB
from mentora.notifications.models import DeliveryStatus, SentNotification
from mentora.pairing.models import MatchRun, Proposal, RunStatus
from mentora.programs.models import ProgramStatus
from mentora.scheduler.models import JobRun
from mentora.scheduler.models import RunStatus as JobStatus
from tests.concurrency import ON_POSTGRES
from tests.deploy.processes import process_tree, wait_until
from tests.factories import PersonFactory, SkillFactory, api_headers
from tests.pairing.conftest import enrol_mentee, enrol_mentor
from tests.programs.factories import ProgramFactory
from tests.workspace.fixtures import active_relationship

REPO = Path(__file__).resolve().parents[2]
# The loopback ports this test may use; two free ones are taken (another run of it may hold some).
PORT_RANGE = range(9120, 9128)
# Generous: six processes start at once on a machine that may be busy with other work.
BOUND_SECONDS = 120
HEARTBEAT_SECONDS = 1
LEASE_SECONDS = 4


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_timeout=2).ping())
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(
        not ON_POSTGRES, reason="the stack runs on PostgreSQL (set DATABASE_URL=postgres://…)"
    ),
    pytest.mark.skipif(not redis_reachable(), reason="the stack's task queue needs Redis at 127.0.0.1:6379"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def redis_url():
    """A Redis database of this test's own: the first of 1-15 whose lock it gets (another run of this
    test, or a developer's data in 0, is left alone), emptied before and after."""
    for number in range(1, 16):
        client = redis.Redis(host="127.0.0.1", port=6379, db=number)
        if client.set("mentora-fault-test", str(os.getpid()), nx=True, ex=600):
            client.flushdb()
            client.set("mentora-fault-test", str(os.getpid()), ex=600)
            yield f"redis://127.0.0.1:6379/{number}"
            client.flushdb()
            return
    pytest.skip("no free Redis database (1-15) for the fault test")


class Stack:
    """Processes started like bin/serve's, each in a session of its own."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *command: str, **env: str) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def run(self, *commands: tuple[str, ...]) -> list[int]:
        """One-shot commands started together; their exit statuses."""
        started = [self.start(f"once-{index}", *command) for index, command in enumerate(commands)]
        return [process.wait(timeout=BOUND_SECONDS) for process in started]

    def kill(self, name: str) -> None:
        """SIGKILL the process and every process it started, as a container's or an out-of-memory
        kill does: the RQ worker and the job process it forked."""
        process = self.processes[name]
        for pid in process_tree(process.pid):
            os.kill(pid, signal.SIGKILL)
        process.wait(timeout=BOUND_SECONDS)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def output(self) -> str:
        logs = sorted(self.logs.glob("*.log"))
        return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs)


def free_ports(count: int) -> list[int]:
    free = []
    for port in PORT_RANGE:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                free.append(port)
        if len(free) == count:
            return free
    pytest.fail(f"Fewer than {count} free ports in {PORT_RANGE} on 127.0.0.1.")


def http(method: str, port: int, path: str, headers: dict, body: bytes | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=body,
        method=method,
        headers={**headers, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")
    except (urllib.error.URLError, ConnectionError):
        return 0, {}


def database_url(application_name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        f"?application_name={application_name}"
    )


def lock_waiting_insert(watcher: psycopg.Connection) -> tuple[int, str] | None:
    """The matching worker's connection that waits for the proposals table: (backend pid, name)."""
    row = watcher.execute(
        "SELECT pid, application_name FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO \"pairing_proposal\"%%'"
    ).fetchone()
    return (row[0], row[1]) if row else None


def sent_emails(folder: Path) -> list[tuple[str, str]]:
    """(recipient, subject) of every message the processes wrote into the folder."""
    separator = b"\n" + b"-" * 79 + b"\n"
    messages = []
    for path in folder.glob("*.log"):
        for part in path.read_bytes().split(separator):
            if part.strip():
                message = message_from_bytes(part.strip())
                messages.append((message["To"], message["Subject"]))
    return sorted(messages)


@pytest.fixture
def people(org, pam, settings):
    """A program open for matching (4 mentors of 2 places, 6 mentees), and an active pair with a
    meeting tomorrow, which the reminder sweep reminds both of."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    skill = SkillFactory(organisation=org, name="Negotiation", slug="negotiation")
    matching = ProgramFactory(organisation=org, managers=[pam], name="Leaders of tomorrow")
    for index in range(4):
        enrol_mentor(matching, name=f"Mentor {index}", skill=skill)
    for index in range(6):
        enrol_mentee(matching, name=f"Mentee {index}", skill=skill)
    running = ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.RUNNING, name="Program P")
    mentor = PersonFactory(organisation=org, full_name="Bob Baker")
    mentee = PersonFactory(organisation=org, full_name="Alice Archer")
    pair = active_relationship(running, mentor, mentee)
    Meeting.objects.create(
        relationship=pair, starts_at=timezone.now() + datetime.timedelta(hours=20), duration_minutes=45
    )
    return matching, {mentor.email, mentee.email}


def test_a_worker_killed_mid_run_leaves_a_visibly_failed_run_and_nothing_is_done_twice(
    people, pam, redis_url, tmp_path
):
    matching, pair_emails = people
    headers = api_headers(pam)
    mail = tmp_path / "mail"
    logs = tmp_path / "logs"
    mail.mkdir()
    logs.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "PYTHON": sys.executable,
        "PRODUCTION": "True",
        "SECRET_KEY": "fault-test-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail),
        "MATCH_RUN_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
        "MATCH_RUN_LEASE_SECONDS": str(LEASE_SECONDS),
        "WEB_WORKERS": "1",
        "WEB_THREADS": "2",
        "DATABASE_URL": database_url("mentora-fault-test"),
    }
    stack = Stack(env, logs)
    wait = functools.partial(wait_until, bound=BOUND_SECONDS, details=stack.output)
    web_ports = free_ports(2)
    entrypoint = str(REPO / "deploy" / "entrypoint.sh")
    locker = psycopg.connect(database_url("mentora-fault-test-locker"), autocommit=False)
    # Another connection reads pg_stat_activity: inside the locker's transaction it would be a snapshot.
    watcher = psycopg.connect(database_url("mentora-fault-test-watcher"), autocommit=True)
    try:
        for port in web_ports:
            stack.start(f"web-{port}", entrypoint, "web", WEB_BIND=f"127.0.0.1:{port}")
        for number in (1, 2):
            name = f"matching-worker-{number}"
            stack.start(name, entrypoint, "matching-worker", DATABASE_URL=database_url(name))
        stack.start("worker", entrypoint, "worker")
        for port in web_ports:
            ready = f"web {port} ready"
            wait(lambda port=port: http("GET", port, "/health/ready", {})[0] == 200, ready)
        wait(lambda: workers_listening(redis_url) == 3, "three RQ workers listening")

        # The run stops at its first proposal insert while the test holds the table.
        locker.execute("LOCK TABLE pairing_proposal IN EXCLUSIVE MODE")
        runs = f"/api/matching/programs/{matching.pk}/runs"
        status, body = http("POST", web_ports[0], runs, headers, b"{}")
        assert status == 201, body
        first = body["id"]
        backend_pid, worker_name = wait(
            lambda: lock_waiting_insert(watcher), "the run's worker to reach the proposals"
        )
        stack.kill(worker_name)
        locker.rollback()
        gone = "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s)"
        wait(
            lambda: watcher.execute(gone, [backend_pid]).fetchone()[0],
            "PostgreSQL to drop the killed worker's connection",
        )

        # Nothing of the run was written; it reads as failed, with its reason, once its lease is over.
        assert MatchRun.objects.get(pk=first).status == RunStatus.RUNNING
        assert not Proposal.objects.filter(run_id=first).exists()
        run = wait(
            lambda: (
                (body := http("GET", web_ports[1], f"/api/matching/runs/{first}", headers)[1])
                and body.get("status") == RunStatus.FAILED
                and body
            ),
            "the dead worker's run to read as failed",
        )
        assert "stopped before this run finished" in run["error"]
        failed = MatchRun.objects.get(pk=first)
        assert failed.result is None and not Proposal.objects.filter(run_id=first).exists()

        # The manager starts it again; the other worker finishes it.
        status, body = http("POST", web_ports[1], runs, headers, b"{}")
        assert status == 201, body
        second = body["id"]
        wait(
            lambda: (
                http("GET", web_ports[0], f"/api/matching/runs/{second}", headers)[1].get("status")
                in (RunStatus.SUCCEEDED, RunStatus.FAILED)
            ),
            "the second run to finish",
        )
        assert MatchRun.objects.get(pk=second).status == RunStatus.SUCCEEDED
        assert Proposal.objects.filter(run_id=second).count() == 6
        assert not Proposal.objects.filter(run_id=first).exists()

        # Two schedulers and cron race for the same reminder sweep: one of them runs it.
        manage = (sys.executable, "manage.py")
        scheduler, cron = (*manage, "run_scheduler", "--once"), (*manage, "send_reminders")
        statuses = stack.run(scheduler, scheduler, cron)
        assert statuses == [0, 0, 0], stack.output()
        assert JobRun.objects.filter(job=REMINDERS_JOB).count() == 1
        wait(lambda: sweep_done(redis_url), "the sweep and its e-mails to be done")
        assert JobRun.objects.get(job=REMINDERS_JOB).status == JobStatus.SUCCEEDED
        sent = SentNotification.objects.filter(status=DeliveryStatus.SENT).count()
        assert not SentNotification.objects.exclude(status=DeliveryStatus.SENT).exists()
        emails = sent_emails(mail)
        assert len(emails) == sent and len(set(emails)) == len(emails)
        reminded = {to for to, subject in emails if subject.startswith("Reminder: meeting")}
        assert reminded == pair_emails
    finally:
        locker.close()
        watcher.close()
        stack.stop()


def workers_listening(redis_url: str) -> int:
    return len(Worker.all(connection=redis.Redis.from_url(redis_url)))


def sweep_done(redis_url: str) -> bool:
    """The sweep's run is over and every task ever put on the default queue has finished (RQ keeps
    a finished job's record for 500 s; this Redis database is the test's own)."""
    if JobRun.objects.filter(job=REMINDERS_JOB, finished_at__isnull=True).exists():
        return False
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    jobs = [key for key in client.scan_iter("rq:job:*") if key.count(":") == 2]
    states = [client.hmget(key, "origin", "status") for key in jobs]
    return all(status in ("finished", "failed") for origin, status in states if origin == "default")
