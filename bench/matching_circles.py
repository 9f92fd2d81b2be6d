"""Circles benchmark: 10,000 people (--quick: 1,000) into groups of 5-7.

Constraints: UTC offsets within 3 h per group, at most 2 people per department, at least 3
distinct seniority levels, a facilitator in every group.  Every constraint is checked here,
independently of the solver.  The objective (sum of within-group usefulness) is printed against
the baseline "random valid partition + the same local-search budget" (``compute_baseline``).
Target: <= 60 s, every constraint met.

Synthetic, seeded: nine time-zone regions of different sizes (+-1 h jitter), 12 departments, 5
seniority levels, 30% can facilitate; usefulness is a similarity in a 6-d skill space over each
person's 20 nearest neighbours.  Run: ``python bench/matching_circles.py``.
"""

from __future__ import annotations

import argparse
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


def population(n: int, seed: int = 0, k: int = 20):
    rng = np.random.default_rng(seed)
    regions = np.array([-8, -5, 0, 1, 2, 5.5, 8, 9, 10])
    share = np.array([2, 3, 2, 3, 1, 2, 1, 1, 1]) / 16
    tz = regions[rng.choice(len(regions), size=n, p=share)] + rng.choice([0, 0, 0, 1, -1], size=n)
    dept = rng.integers(0, 12, size=n)
    sen = rng.integers(0, 5, size=n)
    fac = rng.random(n) < 0.3
    x = rng.random((n, 6))
    x[:, 0] = dept / 12 + rng.random(n) * 0.2  # colleagues tend to find each other useful
    _, idx = cKDTree(x).query(x, k=k + 1)
    rows = np.repeat(np.arange(n), k)
    cols = idx[:, 1:].ravel()
    key = np.unique(np.minimum(rows, cols) * n + np.maximum(rows, cols))
    u, v = key // n, key % n
    w = np.round(np.exp(-2 * np.linalg.norm(x[u] - x[v], axis=1)) * 10, 3)
    return u, v, w, tz.astype(float), dept, sen, fac


def check(n, groups, tz, dept, sen, fac) -> list[str]:
    problems = []
    seen = sorted(p for g in groups for p in g)
    if seen != list(range(n)):
        problems.append("not a partition of everyone")
    for gi, g in enumerate(groups):
        if not SPEC.min_size <= len(g) <= SPEC.max_size:
            problems.append(f"group {gi}: size {len(g)}")
        if np.ptp(tz[g]) > SPEC.max_tz_span_hours:
            problems.append(f"group {gi}: span {np.ptp(tz[g])}")
        if max(Counter(dept[g].tolist()).values()) > SPEC.max_per_department:
            problems.append(f"group {gi}: department")
        if len(set(sen[g].tolist())) < SPEC.min_distinct_seniority:
            problems.append(f"group {gi}: seniority")
        if not fac[g].any():
            problems.append(f"group {gi}: facilitator")
    return problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="seconds-long smoke run")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    n = 1_000 if args.quick else 10_000
    u, v, w, tz, dept, sen, fac = population(n, args.seed)
    kw = {
        "spec": SPEC,
        "utc_offset_hours": tz,
        "department": dept,
        "seniority": sen,
        "can_facilitate": fac,
        "seed": args.seed,
    }
    print(f"[circles] {n} people, {len(u)} usefulness edges, groups of {SPEC.min_size}-{SPEC.max_size}")
    t, cpu = time.perf_counter(), time.process_time()
    res = form_circles(n, u, v, w, **kw)
    took, cpu = time.perf_counter() - t, time.process_time() - cpu
    problems = check(n, res.groups, tz, dept, sen, fac)
    sizes = Counter(len(g) for g in res.groups)
    print(
        f"  mentora : objective {res.objective:.3f}  groups {len(res.groups)} {dict(sorted(sizes.items()))}  "
        f"feasible={res.feasible}  {took:.1f} s ({cpu:.1f} s CPU)  (target: <= 60 s)"
    )
    print(f"  independent check: {'every constraint met' if not problems else problems[:5]}")
    t, cpu = time.perf_counter(), time.process_time()
    base = form_circles(n, u, v, w, compute_baseline=True, **kw)
    took_b, cpu = time.perf_counter() - t, time.process_time() - cpu
    if base.baseline_objective is None:
        print("  baseline: no random valid partition found within the work budget")
    else:
        lift = 100 * (res.objective / base.baseline_objective - 1)
        print(
            f"  baseline (random valid partition + same local search): objective "
            f"{base.baseline_objective:.3f}  -> mentora is {lift:+.1f}%  "
            f"({took_b:.1f} s, {cpu:.1f} s CPU for both runs)"
        )


if __name__ == "__main__":
    main()
