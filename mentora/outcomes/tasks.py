"""Background tasks for outcomes: thin, they take an id and call the service."""

from django_tasks import task

from mentora.outcomes.services import analysis_run


@task()
def outcome_analysis_task(analysis_id: int) -> None:
    analysis_run(analysis_id=analysis_id)
