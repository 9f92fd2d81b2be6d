"""The HR sync's task: thin, it takes the run's id and calls the service."""

from django_tasks import task

from mentora.hrsync.services import hr_sync_run_execute


@task()
def hr_sync_run_task(run_id: int) -> str | None:
    run = hr_sync_run_execute(run_id=run_id)
    return run.status if run else None
