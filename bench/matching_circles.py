"""Circles benchmark: the engine against a random valid partition + local search given 30 s.

Instances (seeded, synthetic): 200 to 10,000 people in nine time-zone regions (+-1 h jitter), 12
departments, 5 seniority levels, 30% can facilitate, three "must not share a circle" pairs per
person among nearby colleagues (reporting lines, blocks, previous partners); usefulness is a
similarity in a 6-d skill space over each person's 20 nearest neighbours.  Rules: groups of 5-7,
UTC offsets within 3 h, at most 2 per department, at least 3 seniority levels, a facilitator.

For each instance, in the same run:
- mentora: ``form_circles`` with its deterministic work budgets (effort 1);
- baseline: a random valid partition (``form_circles`` on zero usefulness: a usefulness-blind
  valid start) improved by this file's own hill-climbing local search (moves and swaps, checked
  by this file's own validity test) for --baseline-seconds of CPU time (30 by default: on a
  shared, loaded machine 30 s of wall clock would buy it a few seconds of work; a bench may read
  the clock, the engine never does).
Every constraint of both results is checked here, independently of the solver.  Targets: the
engine beats the baseline on every instance, using <= 10 s; 10,000 people in <= 60 s.  CPU
seconds are printed beside wall seconds, and the load average, because the machine is shared.

Run: ``python bench/matching_circles.py`` (``--quick``: two small instances, 5 s baseline).
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections import Counter

import numpy as np
from scipy.spatial import cKDTree

from mentora.matching.circles import CircleSpec, form_circles

SPEC = CircleSpec(
    min_size=5,
    max_size=7,
    max_tz_span_hours=3.0,
    max_per_department=2,
    min_distinct_seniority=3,
    require_facilitator=True,
)
SIZES = (200, 500, 1_000, 2_000, 5_000, 10_000)


class Population:
    def __init__(self, n: int, seed: int, k: int = 20, forbidden_per_person: int = 3) -> None:
        rng = np.random.default_rng(seed)
        regions = np.array([-8, -5, 0, 1, 2, 5.5, 8, 9, 10])
        share = np.array([2, 3, 2, 3, 1, 2, 1, 1, 1]) / 16
        self.n = n
        self.tz = (
            regions[rng.choice(len(regions), size=n, p=share)] + rng.choice([0, 0, 0, 1, -1], size=n)
        ).astype(float)
        self.dept = rng.integers(0, 12, size=n)
        self.sen = rng.integers(0, 5, size=n)
        self.fac = rng.random(n) < 0.3
        x = rng.random((n, 6))
        x[:, 0] = self.dept / 12 + rng.random(n) * 0.2  # colleagues tend to find each other useful
        _, idx = cKDTree(x).query(x, k=k + 1)
        rows = np.repeat(np.arange(n), k)
        cols = idx[:, 1:].ravel()
        key = np.unique(np.minimum(rows, cols) * n + np.maximum(rows, cols))
        self.u, self.v = key // n, key % n
        self.w = np.round(np.exp(-2 * np.linalg.norm(x[self.u] - x[self.v], axis=1)) * 10, 3)
        # Forbidden pairs among the people a grouping would like together: same department and
        # time zones close enough to share a circle.
        a = rng.integers(0, n, n * 40)
        b = rng.integers(0, n, n * 40)
        near = (a != b) & (self.dept[a] == self.dept[b]) & (np.abs(self.tz[a] - self.tz[b]) <= 3)
        key = np.unique(np.minimum(a[near], b[near]) * n + np.maximum(a[near], b[near]))[
            : n * forbidden_per_person
        ]
        self.fu, self.fv = key // n, key % n
        self.forbid = [set() for _ in range(n)]
        for p, q in zip(self.fu.tolist(), self.fv.tolist(), strict=True):
            self.forbid[p].add(q)
            self.forbid[q].add(p)
        self.adj: list[dict[int, float]] = [{} for _ in range(n)]
        for p, q, weight in zip(self.u.tolist(), self.v.tolist(), self.w.tolist(), strict=True):
            self.adj[p][q] = self.adj[p].get(q, 0.0) + weight
            self.adj[q][p] = self.adj[q].get(p, 0.0) + weight

    def solve(self, *, weights: np.ndarray | None = None, effort: float = 1.0):
        return form_circles(
            self.n,
            self.u,
            self.v,
            self.w if weights is None else weights,
            spec=SPEC,
            utc_offset_hours=self.tz,
            department=self.dept,
            seniority=self.sen,
            can_facilitate=self.fac,
            forbidden=(self.fu, self.fv),
            seed=0,
            effort=effort,
        )

    def group_ok(self, g: list[int]) -> bool:
        if not SPEC.min_size <= len(g) <= SPEC.max_size:
            return False
        tz = [self.tz[p] for p in g]
        if max(tz) - min(tz) > SPEC.max_tz_span_hours:
            return False
        if max(Counter(self.dept[p] for p in g).values()) > SPEC.max_per_department:
            return False
        if len({self.sen[p] for p in g}) < SPEC.min_distinct_seniority:
            return False
        if not any(self.fac[p] for p in g):
            return False
        members = set(g)
        return not any(self.forbid[p] & members for p in g)

    def problems(self, groups: list[list[int]]) -> list[str]:
        out = []
        if sorted(p for g in groups for p in g) != list(range(self.n)):
            out.append("not a partition of everyone")
        out += [f"group {gi} breaks a rule" for gi, g in enumerate(groups) if not self.group_ok(g)]
        return out

    def objective(self, groups: list[list[int]]) -> float:
        return sum(self.adj[p].get(q, 0.0) for g in groups for p in g for q in g if p < q)


def local_search(pop: Population, groups: list[list[int]], seconds: float, seed: int) -> list[list[int]]:
    """Hill climbing: a random person tries a move or a swap towards a useful neighbour's group
    (or a random person's), kept when the objective does not drop and both groups stay valid."""
    rng = random.Random(seed)
    members = [list(g) for g in groups]
    where = [0] * pop.n
    for gi, g in enumerate(members):
        for p in g:
            where[p] = gi
    neighbours = [list(d) for d in pop.adj]
    deadline = time.process_time() + seconds
    step = 0
    while True:
        step += 1
        if step % 256 == 0 and time.process_time() > deadline:
            break
        p = rng.randrange(pop.n)
        q = rng.choice(neighbours[p]) if neighbours[p] and rng.random() < 0.8 else rng.randrange(pop.n)
        ga, gb = where[p], where[q]
        if ga == gb:
            continue
        ma, mb = members[ga], members[gb]
        adj_p = pop.adj[p]
        gain_p = sum(adj_p.get(x, 0.0) for x in mb) - sum(adj_p.get(x, 0.0) for x in ma)
        if len(ma) > SPEC.min_size and len(mb) < SPEC.max_size and rng.random() < 0.3:
            na, nb = [x for x in ma if x != p], [*mb, p]
            delta = gain_p
            swap = None
        else:
            r = rng.choice(mb)
            adj_r = pop.adj[r]
            w_pr = adj_p.get(r, 0.0)
            delta = (
                gain_p - w_pr + sum(adj_r.get(x, 0.0) for x in ma) - sum(adj_r.get(x, 0.0) for x in mb) - w_pr
            )
            na, nb = [r if x == p else x for x in ma], [p if x == r else x for x in mb]
            swap = r
        if delta < 0 or not (pop.group_ok(na) and pop.group_ok(nb)):
            continue
        members[ga], members[gb] = na, nb
        where[p] = gb
        if swap is not None:
            where[swap] = ga
    return [sorted(g) for g in members]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="two small instances, 5 s baseline")
    ap.add_argument("--baseline-seconds", type=float, default=30.0)
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="people per instance")
    args = ap.parse_args()
    sizes = (200, 1_000) if args.quick else args.sizes
    seconds = 5.0 if args.quick else args.baseline_seconds
    print(f"[circles] load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the start")
    for n in sizes:
        pop = Population(n, seed=n)
        t, cpu = time.perf_counter(), time.process_time()
        res = pop.solve()
        took, cpu = time.perf_counter() - t, time.process_time() - cpu
        problems = pop.problems(res.groups)
        ok = res.feasible and not problems
        target = 60 if n >= 10_000 else 10
        print(
            f"  {n:>6} people, {len(pop.u)} usefulness edges, {len(pop.fu)} forbidden pairs\n"
            f"    mentora : objective {res.objective:10.3f}  groups {len(res.groups)} "
            f"(fewest proven: {res.fewest_groups_proven})  {took:.1f} s wall, {cpu:.1f} s CPU "
            f"(target <= {target} s)  check: {'every rule met' if ok else (problems or res.violations)[:3]}"
        )
        start = pop.solve(weights=np.zeros(len(pop.u)), effort=0.25)
        if not start.feasible:
            print("    baseline: no random valid partition found")
            continue
        t, cpu = time.perf_counter(), time.process_time()
        base = local_search(pop, start.groups, seconds, seed=n)
        took_b, cpu_b = time.perf_counter() - t, time.process_time() - cpu
        value = pop.objective(base)
        problems = pop.problems(base)
        lift = 100 * (res.objective / value - 1) if value else float("inf")
        verdict = "beats" if res.objective > value else "DOES NOT BEAT"
        check = "every rule met" if not problems else problems[:3]
        print(
            f"    baseline: objective {value:10.3f}  groups {len(base)}  "
            f"{took_b:.1f} s wall, {cpu_b:.1f} s CPU  check: {check}  -> mentora {lift:+.2f}% ({verdict} it)",
            flush=True,
        )
    print(f"[circles] load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
