"""The check-in and reminder sweeps are set-based: ten times the pairs, the same queries and the same
number of queued tasks (bench/sweeps.py measures them at 10,000 pairs)."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from mentora.checkins.models import Checkin, CheckinKind, CheckinSchedule, CheckinStatus
from mentora.checkins.services import checkins_issue_due
from mentora.meetings.models import Meeting
from mentora.notifications import services
from mentora.programs.models import ProgramStatus
from mentora.relationships.models import Relationship
from tests.factories import PersonFactory
from tests.programs.factories import ProgramFactory
from tests.workspace.fixtures import active_relationship

START = datetime.datetime(2031, 1, 1, 9, tzinfo=datetime.UTC)
NOW = datetime.datetime(2031, 3, 30, 12, tzinfo=datetime.UTC)


@pytest.fixture
def programs(org, settings):
    """One program on the default check-in settings, one on its own (another silence and overdue rule)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    default = ProgramFactory(organisation=org, status=ProgramStatus.RUNNING)
    own = ProgramFactory(organisation=org, status=ProgramStatus.RUNNING)
    CheckinSchedule.objects.create(program=own, cadence_weeks=2, silent_after_weeks=2, overdue_after_days=3)
    return [default, own]


def add_pairs(programs, org, count: int) -> None:
    """Pairs together since January that never met, each with a meeting tomorrow and an old pulse
    still unanswered (superseded by this sweep's)."""
    for number in range(count):
        mentor, mentee = PersonFactory(organisation=org), PersonFactory(organisation=org)
        relationship = active_relationship(programs[number % 2], mentor, mentee)
        Relationship.objects.filter(pk=relationship.pk).update(started_at=START)
        Meeting.objects.create(
            relationship=relationship, starts_at=NOW + datetime.timedelta(hours=20), duration_minutes=30
        )
        Checkin.objects.create(
            relationship=relationship, respondent=mentee, kind=CheckinKind.PULSE, due_on=START.date()
        )


def cost(sweep) -> tuple[int, int]:
    """The queries one sweep makes and the tasks it queues, its writes rolled back afterwards."""
    with transaction.atomic():
        with freeze_time(NOW), CaptureQueriesContext(connection) as queries:
            sweep()
        queued = DBTaskResult.objects.count()
        transaction.set_rollback(True)
    return len(queries), queued


def test_the_reminders_sweep_costs_the_same_for_thirty_pairs_as_for_three(programs, org):
    add_pairs(programs, org, 3)
    with transaction.atomic():
        with freeze_time(NOW):
            report = services.reminders_sweep()
        transaction.set_rollback(True)
    assert (report.meeting_reminders, report.silent_nudges) == (3, 3)
    assert report.checkins_issued == 6 and report.checkin_reminders == 6
    few = cost(services.reminders_sweep)

    add_pairs(programs, org, 27)
    with transaction.atomic():
        with freeze_time(NOW):
            report = services.reminders_sweep()
        transaction.set_rollback(True)
    assert (report.meeting_reminders, report.silent_nudges, report.checkin_reminders) == (30, 30, 60)
    assert cost(services.reminders_sweep) == few
    assert few[1] == 3  # one task each for the meeting reminders, the nudges and the check-in reminders


def test_the_checkin_sweep_costs_the_same_for_thirty_pairs_as_for_three(programs, org):
    add_pairs(programs, org, 3)
    few = cost(checkins_issue_due)
    add_pairs(programs, org, 27)
    assert cost(checkins_issue_due) == few


def test_the_checkin_sweep_counts_what_it_added_and_misses_superseded_pulses(programs, org):
    add_pairs(programs, org, 4)
    with freeze_time(NOW):
        assert checkins_issue_due() == 8
        assert checkins_issue_due() == 0
    assert Checkin.objects.filter(due_on=START.date(), status=CheckinStatus.MISSED).count() == 4
    assert Checkin.objects.filter(status=CheckinStatus.PENDING).count() == 8


def test_the_checkin_sweep_reads_only_the_active_pairs_checkins(programs, org):
    """It used to count the whole check-in table before and after inserting, every pair's since the
    start of time, to learn how many it added."""
    add_pairs(programs, org, 3)
    with freeze_time(NOW), CaptureQueriesContext(connection) as queries:
        checkins_issue_due()
    reads = [
        query["sql"]
        for query in queries
        if query["sql"].startswith("SELECT") and "checkins_checkin" in query["sql"]
    ]
    assert reads and all("WHERE" in sql for sql in reads)
