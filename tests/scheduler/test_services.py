"""The scheduler claims each job's slot once, runs it on a worker and keeps its outcome."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from mentora.scheduler.models import JobRun, RunStatus
from mentora.scheduler.services import _claim, job_run_execute, scheduler_tick
from tests.concurrency import ON_POSTGRES, run_at_once

UTC = datetime.UTC
pytestmark = pytest.mark.django_db


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_tick_runs_each_due_job_once_and_keeps_its_outcome(
    test_jobs, immediate_tasks, django_capture_on_commit_callbacks
):
    with freeze_time("2026-03-04 10:20"), django_capture_on_commit_callbacks(execute=True):
        claimed = scheduler_tick()
    assert sorted((run.job, run.slot) for run in claimed) == [
        ("tests.broken", at("2026-03-04 02:30")),
        ("tests.tally", at("2026-03-04 10:15")),
    ]
    assert test_jobs == ["tally"]
    tally = JobRun.objects.get(job="tests.tally")
    assert (tally.status, tally.result, tally.error) == (RunStatus.SUCCEEDED, {"counted": 3}, "")
    assert tally.started_at == tally.finished_at == at("2026-03-04 10:20")
    broken = JobRun.objects.get(job="tests.broken")
    assert broken.status == RunStatus.FAILED
    assert broken.error == "RuntimeError: the HR share is offline"


def test_a_second_tick_in_the_same_slot_enqueues_nothing_and_the_next_slot_runs_again(
    test_jobs, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with freeze_time("2026-03-04 10:20"):
            scheduler_tick()
        with freeze_time("2026-03-04 10:29:59"):
            assert scheduler_tick() == []
        with freeze_time("2026-03-04 10:30"):
            assert [run.job for run in scheduler_tick()] == ["tests.tally"]
    assert test_jobs == ["tally", "tally"]
    assert JobRun.objects.filter(job="tests.tally").count() == 2


def test_after_a_long_stop_only_the_latest_missed_slot_runs(test_jobs, immediate_tasks):
    with freeze_time("2026-03-04 10:20"):
        scheduler_tick()
    with freeze_time("2026-03-06 09:00"):
        claimed = scheduler_tick()
    assert sorted((run.job, run.slot) for run in claimed) == [
        ("tests.broken", at("2026-03-06 02:30")),
        ("tests.tally", at("2026-03-06 09:00")),
    ]


def test_the_tick_queues_a_task_for_the_worker(test_jobs, django_capture_on_commit_callbacks):
    with freeze_time("2026-03-04 10:20"), django_capture_on_commit_callbacks(execute=True):
        claimed = scheduler_tick()
    queued = DBTaskResult.objects.filter(task_path="mentora.scheduler.tasks.run_scheduled_job")
    assert sorted(task.args_kwargs["kwargs"]["run_id"] for task in queued) == sorted(r.pk for r in claimed)
    assert test_jobs == []
    assert set(JobRun.objects.values_list("status", flat=True)) == {RunStatus.QUEUED}


def test_a_slot_another_scheduler_claimed_is_not_claimed_again(test_jobs):
    from mentora.core.schedule import registered_job

    job = registered_job("tests.tally")
    assert _claim(job=job, slot=at("2026-03-04 10:15"), now=at("2026-03-04 10:16")) is not None
    assert _claim(job=job, slot=at("2026-03-04 10:15"), now=at("2026-03-04 10:17")) is None
    assert JobRun.objects.count() == 1


def test_a_run_delivered_twice_runs_once(test_jobs):
    run = JobRun.objects.create(
        job="tests.tally", slot=at("2026-03-04 10:15"), enqueued_at=at("2026-03-04 10:15")
    )
    assert job_run_execute(run_id=run.pk).status == RunStatus.SUCCEEDED
    assert job_run_execute(run_id=run.pk) is None
    assert test_jobs == ["tally"]


def test_a_run_of_a_job_no_longer_registered_fails_with_its_reason(test_jobs):
    run = JobRun.objects.create(
        job="tests.gone", slot=at("2026-03-04 10:15"), enqueued_at=at("2026-03-04 10:15")
    )
    run = job_run_execute(run_id=run.pk)
    assert run.status == RunStatus.FAILED
    assert "tests.gone" in run.error


def test_old_runs_are_pruned(test_jobs, settings):
    settings.SCHEDULER_KEEP_DAYS = 30
    JobRun.objects.create(job="tests.tally", slot=at("2026-01-01 10:15"), enqueued_at=at("2026-01-01 10:15"))
    kept = JobRun.objects.create(
        job="tests.tally", slot=at("2026-02-20 10:15"), enqueued_at=at("2026-02-20 10:15")
    )
    with freeze_time("2026-03-04 10:20"):
        scheduler_tick()
    assert JobRun.objects.filter(slot__lt=at("2026-03-01")).get() == kept


def test_the_command_checks_once_and_names_what_it_queued(test_jobs):
    out = StringIO()
    with freeze_time("2026-03-04 10:20"):
        call_command("run_scheduler", "--once", stdout=out)
    assert "queued tests.tally for 2026-03-04 10:15 UTC" in out.getvalue()
    assert JobRun.objects.count() == 2


def test_the_command_refuses_a_tick_below_one_second(test_jobs):
    with pytest.raises(SystemExit):
        call_command("run_scheduler", "--tick", "0", stderr=StringIO())
    assert JobRun.objects.count() == 0


@pytest.mark.parametrize("schedulers", [2, 4])
@pytest.mark.usefixtures("test_jobs")
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="two schedulers race on real connections")
def test_schedulers_racing_for_the_same_slots_claim_each_slot_once(schedulers):
    now = at("2026-03-04 10:20")
    outcomes = run_at_once([lambda: scheduler_tick(now=now)] * schedulers)
    assert outcomes.surprises == [] and outcomes.refusals == []
    assert sorted(run.job for runs in outcomes.results for run in runs) == ["tests.broken", "tests.tally"]
    assert JobRun.objects.count() == 2


# Committed data: the worker closes its connection between tasks, as it does in the demo.
@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_what_the_scheduler_queued(test_jobs):
    with freeze_time("2026-03-04 10:20"):
        call_command("run_scheduler", "--once", stdout=StringIO())
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert dict(JobRun.objects.values_list("job", "status")) == {
        "tests.tally": RunStatus.SUCCEEDED,
        "tests.broken": RunStatus.FAILED,
    }
    assert test_jobs == ["tally"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
