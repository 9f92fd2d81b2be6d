"""Circles: partitions into valid groups, checked against an independent checker and brute force."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentora.matching.circles import Circles, CircleSpec, form_circles


class Inst:
    def __init__(self, n, u, v, w, tz, dept, sen, fac, spec):
        self.n, self.u, self.v, self.w = n, u, v, w
        self.tz, self.dept, self.sen, self.fac, self.spec = tz, dept, sen, fac, spec

    def solve(self, **kw) -> Circles:
        return form_circles(
            self.n,
            self.u,
            self.v,
            self.w,
            spec=self.spec,
            utc_offset_hours=self.tz,
            department=self.dept,
            seniority=self.sen,
            can_facilitate=self.fac,
            **kw,
        )


def group_ok(inst: Inst, g: list[int]) -> bool:
    s = inst.spec
    if not s.min_size <= len(g) <= s.max_size:
        return False
    if s.max_tz_span_hours is not None and np.ptp(inst.tz[g]) > s.max_tz_span_hours + 1e-9:
        return False
    per_dept = max(Counter(inst.dept[g].tolist()).values())
    if s.max_per_department is not None and per_dept > s.max_per_department:
        return False
    if s.min_distinct_seniority is not None and len(set(inst.sen[g].tolist())) < s.min_distinct_seniority:
        return False
    return not (s.require_facilitator and not inst.fac[g].any())


def value(inst: Inst, groups: list[list[int]]) -> float:
    where = np.empty(inst.n, dtype=np.int64)
    for gi, g in enumerate(groups):
        where[g] = gi
    same = where[inst.u] == where[inst.v]
    return float(inst.w[same].sum())


def check(inst: Inst, res: Circles) -> None:
    """Partition of everyone; when feasible, every group valid and the figures consistent."""
    flat = sorted(p for g in res.groups for p in g)
    assert flat == list(range(inst.n)), "not a partition of 0..n-1"
    assert len(res.facilitators) == len(res.groups)
    assert res.objective == pytest.approx(value(inst, res.groups), abs=1e-9)
    for g, f in zip(res.groups, res.facilitators, strict=True):
        assert f is None or (f in g and inst.fac[f])
        if inst.spec.require_facilitator and res.feasible:
            assert f is not None
    if res.feasible:
        assert res.violations == []
        assert all(group_ok(inst, g) for g in res.groups)
    else:
        assert res.violations and all(isinstance(m, str) and m for m in res.violations)


def set_partitions(items: list[int], max_size: int) -> Iterator[list[list[int]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in set_partitions(rest, max_size):
        for i in range(len(part)):
            if len(part[i]) < max_size:
                yield [*part[:i], [first, *part[i]], *part[i + 1 :]]
        yield [[first], *part]


def brute(inst: Inst) -> float | None:
    """The best objective among valid partitions with the fewest groups (the documented order)."""
    best = None
    for part in set_partitions(list(range(inst.n)), inst.spec.max_size):
        if all(group_ok(inst, g) for g in part):
            key = (-len(part), value(inst, part))
            best = key if best is None else max(best, key)
    return None if best is None else best[1]


@st.composite
def instances(draw, max_n: int = 9):
    n = draw(st.integers(0, max_n))
    a = draw(st.integers(2, 4))
    b = draw(st.integers(a, a + 2))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=30)) if pairs else []
    w = np.array(draw(st.lists(st.integers(0, 500), min_size=len(chosen), max_size=len(chosen))), float) / 100
    u = np.array([p[0] for p in chosen], dtype=np.int64)
    v = np.array([p[1] for p in chosen], dtype=np.int64)
    tz = np.array(draw(st.lists(st.sampled_from([-5.0, -3.0, 0.0, 1.0, 5.5]), min_size=n, max_size=n)))
    dept = np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=np.int64)
    sen = np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=np.int64)
    fac = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    spec = CircleSpec(
        a,
        b,
        max_tz_span_hours=draw(st.sampled_from([None, 1.0, 3.0, 6.0])),
        max_per_department=draw(st.sampled_from([None, 1, 2])),
        min_distinct_seniority=draw(st.sampled_from([None, 2])),
        require_facilitator=draw(st.booleans()),
    )
    return Inst(n, u, v, w, tz, dept, sen, fac, spec)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(instances())
def test_tiny_instances_match_brute_force(inst: Inst) -> None:
    res = inst.solve()
    check(inst, res)
    best = brute(inst)
    assert res.feasible == (best is not None), res.violations
    if best is not None:
        assert res.objective == pytest.approx(best, abs=1e-6)


def synthetic(n: int, seed: int, spec: CircleSpec) -> Inst:
    rng = np.random.default_rng(seed)
    regions = np.array([-8.0, -5.0, 0.0, 1.0, 5.5, 9.0])
    tz = regions[rng.integers(0, len(regions), n)] + rng.choice([0.0, 0.0, 1.0, -1.0], n)
    dept = rng.integers(0, 6, n)
    sen = rng.integers(0, 4, n)
    fac = rng.random(n) < 0.4
    x = rng.random((n, 3))
    d = np.linalg.norm(x[:, None] - x[None], axis=2)
    k = min(8, n - 1)
    nbr = np.argsort(d, axis=1)[:, 1 : k + 1]
    a = np.repeat(np.arange(n), k)
    key = np.unique(np.minimum(a, nbr.ravel()) * n + np.maximum(a, nbr.ravel()))
    u, v = key // n, key % n
    w = np.round(np.exp(-3 * d[u, v]) * 10, 2)
    return Inst(n, u, v, w, tz, dept, sen, fac, spec)


SPEC = CircleSpec(
    5, 7, max_tz_span_hours=3.0, max_per_department=2, min_distinct_seniority=3, require_facilitator=True
)


def planted(n_groups: int, seed: int, spec: CircleSpec) -> Inst:
    """A synthetic instance with a valid partition planted in it (then shuffled), so a feasible
    partition surely exists and the solver must find one."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(spec.min_size, spec.max_size + 1, n_groups)
    n = int(sizes.sum())
    tz, dept, sen, fac = (np.zeros(n) for _ in range(4))
    i = 0
    for s in sizes.tolist():
        band = rng.choice([-8.0, -5.0, 0.0, 1.0, 5.5, 9.0])
        tz[i : i + s] = band + rng.choice([0.0, 1.0, 2.0], s)  # span <= 2 <= 3
        dept[i : i + s] = np.r_[rng.permutation(6), rng.integers(0, 6, max(0, s - 6))][:s]  # <= 2 each
        sen[i : i + s] = np.r_[rng.permutation(4)[:3], rng.integers(0, 4, s - 3)]
        fac[i : i + s] = rng.random(s) < 0.25
        fac[i + int(rng.integers(0, s))] = 1
        i += s
    perm = rng.permutation(n)
    tz, fac = tz[perm], fac[perm].astype(bool)
    dept, sen = dept[perm].astype(np.int64), sen[perm].astype(np.int64)
    base = synthetic(n, seed, spec)
    return Inst(n, base.u, base.v, base.w, tz, dept, sen, fac, spec)


