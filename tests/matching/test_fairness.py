import numpy as np
import pytest

from mentora.matching.engine import solve
from mentora.matching.fairness import gini
from mentora.matching.generate import generate_instance


def test_gini_is_zero_when_even_and_grows_with_concentration():
    assert gini(np.array([2, 2, 2])) == 0
    assert gini(np.array([0, 0, 6])) == pytest.approx(2 / 3)


def test_every_result_reports_match_rate_and_scores_by_group():
    result = solve(generate_instance(mentees=300, mentors=100, seed=1))
    report = result["fairness"]
    assert report["participants"] == 300
    assert set(report["by"]) == {"department", "seniority", "demographic_group", "under_sponsored"}
    for grouping in report["by"].values():
        for group in grouping["groups"].values():
            assert 0 <= group["match_rate"] <= 1
        assert grouping["largest_gap"]["match_rate"] >= 0
    assert 0 <= report["mentor_load"]["gini"] <= 1


def test_people_without_a_consented_group_are_left_out_of_that_report():
    inst = generate_instance(mentees=200, mentors=60, seed=2)
    consented = sum(1 for p in inst.people if "mentee" in p.roles and p.demographic_group is not None)
    groups = solve(inst)["fairness"]["by"]["demographic_group"]["groups"]
    assert sum(g["people"] for g in groups.values()) == consented


def test_prioritising_under_sponsored_people_states_its_cost():
    inst = generate_instance(mentees=400, mentors=100, seed=3)
    base = solve(inst)
    floor = solve(inst.with_program(fairness_floor="under_sponsored", under_sponsored_boost=1.0))
    report = floor["fairness"]["floor"]
    assert report["total_score_without_floor"] == pytest.approx(base["objective"]["total_score"], abs=1e-3)
    assert report["cost_in_total_score"] >= -1e-6
    assert report["under_sponsored_match_rate_after"] >= report["under_sponsored_match_rate_before"]
    assert floor["objective"]["total_score"] == pytest.approx(report["total_score_with_floor"], abs=1e-3)


def test_raising_the_worst_group_never_lowers_it():
    inst = generate_instance(mentees=300, mentors=80, seed=4)
    report = solve(inst.with_program(fairness_floor="worst_group", fairness_group="department"))["fairness"][
        "floor"
    ]
    assert report["worst_group_mean_after"] >= report["worst_group_mean_before"]
    assert report["cost_in_total_score"] >= -1e-6
