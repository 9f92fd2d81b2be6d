import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from mentora.matching.eligibility import sides
from mentora.matching.engine import prepare
from mentora.matching.population import build_population
from tests.matching.helpers import alice, bob, instance, person
from tests.matching.strategies import instances, naive_eligible

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def edge_ids(inst):
    prep = prepare(inst)
    return {(prep.pop.ids[a], prep.pop.ids[b]) for a, b in zip(prep.edges.u, prep.edges.v, strict=True)}


@FAST
@given(instances(fmt="one_to_one"))
def test_exhaustive_candidates_are_exactly_the_eligible_pairs(inst):
    mentees = [p for p in inst.people if "mentee" in p.roles]
    mentors = [p for p in inst.people if "mentor" in p.roles]
    expected = {(e.id, m.id) for e in mentees for m in mentors if naive_eligible(inst, e, m)}
    assert edge_ids(inst) == expected


@FAST
@given(instances(fmt="reverse"))
def test_reverse_mentoring_flips_seniority(inst):
    mentees = [p for p in inst.people if "mentee" in p.roles]
    mentors = [p for p in inst.people if "mentor" in p.roles]
    expected = {(e.id, m.id) for e in mentees for m in mentors if naive_eligible(inst, e, m)}
    assert edge_ids(inst) == expected


@FAST
@given(instances(fmt="peer"))
def test_peer_candidates_are_the_eligible_unordered_pairs(inst):
    peers = list(inst.people)
    expected = {
        (a.id, b.id) for i, a in enumerate(peers) for b in peers[i + 1 :] if naive_eligible(inst, a, b)
    }
    assert edge_ids(inst) == expected


def test_it_never_pairs_anyone_in_the_same_reporting_line_at_any_depth():
    boss = person("boss", "mentor", seniority=10, offered_skills={"kubernetes": 5}, capacity=3)
    middle = person("middle", "mentor", seniority=8, manager_id="boss", offered_skills={"kubernetes": 5})
    carol = person("carol", "mentor", seniority=8, offered_skills={"kubernetes": 5}, department="Sales")
    mentee = alice(manager_id="middle")
    assert edge_ids(instance(boss, middle, carol, mentee)) == {("alice", "carol")}


def test_reporting_line_is_checked_in_both_directions():
    # a senior mentee whose skip-level report is the reverse mentor
    senior = person("sam", "mentee", seniority=9, wanted_skills={"tiktok": 1})
    lead = person("lee", "mentor", seniority=5, manager_id="sam")
    junior = person("jo", "mentor", seniority=2, manager_id="lee", offered_skills={"tiktok": 5})
    outsider = person("ola", "mentor", seniority=2, offered_skills={"tiktok": 5})
    assert edge_ids(instance(senior, lead, junior, outsider, format="reverse")) == {("sam", "ola")}


def test_blocks_previous_partners_and_zero_capacity_exclude_pairs():
    m1 = person("m1", "mentor", offered_skills={"kubernetes": 5}, blocks=frozenset({"alice"}))
    m2 = person("m2", "mentor", offered_skills={"kubernetes": 5})
    m3 = person("m3", "mentor", offered_skills={"kubernetes": 5}, capacity=0)
    m4 = person("m4", "mentor", offered_skills={"kubernetes": 5})
    a = alice(previous_partners=frozenset({"m2"}))
    assert edge_ids(instance(m1, m2, m3, m4, a)) == {("alice", "m4")}


def test_it_requires_the_level_gap_over_the_private_self_assessment():
    strong = alice(self_assessment={"kubernetes": 4})
    assert edge_ids(instance(strong, bob(), min_level_gap=2)) == set()
    assert edge_ids(instance(strong, bob(), min_level_gap=1)) == {("alice", "bob")}


def test_it_requires_overlapping_working_hours_and_a_shared_language():
    tokyo = bob(timezone="Asia/Tokyo")
    assert edge_ids(instance(alice(), tokyo, min_tz_overlap_hours=2)) == set()
    assert edge_ids(instance(alice(), tokyo, min_tz_overlap_hours=0)) == {("alice", "bob")}
    german = bob(languages=("de",))
    assert edge_ids(instance(alice(), german)) == set()
    assert edge_ids(instance(alice(), german, constraints={"language": False})) == {("alice", "bob")}


def test_reporting_line_matches_a_walk_up_the_tree():
    rng = np.random.default_rng(5)
    n = 300
    people = []
    managers = [-1] + [int(rng.integers(0, i)) for i in range(1, n)]
    for i in range(n):
        people.append(person(f"p{i}", "mentor", manager_id=f"p{managers[i]}" if managers[i] >= 0 else None))
    pop = build_population(instance(*people))
    a, b = rng.integers(0, n, 5000), rng.integers(0, n, 5000)

    def ancestors(i):
        out = set()
        while managers[i] >= 0:
            i = managers[i]
            out.add(i)
        return out

    expected = [int(y) in ancestors(int(x)) or int(x) in ancestors(int(y)) for x, y in zip(a, b, strict=True)]
    assert pop.same_reporting_line(a, b).tolist() == expected


def test_limited_candidates_only_contain_eligible_pairs():
    from mentora.matching.generate import generate_instance

    inst = generate_instance(mentees=300, mentors=100, seed=4, candidate_limit=10)
    prep = prepare(inst)
    by_id = {p.id: p for p in inst.people}
    sample = list(zip(prep.edges.u[:400], prep.edges.v[:400], strict=True))
    assert sample
    for a, b in sample:
        assert naive_eligible(inst, by_id[prep.pop.ids[a]], by_id[prep.pop.ids[b]])
    assert np.bincount(prep.edges.u).max() <= max(10, 4 * 10)
    left, _ = sides(prep.pop, inst.program)
    assert set(prep.edges.u.tolist()) <= set(left.tolist())


@pytest.mark.parametrize("fmt", ["one_to_one", "reverse", "peer"])
@pytest.mark.parametrize("tabulated", [True, False])
def test_rules_on_a_block_of_people_x_partners_equal_the_rules_pair_by_pair(monkeypatch, fmt, tabulated):
    """The unmatched diagnosis checks a column of people against a row of partners at once; each rule
    must give there what it gives pair by pair (also without the overlap table and the dense levels)."""
    from mentora.matching import population
    from mentora.matching.eligibility import constraint_masks
    from mentora.matching.generate import generate_instance

    if not tabulated:
        monkeypatch.setattr(population, "_OVERLAP_TABLE_PROFILES", 0)
        monkeypatch.setattr(population, "_DENSE_LEVEL_LIMIT", 0)
    sizes = {"peers": 120} if fmt == "peer" else {"mentees": 90, "mentors": 40}
    inst = generate_instance(seed=3, program_format=fmt, **sizes)
    inst = inst.with_program(constraints=dict.fromkeys(inst.program.constraints, True))
    pop = build_population(inst)
    rows, cols = sides(pop, inst.program)
    block = constraint_masks(pop, inst.program, rows[:, None], cols[None, :])
    pairs = constraint_masks(pop, inst.program, np.repeat(rows, len(cols)), np.tile(cols, len(rows)))
    assert set(block) == set(pairs) and len(pairs) >= 8
    for name, mask in pairs.items():
        expected = mask.reshape(len(rows), len(cols))
        assert np.array_equal(np.broadcast_to(block[name], expected.shape), expected), name
        assert expected.sum() > 0 or name == "distinct"