@settings(max_examples=8, deadline=None, derandomize=True)
@given(st.integers(10, 40), st.integers(0, 10_000))
def test_planted_instances_are_solved_feasibly(n_groups: int, seed: int) -> None:
    inst = planted(n_groups, seed, SPEC)
    res = inst.solve(seed=seed, effort=0.25)  # feasibility is the property here, not quality
    check(inst, res)
    assert res.feasible, res.violations


@settings(max_examples=6, deadline=None, derandomize=True)
@given(st.integers(60, 200), st.integers(0, 10_000))
def test_random_instances_are_valid_or_explained(n: int, seed: int) -> None:
    # Not necessarily feasible: either every constraint holds or the answer says why not.  A low
    # effort keeps the CP-SAT repair windows short.
    inst = synthetic(n, seed, SPEC)
    check(inst, inst.solve(seed=seed, effort=0.25))


def test_local_search_beats_the_construction_and_baseline_is_reported() -> None:
    inst = synthetic(300, 1, SPEC)
    res = inst.solve(compute_baseline=True)
    check(inst, res)
    assert res.feasible and res.baseline_objective is not None
    assert res.baseline_objective <= value(inst, res.groups) * 1.5  # same order of magnitude
    assert inst.solve().baseline_objective is None


def test_deterministic() -> None:
    inst = synthetic(200, 7, SPEC)
    r1, r2 = inst.solve(seed=3), inst.solve(seed=3)
    assert r1.groups == r2.groups and r1.objective == r2.objective and r1.facilitators == r2.facilitators


def tiny(n: int, **spec_kw) -> Inst:
    spec = CircleSpec(**{"min_size": 3, "max_size": 4, **spec_kw})
    z = np.zeros(0, dtype=np.int64)
    return Inst(
        n,
        z,
        z,
        np.zeros(0),
        np.zeros(n),
        np.arange(n) % 3,
        np.arange(n) % 3,
        np.ones(n, dtype=bool),
        spec,
    )


@pytest.mark.parametrize(
    ("inst", "reason"),
    [
        (tiny(2), "fewer than the minimum group size"),
        (tiny(5), "can't be split into groups of 3 to 4"),
        (tiny(9, min_distinct_seniority=4), "distinct seniority levels"),
        (tiny(10, max_per_department=1), "department"),
    ],
)
def test_infeasible_inputs_explain_why(inst: Inst, reason: str) -> None:
    res = inst.solve()
    check(inst, res)
    assert not res.feasible
    assert any(reason in m for m in res.violations), res.violations


