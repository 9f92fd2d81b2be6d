"""The reminder sweep runs once per slot whether the scheduler or cron starts it: `send_reminders`
claims the same (job, slot) row as the scheduler's job notifications.reminders."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from freezegun import freeze_time

from mentora.notifications.apps import REMINDERS_JOB
from mentora.scheduler.models import JobRun, RunStatus
from mentora.scheduler.services import job_slot_claim, scheduler_tick
from tests.concurrency import ON_POSTGRES, run_at_once
from tests.notifications.test_reminders import NOW, pair  # noqa: F401

pytestmark = pytest.mark.django_db


def send_reminders(*args: str) -> str:
    out = StringIO()
    with freeze_time(NOW):
        call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_cron_after_the_scheduler_in_the_same_slot_sends_nothing(pair):  # noqa: F811
    with freeze_time(NOW):
        claimed = scheduler_tick()
    assert REMINDERS_JOB in {run.job for run in claimed}

    assert "has already run" in send_reminders("--inline")
    assert mail.outbox == []
    assert JobRun.objects.filter(job=REMINDERS_JOB).count() == 1


def test_the_scheduler_after_cron_in_the_same_slot_does_not_sweep_again(pair):  # noqa: F811
    assert "meeting reminders: 1" in send_reminders("--inline")
    sent = len(mail.outbox)
    assert sent == 6

    with freeze_time(NOW):
        claimed = scheduler_tick()
    assert REMINDERS_JOB not in {run.job for run in claimed}
    run = JobRun.objects.get(job=REMINDERS_JOB)
    assert run.status == RunStatus.SUCCEEDED and run.result["meeting_reminders"] == 1
    assert len(mail.outbox) == sent


def test_a_second_cron_in_the_same_slot_does_nothing_and_the_next_slot_sweeps_again(pair):  # noqa: F811
    send_reminders("--inline")
    assert "has already run" in send_reminders("--inline")
    with freeze_time(NOW + datetime.timedelta(minutes=15)):
        call_command("send_reminders", "--inline", stdout=StringIO())
    # The next slot's sweep ran: the e-mails it finds are already claimed, so none goes out twice.
    assert JobRun.objects.filter(job=REMINDERS_JOB, status=RunStatus.SUCCEEDED).count() == 2
    assert len(mail.outbox) == 6


def test_a_failed_sweep_is_kept_with_its_reason_and_cron_sees_a_failure(pair):  # noqa: F811
    err = StringIO()
    with (
        mock.patch(
            "mentora.notifications.management.commands.send_reminders.reminders_sweep",
            side_effect=ConnectionError("the mail relay refused us"),
        ),
        freeze_time(NOW),
        pytest.raises(SystemExit) as exit_info,
    ):
        call_command("send_reminders", stdout=StringIO(), stderr=err)
    assert exit_info.value.code == 1
    assert "the mail relay refused us" in err.getvalue()
    run = JobRun.objects.get(job=REMINDERS_JOB)
    assert run.status == RunStatus.FAILED and "the mail relay refused us" in run.error


def test_claiming_a_job_nobody_registered_is_refused_by_name():
    with pytest.raises(LookupError, match="notifications.typo"):
        job_slot_claim(name="notifications.typo")
    assert not JobRun.objects.exists()


@pytest.mark.parametrize("crons", [1, 3])
@pytest.mark.usefixtures("pair")
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="schedulers and crons race on real connections")
def test_two_schedulers_and_crons_racing_for_one_slot_claim_the_sweep_once(crons):
    schedulers = [lambda: scheduler_tick(now=NOW)] * 2
    cron = [lambda: job_slot_claim(name=REMINDERS_JOB, now=NOW)] * crons
    outcomes = run_at_once(schedulers + cron)
    assert outcomes.surprises == [] and outcomes.refusals == []
    claimed = []
    for result in outcomes.results:
        claimed += result if isinstance(result, list) else [result] if result else []
    assert [run.job for run in claimed].count(REMINDERS_JOB) == 1
    assert JobRun.objects.filter(job=REMINDERS_JOB).count() == 1
