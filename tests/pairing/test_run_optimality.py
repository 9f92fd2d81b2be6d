"""The run page and the API say whether the engine proved its result optimal over every eligible
pair, or how far from the optimum it may be (issue 10 §1)."""

import pytest
from django.urls import reverse

from mentora.pairing import services
from mentora.pairing.models import MatchRun
from tests.factories import PASSWORD, api_headers

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(program, pam, cohort):
    created = services.match_run_create(program=program, created_by=pam, settings={})
    return services.match_run_execute(run_id=created.pk)


def page(client, person, run) -> str:
    assert client.login(username=person.user.username, password=PASSWORD)
    response = client.get(reverse("pairing:run", args=[run.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_optimal_run_says_proven_optimal_with_its_certificate(client, pam, run):
    certificate = run.result["certificate"]
    assert run.result["objective"]["exact"] is True
    html = page(client, pam, run)
    assert "Proven optimal" in html
    assert f"{certificate['pricing_rounds']} pricing round" in html
    api = client.get(f"/api/matching/runs/{run.pk}", headers=api_headers(pam)).json()
    optimality = api["summary"]["optimality"]
    assert optimality["proven"] is True
    assert optimality["pricing_rounds"] == certificate["pricing_rounds"]
    assert optimality["largest_reduced_cost"] <= 0


def test_a_run_stopped_before_the_proof_shows_its_proven_gap(client, pam, run):
    result = dict(run.result)
    result["objective"] = {**result["objective"], "exact": False, "upper_bound": 12.5, "gap_percent": 0.0421}
    MatchRun.objects.filter(pk=run.pk).update(result=result)
    html = page(client, pam, run)
    assert "Proven optimal" not in html
    assert "Within 0.0421 % of the optimum (proven bound)" in html
    assert "12.5000" in html
    api = client.get(f"/api/matching/runs/{run.pk}", headers=api_headers(pam)).json()
    assert api["summary"]["optimality"]["proven"] is False
    assert api["summary"]["optimality"]["gap_percent"] == 0.0421


def test_a_stable_run_makes_no_optimality_claim(client, program, pam, cohort):
    created = services.match_run_create(
        program=program, created_by=pam, settings={"options": {"mode": "stable"}}
    )
    run = services.match_run_execute(run_id=created.pk)
    html = page(client, pam, run)
    assert "Proven optimal" not in html and "of the optimum" not in html
    api = client.get(f"/api/matching/runs/{run.pk}", headers=api_headers(pam)).json()
    assert api["summary"]["optimality"] is None
