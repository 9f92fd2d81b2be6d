"""Matching runs go to a queue of their own, which its own worker serves, with either task backend."""

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from mentora.pairing.tasks import match_run_task
from mentora.scheduler.tasks import run_scheduled_job


def test_matching_runs_have_their_own_queue_and_scheduled_jobs_the_default_one():
    assert settings.MATCHING_QUEUE in settings.TASKS["default"]["QUEUES"]
    assert match_run_task.queue_name == settings.MATCHING_QUEUE
    assert run_scheduled_job.queue_name == "default"


@pytest.mark.django_db
def test_the_database_backend_stores_a_matching_run_on_the_matching_queue():
    match_run_task.enqueue(123)
    assert list(DBTaskResult.objects.values_list("queue_name", flat=True)) == [settings.MATCHING_QUEUE]
