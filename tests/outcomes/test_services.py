"""The analysis task: claimed once, stored as plain JSON, and marked failed (never left running) on an
unexpected error."""

import json

import pytest

from mentora.outcomes import services
from mentora.outcomes.models import AnalysisStatus, OutcomeAnalysis
from mentora.outcomes.services import analysis_run
from tests.outcomes.conftest import AS_OF


@pytest.fixture
def queued(program, pam):
    return OutcomeAnalysis.objects.create(
        organisation=program.organisation, program=program, requested_by=pam, as_of=AS_OF
    )


def test_a_run_stores_plain_json(queued):
    analysis_run(analysis_id=queued.pk)

    queued.refresh_from_db()
    assert queued.status == AnalysisStatus.DONE and queued.finished_at is not None
    assert json.loads(json.dumps(queued.result, allow_nan=False)) == queued.result  # no NaN in JSON


def test_an_analysis_runs_once(queued, monkeypatch):
    analysis_run(analysis_id=queued.pk)
    monkeypatch.setattr(services, "outcome_frame", lambda **kwargs: pytest.fail("ran twice"))

    analysis_run(analysis_id=queued.pk)  # a second delivery of the task finds it claimed


def test_an_unexpected_error_marks_it_failed(queued, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "outcome_frame", broken)

    analysis_run(analysis_id=queued.pk)

    queued.refresh_from_db()
    assert (queued.status, queued.result) == (AnalysisStatus.FAILED, None)
    assert "outcome analysis" in caplog.text
