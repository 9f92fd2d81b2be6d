"""A run whose worker died is failed with a reason the manager sees; one whose worker is alive is not.

Time moves with freezegun: nothing sleeps."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from mentora.pairing import services
from mentora.pairing.models import MatchRun, RunStatus
from tests.factories import api_headers

START = datetime.datetime(2031, 3, 3, 9, tzinfo=datetime.UTC)


class WorkerKilled(BaseException):
    """Stands for the worker process dying (SIGKILL, out of memory, a deploy) in the middle of a solve."""


@pytest.fixture
def dead_run(program, pam, cohort, monkeypatch):
    """A run whose worker died while solving, at START."""
    with freeze_time(START):
        run = services.match_run_create(program=program, created_by=pam, settings={})

        def killed(instance):
            raise WorkerKilled

        monkeypatch.setattr(services, "solve", killed)
        with pytest.raises(WorkerKilled):
            services.match_run_execute(run_id=run.pk)
    monkeypatch.undo()
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and run.heartbeat_at == START
    return run


def test_a_run_without_a_heartbeat_for_the_lease_is_shown_failed_with_a_reason(client, pam, dead_run):
    with freeze_time(START + datetime.timedelta(minutes=6)):
        client.force_login(pam.user)
        page = client.get(reverse("pairing:run", args=[dead_run.pk])).content.decode()
    assert "The matching worker stopped before this run finished" in page
    assert "start the run again" in page
    dead_run.refresh_from_db()
    assert dead_run.status == RunStatus.FAILED and dead_run.finished_at is not None


def test_the_api_reports_the_dead_run_failed(client, pam, dead_run):
    with freeze_time(START + datetime.timedelta(minutes=6)):
        body = client.get(f"/api/matching/runs/{dead_run.pk}", headers=api_headers(pam)).json()
    assert body["status"] == "failed" and "worker stopped" in body["error"]


def test_a_run_with_a_fresh_heartbeat_stays_running(client, pam, dead_run):
    MatchRun.objects.filter(pk=dead_run.pk).update(heartbeat_at=START + datetime.timedelta(minutes=5))
    with freeze_time(START + datetime.timedelta(minutes=6)):
        body = client.get(
            f"/api/matching/programs/{dead_run.program_id}/runs", headers=api_headers(pam)
        ).json()
    assert [run["status"] for run in body["results"]] == ["running"]


def test_the_manager_starts_a_new_run_afterwards(pam, dead_run):
    with freeze_time(START + datetime.timedelta(minutes=6)):
        assert services.match_runs_fail_abandoned(program_id=dead_run.program_id) == 1
        run = services.match_run_create(program=dead_run.program, created_by=pam, settings={})
        run = services.match_run_execute(run_id=run.pk)
    assert run.status == RunStatus.SUCCEEDED


def test_a_slow_worker_finishing_after_its_run_was_failed_changes_nothing(program, pam, cohort, monkeypatch):
    run = services.match_run_create(program=program, created_by=pam, settings={})
    real_solve = services.solve

    def solve_while_declared_dead(instance):
        with freeze_time(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=6)):
            assert services.match_runs_fail_abandoned(program_id=program.pk) == 1
        return real_solve(instance)

    monkeypatch.setattr(services, "solve", solve_while_declared_dead)
    assert services.match_run_execute(run_id=run.pk) is None
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "worker stopped" in run.error
    assert not run.proposals.exists()


def test_a_run_queued_for_long_says_it_waits_for_a_worker(client, program, pam, cohort, monkeypatch):
    monkeypatch.setattr(services, "INLINE_LIMIT", 2)
    with freeze_time(START):
        run = services.match_run_create(program=program, created_by=pam, settings={})
    with freeze_time(START + datetime.timedelta(minutes=1)):
        client.force_login(pam.user)
        assert (
            "Waiting for a worker"
            not in client.get(reverse("pairing:progress", args=[run.pk])).content.decode()
        )
        assert (
            client.get(f"/api/matching/runs/{run.pk}", headers=api_headers(pam)).json()["waiting_for_worker"]
            is False
        )
    with freeze_time(START + datetime.timedelta(minutes=3)):
        client.force_login(pam.user)
        assert (
            "Waiting for a worker" in client.get(reverse("pairing:progress", args=[run.pk])).content.decode()
        )
        assert (
            client.get(f"/api/matching/runs/{run.pk}", headers=api_headers(pam)).json()["waiting_for_worker"]
            is True
        )


def test_a_run_started_before_heartbeats_existed_is_failed_once_its_lease_is_over(pam, dead_run):
    MatchRun.objects.filter(pk=dead_run.pk).update(heartbeat_at=None)
    with freeze_time(START + datetime.timedelta(minutes=4)):
        assert services.match_runs_fail_abandoned(program_id=dead_run.program_id) == 0
    with freeze_time(START + datetime.timedelta(minutes=6)):
        assert services.match_runs_fail_abandoned(program_id=dead_run.program_id) == 1
