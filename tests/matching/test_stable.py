from hypothesis import HealthCheck, given, settings
from matching.games import HospitalResident

from mentora.matching.engine import preference_lists, prepare, solve
from mentora.matching.generate import generate_instance
from tests.matching.strategies import instances, naive_eligible

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def naive_blocking_pairs(inst, result):
    """Count blocking pairs the slow way, from the preference lists."""
    mentee_prefs, mentor_prefs, capacity = preference_lists(prepare(inst))
    mentor_of = {p["mentee"]: p["mentor"] for p in result["pairs"]}
    held = {}
    for p in result["pairs"]:
        held.setdefault(p["mentor"], []).append(p["mentee"])
    count = 0
    for mentee, prefs in mentee_prefs.items():
        current = mentor_of.get(mentee)
        better = prefs if current is None else prefs[: prefs.index(current)]
        for mentor in better:
            mine = held.get(mentor, [])
            ranks = mentor_prefs[mentor]
            if len(mine) < capacity[mentor] or any(ranks.index(mentee) < ranks.index(m) for m in mine):
                count += 1
    return count


def reference_matching(inst):
    mentee_prefs, mentor_prefs, capacity = preference_lists(prepare(inst))
    if not mentee_prefs:
        return set()
    game = HospitalResident.create_from_dictionaries(mentee_prefs, mentor_prefs, capacity)
    return {(str(r), str(h)) for h, rs in game.solve(optimal="resident").items() for r in rs}


@FAST
@given(instances(fmt="one_to_one"))
def test_stable_results_have_no_blocking_pair_and_equal_the_matching_package(inst):
    inst = inst.with_program(mode="stable")
    result = solve(inst)
    assert result["objective"]["blocking_pairs"] == 0 == naive_blocking_pairs(inst, result)
    assert {(p["mentee"], p["mentor"]) for p in result["pairs"]} == reference_matching(inst)
    by_id = {p.id: p for p in inst.people}
    for p in result["pairs"]:
        assert naive_eligible(inst, by_id[p["mentee"]], by_id[p["mentor"]])


@FAST
@given(instances(fmt="one_to_one"))
def test_the_optimal_result_reports_its_blocking_pairs_truthfully(inst):
    result = solve(inst)
    assert result["objective"]["blocking_pairs"] == naive_blocking_pairs(inst, result)


@FAST
@given(instances(fmt="one_to_one"))
def test_explicit_rankings_come_before_scores(inst):
    inst = inst.with_program(mode="stable", ranking_source="preferences")
    result = solve(inst)
    assert result["objective"]["blocking_pairs"] == 0
    mentee_prefs, _, _ = preference_lists(prepare(inst))
    by_id = {p.id: p for p in inst.people}
    for mentee, prefs in mentee_prefs.items():
        stated = [m for m in by_id[mentee].preferences if m in prefs]
        assert prefs[: len(stated)] == stated
    assert {(p["mentee"], p["mentor"]) for p in result["pairs"]} == reference_matching(inst)


def test_a_generated_instance_matches_the_matching_package_exactly():
    inst = generate_instance(mentees=400, mentors=80, seed=5).with_program(mode="stable")
    result = solve(inst)
    assert {(p["mentee"], p["mentor"]) for p in result["pairs"]} == reference_matching(inst)
    assert result["objective"]["blocking_pairs"] == 0
