"""Blocking pairs are strict and counted over every eligible pair; the stable mode keeps department
caps and says, as data, that it does not apply fairness floors."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentora.matching.engine import prepare, solve
from mentora.matching.scoring import SCORE_SCALE, score_edges, weight_vector
from tests.matching.helpers import instance, person
from tests.matching.strategies import instances, naive_eligible

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pair_scores(inst, pairs):
    """Integer scores (millionths) of (mentee id, mentor id) pairs, scored by the engine's components."""
    pop = prepare(inst).pop
    u = np.array([pop.index[a] for a, _ in pairs], dtype=np.int64)
    v = np.array([pop.index[b] for _, b in pairs], dtype=np.int64)
    return dict(zip(pairs, score_edges(pop, inst.program, u, v).units.tolist(), strict=True))


def naive_strict_blocking(inst, result, pairs, *, department_cap=None):
    """Pairs both sides strictly prefer (higher integer score) to what they hold, written plainly."""
    by_id = {p.id: p for p in inst.people}
    score = pair_scores(inst, pairs)
    mentor_of = {p["mentee"]: p["mentor"] for p in result["pairs"]}
    held = {}
    for p in result["pairs"]:
        held.setdefault(p["mentor"], []).append(p["mentee"])
    count = 0
    for mentee, mentor in pairs:
        if mentor_of.get(mentee) == mentor:
            continue
        current = mentor_of.get(mentee)
        if current is not None and score[(mentee, mentor)] <= score[(mentee, current)]:
            continue
        mine = held.get(mentor, [])
        same = [m for m in mine if by_id[m].department == by_id[mentee].department]
        if department_cap is not None and len(same) >= department_cap:
            rivals = same
        elif len(mine) < by_id[mentor].capacity:
            count += 1
            continue
        else:
            rivals = mine
        if any(score[(mentee, mentor)] > score[(r, mentor)] for r in rivals):
            count += 1
    return count


def eligible_pairs(inst):
    mentees = [p for p in inst.people if "mentee" in p.roles]
    mentors = [p for p in inst.people if "mentor" in p.roles and p.capacity > 0]
    return [(a.id, b.id) for a in mentees for b in mentors if naive_eligible(inst, a, b)]


@FAST
@given(instances(fmt="one_to_one", max_mentees=7, max_mentors=4))
def test_tied_pairs_never_count_as_blocking(inst):
    result = solve(inst)
    candidates = [(p.id, q.id) for p, q in _candidate_people(inst)]
    assert result["objective"]["blocking_pairs"] == naive_strict_blocking(inst, result, candidates)


def test_identical_people_make_no_blocking_pair():
    # every pair has the same score: whichever perfect matching the flow picks, nobody strictly
    # prefers anyone (positions in tie-broken lists used to count 11 blocking pairs here)
    people = [person(f"m{k}", "mentee") for k in range(6)] + [person(f"t{k}", "mentor") for k in range(6)]
    result = solve(instance(*people, constraints={"skill_match": False}))
    assert (result["objective"]["pairs"], result["objective"]["blocking_pairs"]) == (6, 0)


def _candidate_people(inst):
    prep = prepare(inst)
    people = inst.people
    return [(people[a], people[b]) for a, b in zip(prep.edges.u, prep.edges.v, strict=True)]


@FAST
@given(instances(fmt="one_to_one", max_mentees=8, max_mentors=4), st.integers(1, 2))
def test_stable_blocking_pairs_are_counted_over_every_eligible_pair(inst, limit):
    # a short candidate_limit prunes the preference lists: a free mentor missing from a rejected
    # mentee's list still makes a blocking pair
    inst = inst.with_program(mode="stable", candidate_limit=limit)
    result = solve(inst)
    assert result["objective"]["blocking_pairs_over"] == "all_eligible_pairs"
    assert result["objective"]["blocking_pairs"] == naive_strict_blocking(inst, result, eligible_pairs(inst))


@FAST
@given(instances(fmt="one_to_one", max_mentees=8, max_mentors=3))
def test_stable_mode_keeps_the_department_cap_and_stays_stable(inst):
    inst = inst.with_program(mode="stable", max_mentees_per_department=1)
    result = solve(inst)
    by_id = {p.id: p for p in inst.people}
    seen = set()
    for p in result["pairs"]:
        cell = (p["mentor"], by_id[p["mentee"]].department)
        assert cell not in seen
        seen.add(cell)
    assert result["objective"]["blocking_pairs"] == 0
    assert naive_strict_blocking(inst, result, eligible_pairs(inst), department_cap=1) == 0


@FAST
@given(
    instances(fmt="one_to_one", max_mentees=5, max_mentors=3),
    st.sampled_from(["worst_group", "under_sponsored"]),
)
def test_stable_mode_reports_that_a_fairness_floor_does_not_apply(inst, floor):
    result = solve(inst.with_program(mode="stable", fairness_floor=floor))
    assert result["fairness"]["floor"] == {
        "method": floor,
        "applied": False,
        "reason": "stable_mode_keeps_rankings",
    }
    assert result["pairs"] == solve(inst.with_program(mode="stable"))["pairs"]


def assert_ceiling_bounds_every_pair(inst):
    """The blocking count drops a pair whose ceiling cannot beat what both sides hold: a ceiling below
    the exact score would hide a blocking pair. It is also tight: goal fit and diversity are exact,
    only purpose, practical and preference may be taken at their most."""
    from mentora.matching.stable import _ScoreCeiling

    prep = prepare(inst)
    u = np.repeat(prep.left, len(prep.right))
    v = np.tile(prep.right, len(prep.left))
    exact = score_edges(prep.pop, inst.program, u, v).units.reshape(len(prep.left), len(prep.right))
    ceiling = _ScoreCeiling(prep.pop, inst.program, prep.right).units(prep.left)
    assert (ceiling >= exact).all()
    w = weight_vector(inst.program)
    assert (ceiling <= exact + np.ceil((w[1] + w[3] + w[4]) * SCORE_SCALE) + 3).all()


@FAST
@given(instances(fmt="one_to_one", max_mentees=8, max_mentors=5), st.sampled_from([0.0, 0.5, 1.0]))
def test_the_blocking_count_ceiling_bounds_every_small_instance(inst, purpose_weight):
    assert_ceiling_bounds_every_pair(
        inst.with_program(weights=dict(inst.program.weights, purpose=purpose_weight))
    )


@pytest.mark.parametrize("gap", [0, 1, 2])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_blocking_count_ceiling_bounds_every_generated_pair(seed, gap):
    from mentora.matching.generate import generate_instance

    inst = generate_instance(mentees=80, mentors=25, seed=seed).with_program(min_level_gap=gap)
    assert_ceiling_bounds_every_pair(inst)


def test_the_blocking_count_ceiling_is_the_same_with_sparse_offers(monkeypatch):
    from mentora.matching import stable
    from mentora.matching.generate import generate_instance

    inst = generate_instance(mentees=80, mentors=25, seed=1)
    prep = prepare(inst)
    dense = stable._ScoreCeiling(prep.pop, inst.program, prep.right).units(prep.left)
    monkeypatch.setattr(stable, "_DENSE_OFFERS_CELLS", 0)
    assert (stable._ScoreCeiling(prep.pop, inst.program, prep.right).units(prep.left) == dense).all()
