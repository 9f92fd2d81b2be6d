"""The one task the scheduler enqueues: thin, it takes the run's id and calls the service."""

from django_tasks import task

from mentora.scheduler.services import job_run_execute


@task()
def run_scheduled_job(run_id: int) -> str | None:
    run = job_run_execute(run_id=run_id)
    return run.status if run else None
