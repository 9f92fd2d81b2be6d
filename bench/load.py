"""Load bench: the main pages of every demo role at a sustained, open-loop request rate, on loopback.

    .venv/bin/python bench/load.py                 # set up, start gunicorn on :9130, 100 req/s for 60 s
    .venv/bin/python bench/load.py --rate 50 --seconds 30   # another rate or length
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000   # a server already running (loopback only)
    .venv/bin/python bench/load.py --profile               # each page's server-side cost, single-threaded
    .venv/bin/python bench/load.py --profile --only "admin /people/" --cprofile tottime   # where it goes

Setup (first run, then skipped): creates the PostgreSQL database of DATABASE_URL (default h_load below),
migrates it, loads the demo organisation with DEMO_PEOPLE people (default 5,000, seed 7) and collects the
static files; every run then refreshes the planner's statistics (ANALYZE). Then it starts gunicorn
as the production web process runs (gunicorn.conf.py, PRODUCTION=True; --workers, --threads) and
stops it at the end.

It signs in as each demo log-in (program manager, mentee, mentor, line manager, leader, org admin; the
published demo password), finds the ids of the demo's programs, pair and matching run from the pages
themselves, and then sends requests on a fixed schedule (request i leaves at i / rate seconds, whatever
the earlier ones are doing: open loop). Latency is measured from the scheduled moment, so a server that
falls behind is charged for the queue it builds (no coordinated omission). At most --clients requests are
in flight; a request that finds them all busy leaves late and its lateness is counted.

Printed: per page and overall p50/p95/p99, throughput, errors, beside the target (p95 <= 150 ms and no
error at 100 requests/s on the 2-core machine) and beside a reference run at the same rate on a trivial
page (/health/live when the server has it, else the sign-in page), with the load average before and after
and the CPU time the server and this client used. `--profile` instead serves each page in this process
(Django's test client, same database) and prints its queries, database time and CPU ms per request:
figures that depend far less on what else the machine is doing. Method and figures: docs/performance.md.
"""

import argparse
import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h_load")

TARGET_RATE = 100
TARGET_P95_MS = 150
DEMO_PASSWORD = "mentora-demo"
DEMO_DOMAIN = "demo.mentora.test"
ROLES = ("manager", "mentee", "mentor", "linemanager", "leader", "admin")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
START_SECONDS = 300

# Each role's main pages: the navigation's pages and the ones the demo story leads them to. Names in
# braces are found on the pages at sign-in (see discover).
PAGES: dict[str, list[str]] = {
    "manager": [
        "/",
        "/programs/",
        "/programs/{grow}/manage/",
        "/programs/{reverse}/applications/",
        "/pairing/programs/{grow}/",
        "/pairing/runs/{run}/",
        "/checkins/programs/{grow}/",
        "/checkins/programs/{grow}/at-risk/",
        "/people/",
    ],
    "mentee": ["/", "/mentoring/", "/pairs/{pair}/", "/pairs/{pair}/meetings/", "/checkins/", "/people/me/"],
    "mentor": ["/", "/mentoring/", "/pairs/{pair}/", "/pairing/choose/", "/programs/"],
    "linemanager": ["/", "/people/", "/mentoring/", "/programs/"],
    "leader": ["/", "/programs/", "/mentoring/", "/people/"],
    "admin": ["/", "/people/", "/audit/", "/programs/", "/jobs/", "/people/skills/"],
}
PROGRAM_NAMES = {
    "grow": "Grow into leadership",
    "reverse": "Reverse mentoring",
    "sales": "Choose your mentor",
}


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: str


