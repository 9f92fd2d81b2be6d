"""A container's health check: `python deploy/healthcheck.py web|worker|matching-worker|scheduler`
exits 0 when the process in this container is alive and working (docker-compose.yml, the Helm chart).

  web              /health/ready answers 200 (the database, the cache and the task queue are reachable)
  worker, ...      this host's RQ worker for the queue is registered in Redis (it keeps a heartbeat)
  scheduler        the scheduler has touched its heartbeat file within three ticks
"""

import os
import socket
import sys
import time
import urllib.request
from pathlib import Path

QUEUES = {"worker": "default", "matching-worker": "matching"}
SCHEDULER_TICK_SECONDS = 30


def web() -> bool:
    port = os.environ.get("WEB_BIND", "0.0.0.0:8000").rsplit(":", 1)[1]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=5) as response:
        return response.status == 200


def task_worker(queue: str) -> bool:
    from redis import Redis
    from rq import Worker

    connection = Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    here = socket.gethostname()
    return any(w.hostname == here and queue in w.queue_names() for w in Worker.all(connection=connection))


def scheduler() -> bool:
    beat = Path(os.environ.get("SCHEDULER_HEARTBEAT_FILE", "/tmp/mentora-scheduler.alive"))
    return beat.is_file() and time.time() - beat.stat().st_mtime < 3 * SCHEDULER_TICK_SECONDS


def main(process: str) -> bool:
    if process == "web":
        return web()
    if process in QUEUES:
        return task_worker(QUEUES[process])
    if process == "scheduler":
        return scheduler()
    raise SystemExit("usage: deploy/healthcheck.py web|worker|matching-worker|scheduler")


if __name__ == "__main__":
    try:
        healthy = main(sys.argv[1] if len(sys.argv) > 1 else "")
    except Exception as error:  # refused, timed out, Redis unreachable: whatever it is, not healthy
        print(error, file=sys.stderr)
        healthy = False
    sys.exit(0 if healthy else 1)
