#!/usr/bin/env bash
# The one way Mentora's processes start: bin/serve, the Docker image, docker-compose.yml and the Helm
# chart all run `deploy/entrypoint.sh <process>`, so that they cannot drift apart (docs/deploy.md,
# "Processes").
#
#   migrate          apply the database migrations, then exit (before the others start)
#   web              gunicorn -c gunicorn.conf.py: WEB_BIND, WEB_WORKERS, WEB_THREADS, ...
#   worker           a task worker for the default queue: e-mails, imports, the scheduled jobs
#   matching-worker  a task worker for the matching queue: matching runs only
#   scheduler        enqueues each periodic job once per slot, however many schedulers run
#   collectstatic    copy the static files for WhiteNoise, then exit (at image build, or bin/serve)
#
# Tasks go through Redis (RQ) when TASKS_BACKEND=django_tasks_rq.RQBackend, else through the database.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}

task_worker() {
    if [ "${TASKS_BACKEND:-}" = "django_tasks_rq.RQBackend" ]; then
        exec "$python" manage.py rqworker --job-class django_tasks_rq.Job "$1"
    fi
    exec "$python" manage.py db_worker --no-reload --queue-name "$1"
}

case "${1:-}" in
    migrate) exec "$python" manage.py migrate --no-input ;;
    web) exec "$python" -m gunicorn -c gunicorn.conf.py ;;
    worker) task_worker default ;;
    matching-worker) task_worker matching ;;
    scheduler)
        # deploy/healthcheck.py scheduler reads the file the scheduler touches at every tick.
        exec "$python" manage.py run_scheduler --heartbeat-file "${SCHEDULER_HEARTBEAT_FILE:-/tmp/mentora-scheduler.alive}"
        ;;
    collectstatic) exec "$python" manage.py collectstatic --no-input -v 0 ;;
    *)
        echo "usage: deploy/entrypoint.sh migrate|web|worker|matching-worker|scheduler|collectstatic" >&2
        exit 2
        ;;
esac