class LoopbackClient:
    """HTTP/1.1 to a loopback server, one connection per request (as from many separate browsers), with
    the session's cookies kept by hand."""

    def __init__(self, base_url: str, timeout: float = 30.0):
        parts = urllib.parse.urlsplit(base_url)
        if parts.hostname not in LOOPBACK:
            raise SystemExit(f"refusing {base_url}: this bench only loads a server on loopback")
        self.host, self.port, self.timeout = parts.hostname, parts.port or 80, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        headers = {"Host": f"{self.host}:{self.port}", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            text = reply.read().decode("utf-8", "replace")
            return Response(reply.status, reply.getheaders(), text)
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def keep_cookies(self, response: Response) -> None:
        for name, value in response.headers:
            if name.lower() == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                self.cookies[cookie_name.strip()] = rest.split(";", 1)[0]


def sign_in(client: LoopbackClient, email: str) -> None:
    page = client.get("/accounts/login/")
    client.keep_cookies(page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if page.status != 200 or not token:
        raise SystemExit(f"the sign-in page answered {page.status} without a form")
    reply = client.request(
        "POST",
        "/accounts/login/",
        {"csrfmiddlewaretoken": token.group(1), "login": email, "password": DEMO_PASSWORD},
    )
    client.keep_cookies(reply)
    location = {name.lower(): value for name, value in reply.headers}.get("location", "")
    if reply.status != 302 or "sessionid" not in client.cookies or "login" in location:
        raise SystemExit(f"{email} could not sign in (HTTP {reply.status}, to {location or 'nowhere'})")


def first_id(body: str, pattern: str, what: str) -> str:
    found = re.search(pattern, body)
    if not found:
        raise SystemExit(f"no {what} found on the page: is the demo organisation loaded?")
    return found.group(1)


def discover(get: Callable[[str, str], str]) -> dict[str, str]:
    """The ids the pages' paths need, read from the pages the demo log-ins see. `get(role, path)`
    returns a page's HTML as that role."""
    ids = {}
    programs = get("manager", "/programs/")
    for key, name in PROGRAM_NAMES.items():
        ids[key] = first_id(programs, rf'href="/programs/(\d+)/manage/">(?:<bdi>)?{re.escape(name)}', name)
    ids["run"] = first_id(
        get("manager", f"/pairing/programs/{ids['grow']}/"), r'"/pairing/runs/(\d+)/"', "run"
    )
    ids["pair"] = first_id(get("mentee", "/mentoring/"), r'"/pairs/(\d+)/"', "pair space")
    return ids


def role_pages(ids: dict[str, str]) -> list[tuple[str, str]]:
    return [(role, path.format(**ids)) for role in ROLES for path in PAGES[role]]


# ---------------------------------------------------------------- setup and server


def setup_database(people: int) -> None:
    """Create, migrate and load the bench's database once; later runs find the demo and skip the load."""
    from bench.database import ensure_database

    ensure_database(os.environ["DATABASE_URL"])
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], check=True, env=server_environment())
    subprocess.run(
        [*manage, "demo_org", "--people", str(people), "--seed", "7", "--if-empty"],
        check=True,
        env=server_environment(),
        stdout=subprocess.DEVNULL,
    )
    # Fresh planner statistics, as autovacuum keeps them in production (this machine's cluster runs
    # without it): without them PostgreSQL plans the demo's 16,000-row joins as nested loops.
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        connection.execute("ANALYZE")
    if not (ROOT / "var" / "static" / "staticfiles.json").exists():
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], check=True, env=server_environment())


def server_environment(conn_max_age: int | None = None, port: int = 0) -> dict[str, str]:
    """The production settings (docs/deploy.md), on plain HTTP on loopback."""
    environment = dict(os.environ)
    environment.update(
        PRODUCTION="True",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        # This bench's own client keeps the cookies by hand; a browser would need TLS for Secure ones.
        SESSION_COOKIE_SECURE="False",
        CSRF_COOKIE_SECURE="False",
        AXES_ENABLED="True",
        LOG_LEVEL="WARNING",
        WEB_ACCESS_LOG="/dev/null",
        # The database task backend: no Redis needed, and the pages read no queue.
        TASKS_BACKEND=os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    )
    if conn_max_age is not None:
        environment["DB_CONN_MAX_AGE"] = str(conn_max_age)
    return environment


