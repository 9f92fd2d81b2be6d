"""Background tasks for people: thin, they take an id and call the service."""

from django_tasks import task

from mentora.people.import_jobs import people_import_run


@task()
def people_import_task(import_id: int) -> None:
    people_import_run(import_id=import_id)
