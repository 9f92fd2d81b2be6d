"""Background tasks for programs: thin, they take ids and call the service."""

from django_tasks import task

from mentora.programs.invitations import invitation_batch_run, invitation_emails_send


@task()
def invitation_batch_task(batch_id: int) -> None:
    invitation_batch_run(batch_id=batch_id)


@task()
def invitation_emails_task(batch_id: int | None, invitation_id: int | None) -> int:
    return invitation_emails_send(batch_id=batch_id, invitation_id=invitation_id)
