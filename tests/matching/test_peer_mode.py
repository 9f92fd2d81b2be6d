"""The peer format end to end: edges from the engine, matching from mentora.matching.peer."""

import itertools

from hypothesis import HealthCheck, given, settings

from mentora.matching.engine import prepare, solve
from mentora.matching.generate import generate_instance
from tests.matching.strategies import instances, naive_eligible

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def brute_force(prep):
    """Best matching by trying every subset of edges (instances have at most 9 peers)."""
    e = prep.edges
    edges = [(int(a), int(b), float(round(s, 6))) for a, b, s in zip(e.u, e.v, e.score, strict=True) if s > 0]
    best = 0.0

    def extend(i, used, total):
        nonlocal best
        best = max(best, total)
        for j in range(i, len(edges)):
            a, b, s = edges[j]
            if a not in used and b not in used:
                extend(j + 1, used | {a, b}, total + s)

    extend(0, frozenset(), 0.0)
    return best


@FAST
@given(instances(fmt="peer"))
def test_peer_pairing_is_optimal_and_respects_the_rules(inst):
    result = solve(inst)
    assert abs(result["objective"]["total_score"] - brute_force(prepare(inst))) <= 1e-5
    by_id = {p.id: p for p in inst.people}
    seen = set()
    for pair in result["pairs"]:
        a, b = pair["people"]
        assert naive_eligible(inst, by_id[a], by_id[b])
        assert a not in seen and b not in seen
        seen |= {a, b}
    matched = {x for p in result["pairs"] for x in p["people"]}
    assert {u["id"] for u in result["unmatched"]} == {p.id for p in inst.people} - matched


def test_a_generated_peer_program_is_exact_and_explained():
    result = solve(generate_instance(peers=300, seed=3))
    assert result["objective"]["exact"]
    assert result["objective"]["gap_percent"] == 0
    assert all(p["reasons"] for p in result["pairs"])
    assert not set(itertools.chain.from_iterable(p["people"] for p in result["pairs"])) & {
        u["id"] for u in result["unmatched"]
    }
