"""gunicorn's settings for Mentora's web processes, from the environment (docs/deploy.md "Settings").

    gunicorn -c gunicorn.conf.py

serves mentora.wsgi with WEB_WORKERS processes of WEB_THREADS threads each, its access log on
standard output. With more than one worker, the workers' Prometheus counts are kept as files in
PROMETHEUS_MULTIPROC_DIR (a fresh temporary folder unless set), summed at each scrape of /metrics.
"""

import os
import shutil
import tempfile
from pathlib import Path


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}.") from None


wsgi_app = "mentora.wsgi:application"
bind = [os.environ.get("WEB_BIND", "0.0.0.0:8000")]
# Two per core and one more: while one waits for the database, another runs Python.
workers = _env_int("WEB_WORKERS", 2 * (os.cpu_count() or 1) + 1)
# More than one thread makes gunicorn use its threaded worker (gthread); each thread keeps its own
# database connection (DB_CONN_MAX_AGE), so workers x threads is the connections one server holds.
threads = _env_int("WEB_THREADS", 4)
# A request running longer than this is stopped and its worker replaced; matching runs, imports and
# e-mails are background tasks and never run inside a request.
timeout = _env_int("WEB_TIMEOUT", 30)
graceful_timeout = _env_int("WEB_GRACEFUL_TIMEOUT", 30)
# Behind a load balancer, keep this above the balancer's idle timeout (60 s on most).
keepalive = _env_int("WEB_KEEPALIVE", 5)
# Replace a worker after this many requests (0: never), spread by the jitter so they do not restart together.
max_requests = _env_int("WEB_MAX_REQUESTS", 0)
max_requests_jitter = _env_int("WEB_MAX_REQUESTS_JITTER", max_requests // 10)

accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
# The usual combined format and the time the request took, in milliseconds.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# gunicorn's control socket sits at one path per user (~/.gunicorn/gunicorn.ctl), which a second server
# on the same machine would take over; nothing of Mentora uses it.
control_socket_disable = True
# The heartbeat files of the workers: in memory where the system offers it (containers' /tmp may be a disk).
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None

# gunicorn reads this file more than once: the folder made here is remembered in the environment.
MADE_METRICS_DIR = "MENTORA_MADE_PROMETHEUS_MULTIPROC_DIR"
if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # Set before the workers start, so that prometheus_client in each writes its counts there.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.environ[MADE_METRICS_DIR] = tempfile.mkdtemp(
        prefix="mentora-prometheus-"
    )


def on_starting(server) -> None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        # Counts left by the workers of an earlier start would be added to this one's.
        Path(directory).mkdir(parents=True, exist_ok=True)
        for leftover in Path(directory).glob("*.db"):
            leftover.unlink()


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        # Its live gauges go; its counters and histograms stay in the sums.
        multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    if os.environ.get(MADE_METRICS_DIR):
        shutil.rmtree(os.environ[MADE_METRICS_DIR], ignore_errors=True)
