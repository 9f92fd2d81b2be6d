"""Background tasks for matching: thin, they take an id and call the service."""

from django_tasks import task

from mentora.pairing.services import match_run_execute


@task()
def match_run_task(run_id: int) -> None:
    match_run_execute(run_id=run_id)