def test_not_enough_facilitators() -> None:
    inst = tiny(12, require_facilitator=True)
    inst.fac = np.zeros(12, dtype=bool)
    inst.fac[:2] = True
    res = inst.solve()
    check(inst, res)
    assert not res.feasible and any("facilitate" in m for m in res.violations)


def test_time_zones_too_far_apart() -> None:
    inst = tiny(7, max_tz_span_hours=2.0)
    inst.tz = np.array([0, 0, 0, 5, 5, 10, 10], dtype=float)
    res = inst.solve()
    check(inst, res)
    assert not res.feasible and any("UTC" in m for m in res.violations)


def test_infeasible_only_by_combination_is_proven() -> None:
    # Counting passes (two groups of 3, two facilitators) and so do time zones alone, but both
    # facilitators sit in one time zone, so the other group has none: CP-SAT proves it.
    inst = tiny(6, max_size=3, max_tz_span_hours=1.0, require_facilitator=True)
    inst.tz = np.array([0, 0, 0, 5, 5, 5], dtype=float)
    inst.fac = np.array([True, True, False, False, False, False])
    res = inst.solve()
    check(inst, res)
    assert not res.feasible
    assert any("proven" in m for m in res.violations), res.violations
    assert math.isfinite(res.objective)


def test_combination_proven_beyond_exact_size() -> None:
    # Same trap with 40 people: repair fails, the CP-SAT feasibility model proves it.
    n = 40
    inst = tiny(n, min_size=4, max_size=5, max_tz_span_hours=1.0, require_facilitator=True)
    inst.tz = np.where(np.arange(n) < 20, 0.0, 5.0)
    inst.fac = np.arange(n) < 10  # ten facilitators, all in the first time zone
    res = inst.solve()
    check(inst, res)
    assert not res.feasible


def test_annealing_counts_judge_every_step_as_a_full_group_check_would() -> None:
    # the annealing decides moves and swaps from counts it keeps up to date, and pre-judges whole
    # blocks of proposals with their numpy mirrors; both must agree with checking both new groups
    # from scratch (the block check may let an invalid step through to the exact one, never turn a
    # valid one away), and the usefulness it reads must be the objective's true change
    import random

    from mentora.matching import circles

    inst = synthetic(150, 3, SPEC)
    rng = np.random.default_rng(3)
    fu, fv = rng.integers(0, 150, 200), rng.integers(0, 150, 200)
    pb = circles._Problem(150, inst.u, inst.v, inst.w, SPEC, inst.tz, inst.dept, inst.sen, inst.fac, (fu, fv))
    start = inst.solve(forbidden=(fu, fv), effort=0.25)
    assert start.feasible
    state = circles._State(pb, start.groups)
    counts = circles._GroupCounts(pb, state)
    pick = random.Random(5)
    disagreements = checked = turned_away = screened_out = 0

    def one(x: int) -> np.ndarray:
        return np.array([x])

    for _ in range(3000):
        p, r = pick.randrange(150), pick.randrange(150)
        ga, gb = state.grp[p], state.grp[r]
        if ga == gb:
            continue
        ma, mb = state.members[ga], state.members[gb]
        swapped = pb.valid([r if x == p else x for x in ma]) and pb.valid([p if x == r else x for x in mb])
        disagreements += counts.can_swap(p, r, ga, gb) != swapped
        admitted = counts.admissible(one(p), one(r), one(ga), one(gb), one(False))[0]
        turned_away += swapped and not admitted
        screened_out += not admitted
        before = pb.objective(state.members)
        after = pb.objective(
            [[r if x == p else x for x in ma], [p if x == r else x for x in mb]]
            + [g for gi, g in enumerate(state.members) if gi not in (ga, gb)]
        )
        assert counts.swap_change(p, r, ga, gb) == pytest.approx(after - before, abs=1e-9)
        (p_a,), (p_b,), (p_r,) = counts.usefulness(one(p), one(ga), one(gb), one(r))
        assert (p_a, p_b, p_r) == pytest.approx(
            (pb.gain(p, ma), pb.gain(p, mb), pb.wmap[p].get(r, 0.0)), abs=1e-9
        )
        if len(ma) > SPEC.min_size and len(mb) < SPEC.max_size:
            moved = pb.valid([x for x in ma if x != p]) and pb.valid([*mb, p])
            disagreements += counts.can_move(p, ga, gb) != moved
            turned_away += moved and not counts.admissible(one(p), one(r), one(ga), one(gb), one(True))[0]
        checked += 1
        if swapped and pick.random() < 0.5:
            counts.shift(p, ga, gb)
            counts.shift(r, gb, ga)
    assert checked > 1000 and disagreements == 0 and turned_away == 0
    assert screened_out > 100  # the block check does turn invalid steps away
    assert all(pb.valid(g) for g in state.members)
    assert counts.grp_a.tolist() == state.grp
