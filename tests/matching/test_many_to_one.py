import json

import numpy as np
from hypothesis import HealthCheck, given, settings

from mentora.matching.engine import prepare, solve
from mentora.matching.generate import generate_instance
from tests.matching.lp import optimum
from tests.matching.strategies import instances, naive_eligible

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def reference(inst, *, dept_cap=None):
    prep = prepare(inst)
    e, pop = prep.edges, prep.pop
    mentee = np.searchsorted(prep.left, e.u)
    mentor = np.searchsorted(prep.right, e.v)
    rows = [mentee, mentor]
    caps = [np.ones(len(prep.left)), pop.capacity[prep.right].astype(float)]
    if dept_cap:
        key = mentor * (pop.department.max() + 1) + pop.department[e.u]
        _, group = np.unique(key, return_inverse=True)
        rows.append(group)
        caps.append(np.full(group.max() + 1 if len(group) else 0, dept_cap, dtype=float))
    return optimum(rows, caps, np.round(e.score, 6))


def check_valid(inst, result):
    by_id = {p.id: p for p in inst.people}
    load = {}
    mentees = set()
    for pair in result["pairs"]:
        mentor, mentee = by_id[pair["mentor"]], by_id[pair["mentee"]]
        assert naive_eligible(inst, mentee, mentor)
        assert mentee.id not in mentees
        mentees.add(mentee.id)
        load[mentor.id] = load.get(mentor.id, 0) + 1
    for mid, count in load.items():
        assert count <= by_id[mid].capacity
    return load


@FAST
@given(instances(fmt="one_to_one"))
def test_the_objective_equals_the_integer_programming_optimum(inst):
    result = solve(inst)
    best, _ = reference(inst)
    assert abs(result["objective"]["total_score"] - best) <= 1e-5 * max(1, len(result["pairs"]))
    check_valid(inst, result)


@FAST
@given(instances(fmt="one_to_one"))
def test_a_department_cap_is_respected_and_still_optimal(inst):
    inst = inst.with_program(max_mentees_per_department=1)
    result = solve(inst)
    best, _ = reference(inst, dept_cap=1)
    assert abs(result["objective"]["total_score"] - best) <= 1e-5 * max(1, len(result["pairs"]))
    by_id = {p.id: p for p in inst.people}
    seen = set()
    for pair in result["pairs"]:
        key = (pair["mentor"], by_id[pair["mentee"]].department)
        assert key not in seen
        seen.add(key)


@FAST
@given(instances(fmt="one_to_one"))
def test_max_cardinality_first_matches_as_many_as_possible_then_maximises_score(inst):
    inst = inst.with_program(max_cardinality_first=True)
    result = solve(inst)
    prep = prepare(inst)
    rows_weight = np.ones(len(prep.edges))
    mentee = np.searchsorted(prep.left, prep.edges.u)
    mentor = np.searchsorted(prep.right, prep.edges.v)
    caps = [np.ones(len(prep.left)), prep.pop.capacity[prep.right].astype(float)]
    most, _ = optimum([mentee, mentor], caps, rows_weight)
    assert len(result["pairs"]) == round(most)
    # among maximum matchings, the best score: big-M objective
    lexi, _ = optimum([mentee, mentor], caps, 1000.0 + np.round(prep.edges.score, 6))
    assert abs(result["objective"]["total_score"] - (lexi - 1000.0 * most)) <= 1e-4
    check_valid(inst, result)


@FAST
@given(instances(fmt="reverse"))
def test_reverse_mentoring_is_optimal_and_mentors_are_junior(inst):
    result = solve(inst)
    best, _ = reference(inst)
    assert abs(result["objective"]["total_score"] - best) <= 1e-5 * max(1, len(result["pairs"]))
    by_id = {p.id: p for p in inst.people}
    for pair in result["pairs"]:
        assert by_id[pair["mentor"]].seniority < by_id[pair["mentee"]].seniority


def without_timings(result):
    result = json.loads(json.dumps(result))
    result["solver"].pop("timings_s")
    return result


def test_results_are_deterministic_for_a_seed():
    inst = generate_instance(mentees=400, mentors=120, seed=11)
    assert without_timings(solve(inst)) == without_timings(solve(inst))


def test_candidate_pruning_costs_little_against_all_eligible_pairs():
    inst = generate_instance(mentees=600, mentors=200, seed=2, candidate_limit=30)
    pruned = solve(inst)["objective"]["total_score"]
    full = solve(inst.with_program(candidate_limit=None))["objective"]["total_score"]
    assert pruned <= full + 1e-6
    assert pruned >= 0.995 * full


def test_a_generated_instance_respects_capacities_and_hard_rules():
    inst = generate_instance(mentees=500, mentors=150, seed=3)
    result = solve(inst)
    load = check_valid(inst, result)
    assert sum(load.values()) == len(result["pairs"]) > 0
    assert result["fairness"]["mentor_load"]["gini"] >= 0
