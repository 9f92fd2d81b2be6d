"""The optimal many-to-one mode proves its optimum over every eligible pair (LP duality), or says how far
from it a budget stopped; hard rules never strand a mentee beside a free eligible mentor."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentora.matching.eligibility import (
    PRESAMPLE_FACTOR,
    candidate_pairs,
    eligible,
    preference_pairs,
    sides,
)
from mentora.matching.engine import prepare, solve
from mentora.matching.flow import Duals, assign, scaled
from mentora.matching.generate import generate_instance
from mentora.matching.population import build_population
from mentora.matching.pricing import Pricer
from mentora.matching.scoring import SCORE_SCALE
from tests.matching.helpers import instance, person
from tests.matching.lp import optimum
from tests.matching.strategies import instances, naive_eligible


def all_pairs_optimum(inst) -> float:
    """The optimum over every eligible pair, by integer programming on the scaled scores."""
    prep = prepare(inst.with_program(candidate_limit=None))
    e = prep.edges
    li = np.searchsorted(prep.left, e.u)
    ri = np.searchsorted(prep.right, e.v)
    best, _ = optimum(
        [li, ri],
        [np.ones(len(prep.left)), prep.pop.capacity[prep.right]],
        scaled(e.score).astype(np.float64),
    )
    return best / SCORE_SCALE


@pytest.fixture(scope="module")
def sampled():
    """A program whose sampled candidates (2 per mentee) miss the optimum over all eligible pairs."""
    return generate_instance(mentees=300, mentors=90, seed=5, candidate_limit=2)


def test_the_default_run_is_the_optimum_over_all_eligible_pairs_and_says_so(sampled):
    result = solve(sampled)
    best = all_pairs_optimum(sampled)
    certificate = result["certificate"]
    assert result["objective"]["exact"] is True
    assert certificate["total_scaled"] == pytest.approx(best * SCORE_SCALE, abs=0.5)
    assert certificate["bound_scaled"] == certificate["total_scaled"]
    assert certificate["largest_reduced_cost"] <= 0
    assert certificate["edges_added"] > 0  # the sampled candidates alone were not optimal
    assert certificate["pricing_rounds"] >= 2
    assert result["objective"]["gap_percent"] == 0.0


def test_a_budget_of_pricing_rounds_reports_a_proven_bound_and_the_gap(sampled):
    result = solve(sampled, pricing_rounds=1)
    best = all_pairs_optimum(sampled)
    objective = result["objective"]
    assert objective["exact"] is False
    assert objective["total_score"] < best - 1e-6
    assert objective["upper_bound"] >= best - 1e-6  # a bound, proven by the duals
    gap = 100 * (objective["upper_bound"] - objective["total_score"]) / objective["upper_bound"]
    assert objective["gap_percent"] == pytest.approx(gap, abs=1e-3)
    assert result["certificate"]["largest_reduced_cost"] > 0


def test_department_caps_and_cardinality_first_are_certified_too(sampled):
    capped = sampled.with_program(max_mentees_per_department=1)
    result = solve(capped)
    prep = prepare(capped.with_program(candidate_limit=None))
    e, pop = prep.edges, prep.pop
    li, ri = np.searchsorted(prep.left, e.u), np.searchsorted(prep.right, e.v)
    n_dept = int(pop.department.max()) + 1
    groups, group_row = np.unique(ri * n_dept + pop.department[e.u], return_inverse=True)
    best, _ = optimum(
        [li, ri, group_row],
        [np.ones(len(prep.left)), pop.capacity[prep.right], np.ones(len(groups))],
        scaled(e.score).astype(np.float64),
    )
    assert result["objective"]["exact"] is True
    assert result["certificate"]["total_scaled"] == pytest.approx(best, abs=0.5)
    most = solve(sampled.with_program(max_cardinality_first=True))
    exhaustive = solve(sampled.with_program(max_cardinality_first=True, candidate_limit=None))
    assert most["objective"]["exact"] is True
    assert (most["objective"]["pairs"], most["certificate"]["total_scaled"]) == (
        exhaustive["objective"]["pairs"],
        exhaustive["certificate"]["total_scaled"],
    )


def test_a_fairness_floor_below_the_optimum_is_not_called_exact():
    inst = generate_instance(mentees=400, mentors=100, seed=3)
    result = solve(inst.with_program(fairness_floor="under_sponsored", under_sponsored_boost=1.0))
    objective, floor = result["objective"], result["fairness"]["floor"]
    assert floor["cost_in_total_score"] > 0
    assert objective["exact"] is False
    assert objective["upper_bound"] == pytest.approx(floor["total_score_without_floor"], abs=1e-3)
    assert objective["gap_percent"] > 0


def test_a_peer_run_lowered_by_a_fairness_floor_is_not_called_exact():
    inst = generate_instance(peers=120, seed=4)
    base = solve(inst)
    result = solve(inst.with_program(fairness_floor="under_sponsored", under_sponsored_boost=1.0))
    objective = result["objective"]
    assert result["fairness"]["floor"]["cost_in_total_score"] > 0
    assert objective["total_score"] < base["objective"]["total_score"]
    assert objective["exact"] is False
    expected = 100 * (objective["upper_bound"] - objective["total_score"]) / objective["upper_bound"]
    assert objective["gap_percent"] == pytest.approx(expected, abs=1e-3)


def minority_language_instance():
    """60 mentees want python; 12 of them speak only Finnish, and only 4 of the 200 python mentors do
    (3 places each). Sampling a window of mentors per mentee almost never reaches those four."""
    people = []
    for i in range(60):
        finnish = i % 5 == 0
        people.append(
            person(
                f"mentee{i:02d}",
                "mentee",
                wanted_skills={"python": 1},
                self_assessment={"python": 1},
                languages=("fi",) if finnish else ("en",),
            )
        )
    for j in range(200):
        finnish = j % 50 == 0
        people.append(
            person(
                f"mentor{j:03d}",
                "mentor",
                offered_skills={"python": 5},
                capacity=3 if finnish else 1,
                languages=("fi",) if finnish else ("en",),
            )
        )
    return instance(*people, candidate_limit=2, seed=1)


def test_mentees_whose_few_eligible_mentors_were_not_sampled_are_still_matched():
    result = solve(minority_language_instance())
    matched = {p["mentee"] for p in result["pairs"]}
    assert {f"mentee{i:02d}" for i in range(0, 60, 5)} <= matched
    assert result["unmatched"] == []
    assert result["objective"]["exact"] is True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=instances(max_mentees=8, max_mentors=4), limit=st.integers(1, 3))
def test_no_mentee_is_unmatched_while_an_eligible_mentor_has_a_free_place(inst, limit):
    inst = inst.with_program(candidate_limit=limit)
    result = solve(inst)
    people = {p.id: p for p in inst.people}
    free = [people[m["id"]] for m in result["mentors_with_free_capacity"]]
    pop = build_population(inst)
    for unmatched in result["unmatched"]:
        mentee = people[unmatched["id"]]
        for mentor in free:
            if not naive_eligible(inst, mentee, mentor):
                continue
            # only a pair scoring 0 may be left out (matching it would not raise the total)
            prep = prepare(inst.with_program(candidate_limit=None))
            k = np.flatnonzero(
                (prep.edges.u == pop.index[mentee.id]) & (prep.edges.v == pop.index[mentor.id])
            )
            assert len(k) == 1 and scaled(prep.edges.score[k])[0] == 0


@settings(max_examples=80, deadline=None)
@given(
    n_left=st.integers(1, 8),
    n_right=st.integers(1, 5),
    data=st.data(),
)
def test_flow_duals_are_feasible_and_meet_the_optimum(n_left, n_right, data):
    keys = data.draw(st.lists(st.integers(0, n_left * n_right - 1), unique=True, max_size=n_left * n_right))
    keys = np.array(sorted(keys), dtype=np.int64)
    u, v = keys // n_right, keys % n_right
    w = np.array(data.draw(st.lists(st.integers(0, 1000), min_size=len(keys), max_size=len(keys)))) / 1000
    cap = np.array(data.draw(st.lists(st.integers(1, 3), min_size=n_right, max_size=n_right)))
    result = assign(u, v, w, cap, n_left=n_left, with_duals=True)
    duals = result.duals
    best, _ = optimum([u, v], [np.ones(n_left), cap], scaled(w).astype(np.float64))
    assert duals.objective == pytest.approx(best, abs=0.5)
    assert (duals.left >= 0).all() and (duals.right >= 0).all()
    unused = ~result.chosen
    assert (scaled(w)[unused] <= duals.price(u[unused], v[unused], None)).all()


def test_candidates_are_drawn_among_the_eligible_pairs_only():
    """The hard rules apply to the skill ranges before a mentee's candidates are chosen: each Finnish
    mentee gets all four Finnish mentors (fails with the old sampling of a window of 8 of the 200
    python mentors before the rules, which reached a Finnish mentor for about one mentee in six)."""
    assert PRESAMPLE_FACTOR * 2 >= 4  # the quota holds all four Finnish mentors
    inst = minority_language_instance()
    pop = build_population(inst)
    left, right = sides(pop, inst.program)
    u, v = candidate_pairs(pop, inst.program, left, right, limit=2, seed=1)
    assert eligible(pop, inst.program, u, v).all()
    finnish_mentors = {pop.index[f"mentor{j:03d}"] for j in range(0, 200, 50)}
    for i in range(0, 60, 5):
        mine = set(v[u == pop.index[f"mentee{i:02d}"]].tolist())
        assert mine == finnish_mentors
    # every other mentee holds its full quota of eligible mentors (PRESAMPLE_FACTOR x candidate_limit)
    counts = np.bincount(u, minlength=pop.n)
    assert all(counts[pop.index[f"mentee{i:02d}"]] == PRESAMPLE_FACTOR * 2 for i in range(60) if i % 5)
    # and after scoring and pruning each Finnish mentee keeps its two best
    prep = prepare(inst)
    kept = np.bincount(prep.edges.u, minlength=pop.n)
    assert all(kept[pop.index[f"mentee{i:02d}"]] >= 2 for i in range(0, 60, 5))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=instances(max_mentees=8, max_mentors=6), limit=st.integers(1, 2))
def test_a_mentee_holds_min_of_its_quota_and_its_eligible_mentors_as_candidates(inst, limit):
    inst = inst.with_program(candidate_limit=limit)
    pop = build_population(inst)
    left, right = sides(pop, inst.program)
    u, v = candidate_pairs(pop, inst.program, left, right, limit=limit, seed=inst.program.seed)
    pref_u, pref_v = preference_pairs(pop, left, right)
    stated = np.isin(u * pop.n + v, pref_u * pop.n + pref_v)  # stated preferences are always candidates
    assert eligible(pop, inst.program, u[~stated], v[~stated]).all()
    people = {p.id: p for p in inst.people}
    for i in left.tolist():
        mentee = people[pop.ids[i]]
        n_eligible = sum(naive_eligible(inst, mentee, people[pop.ids[j]]) for j in right.tolist())
        assert (u == i).sum() >= min(n_eligible, limit)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    inst=instances(max_mentees=8, max_mentors=5),
    fmt=st.sampled_from(["one_to_one", "reverse"]),
    tabulated=st.booleans(),
    data=st.data(),
)
def test_pricing_finds_every_eligible_pair_that_beats_its_duals(inst, fmt, tabulated, data):
    """Whatever the duals, one pricing pass returns exactly the eligible pairs whose score beats them,
    with the class tables of practical fit and diversity or pair by pair: the bounds that skip the
    other pairs (per wanted skill, the earlier skills unmet) never skip one that would improve. Each
    mentor's dual is set one unit below its best reduced score, so its best pairs beat it by a unit."""
    import mentora.matching.pricing as pricing

    inst = inst.with_program(format=fmt)
    every = prepare(inst).edges  # candidate_limit None: every eligible pair, scored
    pop = build_population(inst)
    left, right = sides(pop, inst.program)
    u, v = np.searchsorted(left, every.u), np.searchsorted(right, every.v)
    left_dual = np.array(data.draw(st.lists(st.integers(0, 300_000), min_size=len(left), max_size=len(left))))
    right_dual = np.zeros(len(right), dtype=np.int64)
    np.maximum.at(right_dual, v, scaled(every.score) - left_dual[u] - 1)
    duals = Duals(left_dual, right_dual, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 1, 0)
    before = pricing.CLASS_TABLE_CELLS, pricing.MARGIN
    # no margin: the bounds alone decide which pairs are looked at
    pricing.CLASS_TABLE_CELLS, pricing.MARGIN = (before[0] if tabulated else 0), 0
    try:
        found = Pricer(pop, inst.program, left, right, bonus=0).price(duals, np.zeros(0, dtype=np.int64))
    finally:
        pricing.CLASS_TABLE_CELLS, pricing.MARGIN = before
    improving = scaled(every.score) > left_dual[u] + right_dual[v]
    assert set(zip(found.added.u.tolist(), found.added.v.tolist(), strict=True)) == set(
        zip(every.u[improving].tolist(), every.v[improving].tolist(), strict=True)
    )
