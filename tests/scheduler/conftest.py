import datetime

import pytest

from mentora.core import schedule

CALLS: list[str] = []


def tally() -> dict:
    CALLS.append("tally")
    return {"counted": 3}


def broken() -> None:
    raise RuntimeError("the HR share is offline")


@pytest.fixture
def test_jobs(monkeypatch):
    """Only these jobs are registered while the test runs: one every 15 minutes, one daily at 02:30
    UTC that fails."""
    monkeypatch.setattr(schedule, "_jobs", {})
    CALLS.clear()
    schedule.register_job(
        name="tests.tally", func=tally, description="Count things", every=datetime.timedelta(minutes=15)
    )
    schedule.register_job(name="tests.broken", func=broken, description="Fail", daily_at=datetime.time(2, 30))
    return CALLS
