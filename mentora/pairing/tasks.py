"""Background tasks for matching: thin, they take an id and call the service. They go to a queue of
their own (settings.MATCHING_QUEUE), which its own worker serves, in the database backend and in RQ."""

from django.conf import settings
from django_tasks import task

from mentora.pairing.services import match_run_execute


@task(queue_name=settings.MATCHING_QUEUE)
def match_run_task(run_id: int) -> None:
    match_run_execute(run_id=run_id)
