"""Background tasks for exports: thin, they take an id and call the service."""

from django_tasks import task

from mentora.reports.services import export_build


@task()
def export_build_task(export_id: int) -> None:
    export_build(export_id=export_id)
