"""The registry's slots: when each job is due."""

import datetime

import pytest

from mentora.core import schedule
from mentora.core.schedule import Job, register_job

UTC = datetime.UTC


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_an_interval_job_s_slots_are_aligned_on_the_clock():
    job = Job(name="j", func=lambda: None, description="", every=datetime.timedelta(minutes=15))
    assert job.slot(at("2026-03-04 10:29:59")) == at("2026-03-04 10:15:00")
    assert job.slot(at("2026-03-04 10:30:00")) == at("2026-03-04 10:30:00")
    assert job.next_slot(at("2026-03-04 10:29:59")) == at("2026-03-04 10:30:00")


def test_a_daily_job_s_slot_is_today_once_its_time_has_come_and_yesterday_before():
    job = Job(name="j", func=lambda: None, description="", daily_at=datetime.time(2, 30))
    assert job.slot(at("2026-03-04 02:29")) == at("2026-03-03 02:30")
    assert job.slot(at("2026-03-04 02:30")) == at("2026-03-04 02:30")
    assert job.next_slot(at("2026-03-04 02:30")) == at("2026-03-05 02:30")


def test_a_slot_is_read_in_utc_whatever_zone_the_time_is_given_in():
    job = Job(name="j", func=lambda: None, description="", daily_at=datetime.time(2, 30))
    paris = datetime.timezone(datetime.timedelta(hours=1))
    assert job.slot(datetime.datetime(2026, 3, 4, 3, 0, tzinfo=paris)) == at("2026-03-03 02:30")


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"every": datetime.timedelta(minutes=5), "daily_at": datetime.time(1)},
        {"every": datetime.timedelta(seconds=30)},
        {"daily_at": datetime.time(1, tzinfo=UTC)},
    ],
)
def test_it_refuses_a_job_without_one_clear_schedule(monkeypatch, kwargs):
    monkeypatch.setattr(schedule, "_jobs", {})
    with pytest.raises(ValueError):
        register_job(name="j", func=print, description="", **kwargs)
    assert schedule.registered_jobs() == []


def test_it_refuses_a_second_job_under_a_taken_name_but_accepts_the_same_one_again(monkeypatch):
    monkeypatch.setattr(schedule, "_jobs", {})
    register_job(name="j", func=print, description="d", every=datetime.timedelta(minutes=5))
    register_job(name="j", func=print, description="d", every=datetime.timedelta(minutes=5))
    with pytest.raises(ValueError):
        register_job(name="j", func=repr, description="d", every=datetime.timedelta(minutes=5))
    assert [job.func for job in schedule.registered_jobs()] == [print]


def test_the_reminder_sweep_is_a_scheduled_job():
    job = schedule.registered_job("notifications.reminders")
    assert job is not None and job.every == datetime.timedelta(minutes=15)
