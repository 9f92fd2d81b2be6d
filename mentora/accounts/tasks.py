"""Background tasks for accounts: thin, they take ids and call the service."""

from django_tasks import task

from mentora.accounts.services import activation_round_run


@task()
def activation_round_task(round_id: int) -> int:
    activation = activation_round_run(round_id=round_id)
    return activation.sent if activation else 0
