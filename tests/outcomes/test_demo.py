"""The demo's outcome history is enough for the analysis to show an estimate."""

from django.core.management import call_command

from mentora.outcomes.models import AnalysisStatus, OutcomeAnalysis


def test_the_demo_analysis_shows_an_estimate(db):
    call_command("demo_org", "--people", "300", "--seed", "7")

    analysis = OutcomeAnalysis.objects.get()
    assert analysis.status == AnalysisStatus.DONE
    result = analysis.result
    assert result["refused"] == ""
    ratio = result["groups"][0]["hazard_ratio"]
    assert ratio["refused"] == "" and ratio["lower"] < ratio["value"] < ratio["upper"]