def start_gunicorn(port: int, workers: int, threads: int, conn_max_age: int | None) -> subprocess.Popen:
    """gunicorn as the production web process runs it (deploy/entrypoint.sh web: gunicorn.conf.py)."""
    environment = server_environment(conn_max_age, port) | {
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": str(workers),
        "WEB_THREADS": str(threads),
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    server = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)
    # Each worker imports the whole project as it starts: about 20 s apiece when the
    # machine is busy (load 15), so a short wait reported a server that was only starting as dead.
    client = LoopbackClient(f"http://127.0.0.1:{port}", timeout=60)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start (exit {server.returncode})")
        try:
            if client.get("/accounts/login/").status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer within {START_SECONDS} s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def process_tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its living children (gunicorn's master and workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


# ---------------------------------------------------------------- the open-loop run


@dataclass
class Outcome:
    page: str
    latency_ms: float
    error: str = ""


@dataclass
class Phase:
    name: str
    outcomes: list[Outcome] = field(default_factory=list)
    wall_seconds: float = 0.0
    late: int = 0
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    client_cpu_seconds: float = 0.0
    server_cpu_seconds: float | None = None


def run_phase(
    name: str,
    base_url: str,
    schedule: list[tuple[str, str, dict[str, str]]],
    rate: float,
    clients: int,
    server_pid: int | None,
) -> Phase:
    """Send schedule[i] (label, path, cookies) at i / rate seconds from the start, from `clients` threads."""
    phase = Phase(name, load_before=os.getloadavg())
    next_index = 0
    lock = threading.Lock()
    late_after = 0.010  # a request leaving 10 ms after its time found every client busy
    start = time.monotonic() + 0.2

    def worker() -> None:
        nonlocal next_index
        client = LoopbackClient(base_url)
        while True:
            with lock:
                index = next_index
                next_index += 1
            if index >= len(schedule):
                return
            label, path, cookies = schedule[index]
            due = start + index / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif -delay > late_after:
                with lock:
                    phase.late += 1
            client.cookies = cookies
            error = ""
            try:
                response = client.get(path)
                if response.status != 200:
                    error = f"HTTP {response.status}"
            except (OSError, http.client.HTTPException) as problem:
                error = type(problem).__name__
            outcome = Outcome(label, (time.monotonic() - due) * 1000, error)
            with lock:
                phase.outcomes.append(outcome)

    server_cpu = process_tree_cpu_seconds(server_pid) if server_pid else None
    client_cpu = time.process_time()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.wall_seconds = time.monotonic() - start
    phase.client_cpu_seconds = time.process_time() - client_cpu
    if server_pid:
        phase.server_cpu_seconds = process_tree_cpu_seconds(server_pid) - server_cpu
    phase.load_after = os.getloadavg()
    return phase


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest rank: the smallest value with at least `fraction` of the values at or below it."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * fraction // 1))
    return sorted_values[int(rank) - 1]


def summary_row(label: str, outcomes: list[Outcome], seconds: float) -> str:
    latencies = sorted(outcome.latency_ms for outcome in outcomes)
    errors = sum(1 for outcome in outcomes if outcome.error)
    return (
        f"{label:<44} {len(outcomes):>6} {len(outcomes) / seconds:>7.1f} {errors:>6} "
        f"{percentile(latencies, 0.50):>8.0f} {percentile(latencies, 0.95):>8.0f} "
        f"{percentile(latencies, 0.99):>8.0f} {latencies[-1] if latencies else 0:>8.0f}"
    )


def report(phase: Phase, rate: float, per_page: bool) -> tuple[float, int]:
    header = f"{'page':<44} {'n':>6} {'req/s':>7} {'errors':>6}" + "".join(
        f" {name:>8}" for name in ("p50 ms", "p95 ms", "p99 ms", "max ms")
    )
    print(f"\n== {phase.name}: {rate:g} requests/s scheduled for {phase.wall_seconds:.1f} s (open loop)")
    print(f"   load average before {fmt_load(phase.load_before)}, after {fmt_load(phase.load_after)}")
    cpu = f"   CPU: this client {phase.client_cpu_seconds:.1f} s"
    if phase.server_cpu_seconds is not None:
        per_request = phase.server_cpu_seconds * 1000 / max(1, len(phase.outcomes))
        cpu += f", gunicorn {phase.server_cpu_seconds:.1f} s ({per_request:.1f} ms per request"
        cpu += ", PostgreSQL not counted)"
    print(cpu)
    print(f"   {phase.late} requests left more than 10 ms late (every client busy)")
    print(header)
    if per_page:
        by_page: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in phase.outcomes:
            by_page[outcome.page].append(outcome)
        for label in sorted(by_page):
            print(summary_row(label, by_page[label], phase.wall_seconds))
    print(summary_row("ALL", phase.outcomes, phase.wall_seconds))
    errors: dict[str, int] = defaultdict(int)
    for outcome in phase.outcomes:
        if outcome.error:
            errors[f"{outcome.page}: {outcome.error}"] += 1
    for what, count in sorted(errors.items(), key=lambda item: -item[1])[:10]:
        print(f"   error x{count}: {what}")
    latencies = sorted(outcome.latency_ms for outcome in phase.outcomes)
    return percentile(latencies, 0.95), sum(errors.values())


def fmt_load(load: tuple[float, float, float]) -> str:
    return " ".join(f"{value:.2f}" for value in load)


def run_load(args: argparse.Namespace) -> None:
    server = None
    base_url = args.url
    if not base_url:
        setup_database(args.people)
        server = start_gunicorn(args.port, args.workers, args.threads, args.conn_max_age)
        base_url = f"http://127.0.0.1:{args.port}"
    try:
        sessions = {}
        for role in ROLES:
            client = LoopbackClient(base_url)
            sign_in(client, f"{role}@{DEMO_DOMAIN}")
            sessions[role] = client

        def get(role: str, path: str) -> str:
            response = sessions[role].get(path)
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status} to {role}")
            return response.body

        pages = role_pages(discover(get))
        reference = (
            "/health/live"
            if LoopbackClient(base_url).get("/health/live").status == 200
            else "/accounts/login/"
        )
        print(
            f"Mentora load bench against {base_url} ({os.cpu_count()} CPUs,"
            f" load average {fmt_load(os.getloadavg())})"
        )
        if server:
            print(
                f"   gunicorn.conf.py: {args.workers} workers x {args.threads} threads,"
                f" DB_CONN_MAX_AGE={'60 (production)' if args.conn_max_age is None else args.conn_max_age},"
                f" {os.environ['DATABASE_URL']}"
            )
        print(f"   {len(pages)} pages over {len(ROLES)} roles, taken in turn; reference page {reference}")

        total = int(args.rate * args.seconds)
        for label, path in pages:  # once each, unmeasured: imports, template loading, first queries
            sessions[label].get(path)
        reference_phase = run_phase(
            f"reference ({reference}, anonymous)",
            base_url,
            [(reference, reference, {})] * int(args.rate * args.reference_seconds),
            args.rate,
            args.clients,
            server.pid if server else None,
        )
        schedule = [
            (f"{role} {path}", path, dict(sessions[role].cookies))
            for role, path in (pages[index % len(pages)] for index in range(total))
        ]
        main_phase = run_phase(
            "main pages", base_url, schedule, args.rate, args.clients, server.pid if server else None
        )
        reference_p95, _ = report(reference_phase, args.rate, per_page=False)
        p95, errors = report(main_phase, args.rate, per_page=True)
        met = p95 <= TARGET_P95_MS and errors == 0 and args.rate >= TARGET_RATE
        print(
            f"\nTarget: p95 <= {TARGET_P95_MS} ms and 0 errors at {TARGET_RATE} requests/s"
            " on the 2-core machine."
            f"\nMeasured: p95 {p95:.0f} ms, {errors} errors at {args.rate:g} requests/s"
            f" (reference page p95 {reference_p95:.0f} ms in the same run): {'MET' if met else 'NOT MET'}"
        )
    finally:
        if server:
            stop_server(server)


