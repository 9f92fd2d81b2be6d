"""The outcome analysis on plain data: the planted effect is found, no effect is not invented, the
balance table is right by hand, and too small a sample is refused."""

import math

import numpy as np
import pandas as pd
import pytest

from mentora.outcomes import analysis
from mentora.outcomes.analysis import analyse, covariate_balance, match
from tests.outcomes.synthetic import organisation


def _all(result: analysis.Result) -> analysis.GroupResult:
    return next(group for group in result.groups if group.group == "all")


def test_it_recovers_a_planted_halving_of_the_leaving_rate():
    result = analyse(organisation(effect=0.5), follow_up_days=730)

    ratio = _all(result).hazard_ratio
    assert ratio.lower < 0.5 < ratio.upper
    assert ratio.upper < 1
    assert result.matched_participants >= analysis.MIN_GROUP


def test_it_reports_no_effect_when_none_is_planted():
    result = analyse(organisation(effect=1.0), follow_up_days=730)

    ratio = _all(result).hazard_ratio
    assert ratio.lower < 1 < ratio.upper


def test_matching_removes_the_planted_selection_on_seniority():
    result = analyse(organisation(effect=1.0), follow_up_days=730)

    seniority = next(row for row in result.balance if row.covariate == "seniority")
    assert seniority.smd_before > 0.3  # the program draws senior people
    assert abs(seniority.smd_after) < 0.1


def test_the_analysis_is_deterministic():
    frame = organisation(effect=0.5, people=600)
    shuffled = frame.sample(frac=1, random_state=1)
    assert analyse(frame, follow_up_days=730) == analyse(shuffled, follow_up_days=730)


def _tiny(seniorities: list[float], participant: list[bool]) -> pd.DataFrame:
    n = len(seniorities)
    return pd.DataFrame(
        {
            "participant": participant,
            "seniority": seniorities,
            "tenure_years": [1.0] * n,
            "prior_promotions": [0] * n,
            "department": ["Sales"] * n,
            "location": ["Lisbon"] * n,
        }
    )


def test_balance_table_by_hand():
    # Participants at 6 and 8 (mean 7, variance 2); comparison at 2, 4, 6, 8 (mean 5, variance 20/3).
    # Pooled SD before matching: sqrt((2 + 20/3) / 2) = sqrt(13/3). Before: (7 - 5) / sqrt(13/3).
    # After, the comparison weighted 0, 1/2, 1/2, 1: mean (2 + 3 + 8) / 2 = 6.5, so (7 - 6.5) / sqrt(13/3).
    frame = _tiny([6, 8, 2, 4, 6, 8], [True, True, False, False, False, False])
    weights = pd.Series([1, 1, 0, 0.5, 0.5, 1.0])

    row = covariate_balance(frame, weights)[0]

    assert row.covariate == "seniority"
    assert (row.participants_before, row.comparison_before) == (7, 5)
    assert row.smd_before == pytest.approx(2 / math.sqrt(13 / 3))
    assert (row.participants_after, row.comparison_after) == (7, 6.5)
    assert row.smd_after == pytest.approx(0.5 / math.sqrt(13 / 3))
    # Every department and location is the same one: no difference before or after.
    assert [(r.covariate, r.smd_before, r.smd_after) for r in covariate_balance(frame, weights)[3:]] == [
        ("department", 0.0, 0.0),
        ("location", 0.0, 0.0),
    ]


def test_matching_is_exact_on_department():
    frame = organisation(effect=1.0, people=400)
    frame.loc[frame.index[frame["participant"]][0], "department"] = "Legal"  # nobody else works there
    frame = frame.assign(prior_promotions=0)

    weights = match(frame, k=2)

    assert weights[frame["department"] == "Legal"].sum() == 0
    for department, block in frame[weights > 0].groupby("department"):
        assert block["participant"].any() and (~block["participant"]).any(), department


def test_it_refuses_an_estimate_below_the_minimum_sample():
    frame = organisation(effect=0.5, people=2000)
    participants = frame.index[frame["participant"]]
    small = frame.drop(participants[analysis.MIN_GROUP - 1 :])

    result = analyse(small, follow_up_days=730)

    assert result.refused == analysis.TOO_FEW_PARTICIPANTS
    assert result.groups == () and result.curves == {}
    assert result.eligible_participants == analysis.MIN_GROUP - 1


def test_it_refuses_a_hazard_ratio_with_too_few_leavers():
    frame = organisation(effect=1.0, people=800).assign(leave_day=np.nan)

    result = analyse(frame, follow_up_days=730)

    assert _all(result).hazard_ratio == analysis.Estimate(refused=analysis.TOO_FEW_EVENTS)
    assert _all(result).rates[0].participants is not None  # the other outcomes are still shown


def test_it_refuses_a_hazard_ratio_when_one_side_has_no_leaver():
    frame = organisation(effect=1.0, people=800)
    frame.loc[frame["participant"], "leave_day"] = np.nan

    result = analyse(frame, follow_up_days=730)

    assert _all(result).leavers_comparison >= analysis.MIN_EVENTS
    assert _all(result).hazard_ratio == analysis.Estimate(refused=analysis.TOO_FEW_EVENTS)


def test_curves_stop_where_fewer_than_the_minimum_are_followed():
    result = analyse(organisation(effect=1.0, stay=0.05), follow_up_days=730)

    for points in result.curves.values():
        assert all(point.at_risk >= analysis.MIN_AGGREGATE_GROUP for point in points)
        assert [point.day for point in points] == list(range(0, len(points) * 30, 30))
        assert all(point.lower <= point.survival <= point.upper for point in points)


def test_cohorts_are_estimated_each_on_their_own():
    result = analyse(organisation(effect=1.0), follow_up_days=730)

    assert [cohort.cohort for cohort in result.cohorts] == ["2025-Q1", "2025-Q2"]
    for cohort in result.cohorts:
        assert cohort.participants >= analysis.MIN_GROUP
        assert cohort.estimate.lower < cohort.estimate.value < cohort.estimate.upper


def test_a_cohort_that_just_started_is_refused_as_too_early():
    frame = organisation(effect=1.0)
    frame.loc[frame["cohort"] == "2025-Q2", "entry_day"] = 720

    result = analyse(frame, follow_up_days=730)

    late = next(cohort for cohort in result.cohorts if cohort.cohort == "2025-Q2")
    assert late.estimate.refused == analysis.TOO_EARLY
