"""Peer pairing benchmark: maximum-weight matching on a synthetic candidate graph.

1. 2,000 people (--quick: 300): ``mentora.matching.peer`` against networkx ``max_weight_matching`` on
   the same graph -- objective equality and speed-up (target: equal, >= 20x faster).
2. 50,000 people (--quick: 5,000): time and the gap to the proven upper bound (target: <= 60 s).

The graph is skill-like: people are points in a 6-dimensional skill space, each person's
candidates are 15-30 of their nearest neighbours (the union is symmetric), and a pair's weight is a
similarity score with noise, three decimals.  Seeded.  Run: ``python bench/matching_peer.py``.
"""

from __future__ import annotations

import argparse
import time

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

from mentora.matching.peer import max_weight_matching


def candidate_graph(n: int, k: int = 30, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.random((n, 6))
    per_person = rng.integers(k // 2, k + 1, size=n)
    _, idx = cKDTree(x).query(x, k=k + 1)
    rows = np.repeat(np.arange(n), k)
    cols = idx[:, 1:].ravel()
    keep = np.tile(np.arange(k), n) < np.repeat(per_person, k)
    a, b = np.minimum(rows, cols)[keep], np.maximum(rows, cols)[keep]
    key = np.unique(a.astype(np.int64) * n + b)
    u, v = key // n, key % n
    w = np.round(np.exp(-2 * np.linalg.norm(x[u] - x[v], axis=1)) * 100 + rng.random(len(u)) * 10, 3)
    return u, v, w


def networkx_value(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist(), strict=True))
    t = time.perf_counter()
    m = nx.max_weight_matching(g)
    return float(sum(g[a][b]["weight"] for a, b in m)), time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="seconds-long smoke run")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    n_small, n_large = (300, 5_000) if args.quick else (2_000, 50_000)

    u, v, w = candidate_graph(n_small, seed=args.seed)
    print(f"[peer vs networkx] {n_small} people, {len(u)} candidate edges")
    t = time.perf_counter()
    res = max_weight_matching(n_small, u, v, w)
    ours = time.perf_counter() - t
    ref, ref_time = networkx_value(n_small, u, v, w)
    equal = abs(res.objective - ref) <= 1e-9 * max(1.0, abs(ref))
    print(f"  mentora  : objective {res.objective:.3f}  exact={res.exact}  {ours:.2f} s  ({res.solver})")
    print(f"  networkx : objective {ref:.3f}  {ref_time:.2f} s")
    print(f"  equal objective: {equal}   speed-up: {ref_time / ours:.1f}x   (target: equal, >= 20x)")

    u, v, w = candidate_graph(n_large, seed=args.seed + 1)
    print(f"[peer at scale] {n_large} people, {len(u)} candidate edges")
    t, cpu = time.perf_counter(), time.process_time()
    res = max_weight_matching(n_large, u, v, w)
    took, cpu = time.perf_counter() - t, time.process_time() - cpu
    gap = (res.upper_bound - res.objective) / res.upper_bound if res.upper_bound else 0.0
    print(
        f"  objective {res.objective:.3f}  upper bound {res.upper_bound:.3f}  gap {100 * gap:.4f}%  "
        f"exact={res.exact}  pairs {len(res.pairs)}  {took:.1f} s ({cpu:.1f} s CPU)  ({res.solver})  "
        "(target: <= 60 s)"
    )


if __name__ == "__main__":
    main()