# ---------------------------------------------------------------- per-page server-side cost


def run_profile(args: argparse.Namespace) -> None:
    """Each page served in this process, one request at a time: queries, their time, and CPU per request."""
    setup_database(args.people)  # the same database as a load run: migrated, the demo loaded, analysed
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.settings")
    os.environ["SECRET_KEY"] = os.environ.get("SECRET_KEY") or "bench-load-profile"
    os.environ["DB_CONN_MAX_AGE"] = "60"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        reply = clients[role].post(
            "/accounts/login/", {"login": f"{role}@{DEMO_DOMAIN}", "password": DEMO_PASSWORD}
        )
        if reply.status_code != 302:
            raise SystemExit(
                f"{role} could not sign in ({reply.status_code}):"
                " is the demo loaded (run without --profile once)?"
            )

    def get(role: str, path: str) -> str:
        response = clients[role].get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} to {role}")
        return response.content.decode()

    pages = [(role, path) for role, path in role_pages(discover(get)) if args.only in f"{role} {path}"]
    if args.cprofile:
        profile_pages(pages, get, args)
        return
    print(
        f"Per-page server-side cost, {args.repeat} requests each after one warm-up,"
        " single-threaded in process"
    )
    print(f"   {os.environ['DATABASE_URL']}, load average {fmt_load(os.getloadavg())}")
    print(f"{'page':<44} {'queries':>7} {'db ms':>7} {'cpu ms':>7} {'wall ms':>8} {'KiB':>6}")
    for role, path in pages:
        get(role, path)
        cpu, wall, database = [], [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started_cpu, started = time.process_time(), time.perf_counter()
                body = get(role, path)
                cpu.append((time.process_time() - started_cpu) * 1000)
                wall.append((time.perf_counter() - started) * 1000)
            database.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
        middle = args.repeat // 2
        print(
            f"{role + ' ' + path:<44} {len(queries):>7} {sorted(database)[middle]:>7.1f} "
            f"{sorted(cpu)[middle]:>7.1f} {sorted(wall)[middle]:>8.1f} {len(body.encode()) / 1024:>6.0f}"
        )
    print("(medians; cpu ms is this process's CPU (Django, templates, the driver), not PostgreSQL's)")


def profile_pages(
    pages: list[tuple[str, str]], get: Callable[[str, str], str], args: argparse.Namespace
) -> None:
    """Where the CPU of the pages goes: cProfile (timed by process CPU, not wall time, so that the
    database's and the machine's other work are left out) over --repeat requests of each page."""
    import cProfile
    import pstats

    profiler = cProfile.Profile(time.process_time)
    for role, path in pages:
        get(role, path)  # warm-up, unprofiled
    for role, path in pages:
        for _ in range(args.repeat):
            profiler.runcall(get, role, path)
    print(f"cProfile of {len(pages)} pages x {args.repeat} requests (process CPU; the profiler inflates it)")
    pstats.Stats(profiler).sort_stats(args.cprofile).print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="a running server on loopback (default: start gunicorn)")
    parser.add_argument("--rate", type=float, default=TARGET_RATE, help="requests per second (default 100)")
    parser.add_argument("--seconds", type=float, default=60, help="length of the main-pages phase")
    parser.add_argument("--reference-seconds", type=float, default=15, help="length of the reference phase")
    parser.add_argument("--clients", type=int, default=64, help="most requests in flight at once")
    parser.add_argument("--port", type=int, default=9130)
    parser.add_argument(
        "--workers", type=int, default=5, help="WEB_WORKERS (gunicorn.conf.py: 2 x cores + 1)"
    )
    parser.add_argument("--threads", type=int, default=4, help="WEB_THREADS (gunicorn.conf.py: 4)")
    parser.add_argument("--conn-max-age", type=int, help="DB_CONN_MAX_AGE (default: production's, 60 s)")
    parser.add_argument("--people", type=int, default=int(os.environ.get("DEMO_PEOPLE", "5000")))
    parser.add_argument("--profile", action="store_true", help="per-page server-side cost instead of load")
    parser.add_argument("--repeat", type=int, default=7, help="requests per page with --profile")
    parser.add_argument(
        "--only", default="", help="with --profile: the pages whose 'role path' contains this"
    )
    parser.add_argument(
        "--cprofile",
        choices=("cumulative", "tottime"),
        help="with --profile: a cProfile of the (--only) pages instead of the table, sorted so",
    )
    args = parser.parse_args()
    if args.rate <= 0 or args.seconds <= 0 or args.clients < 1:
        parser.error("--rate, --seconds and --clients must be positive")
    if args.profile:
        run_profile(args)
    else:
        run_load(args)


if __name__ == "__main__":
    main()
