"""Matching LP with blossom (odd-set) cuts and column generation, solved with GLOP.

The degree-constrained LP is weak on graphs with many triangles (k-nearest-neighbour candidate
graphs are full of them): odd cycles of half edges cost a visible gap.  Edmonds' odd-set
inequalities x(E(S)) <= (|S| - 1) / 2 close it; here they are separated heuristically from the
fractional support, which in practice makes the LP integral in a few rounds.  Columns start from a
subset of edges and are priced in with the duals, so large graphs never need every edge in the LP.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import pywraplp
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

_EPS = 1e-6


@dataclass
class LPResult:
    x: np.ndarray  # value per edge (all edges; 0 outside the LP columns)
    upper: float  # LP optimum in normalised weight units (valid bound only if ``priced``)
    y: np.ndarray  # degree-row duals
    cuts: list[np.ndarray] = field(default_factory=list)  # odd node sets in the model
    z: np.ndarray = field(default_factory=lambda: np.zeros(0))  # their duals
    rc: np.ndarray = field(default_factory=lambda: np.zeros(0))  # reduced cost per edge (all edges)
    priced: bool = False  # no edge has negative reduced cost: ``upper`` is a proven bound
    integral: bool = False
    rounds: int = 0


class _Inside:
    """Edges with both endpoints in a node set, via CSR adjacency (cost ~ sum of degrees)."""

    def __init__(self, n: int, u: np.ndarray, v: np.ndarray) -> None:
        src = np.concatenate([u, v])
        dst = np.concatenate([v, u])
        eid = np.concatenate([np.arange(len(u)), np.arange(len(u))])
        order = np.argsort(src, kind="stable")
        self.nbr, self.eid = dst[order], eid[order]
        self.ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=self.ptr[1:])
        self.mark = np.zeros(n, dtype=bool)

    def edges(self, nodes: np.ndarray) -> np.ndarray:
        lo, hi = self.ptr[nodes], self.ptr[nodes + 1]
        lens = hi - lo
        idx = np.repeat(lo - np.cumsum(np.r_[0, lens[:-1]]), lens) + np.arange(lens.sum())
        self.mark[nodes] = True
        inside = self.mark[self.nbr[idx]]
        self.mark[nodes] = False
        return np.unique(self.eid[idx[inside]])


def _odd_sets(n: int, u: np.ndarray, v: np.ndarray, x: np.ndarray, sel: np.ndarray) -> list[np.ndarray]:
    """Odd connected components of the subgraph of edges ``sel`` (candidate blossoms)."""
    if len(sel) == 0:
        return []
    g = coo_matrix((np.ones(len(sel)), (u[sel], v[sel])), shape=(n, n))
    _, lab = connected_components(g, directed=False)
    touched = np.unique(np.concatenate([u[sel], v[sel]]))
    labs = lab[touched]
    order = np.argsort(labs, kind="stable")
    labs, nodes = labs[order], touched[order]
    bounds = np.flatnonzero(np.r_[True, labs[1:] != labs[:-1], True])
    out = []
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        if (b - a) % 2 == 1 and b - a >= 3:
            out.append(nodes[a:b])
    return out


def solve_blossom_lp(
    n: int,
    u: np.ndarray,
    v: np.ndarray,
    wn: np.ndarray,
    cols0: np.ndarray,
    deadline: float,
    max_rounds: int = 60,
    max_new_cols: int = 200_000,
) -> LPResult:
    """Maximise wn.x over the matching polytope relaxation (degree rows + separated odd sets)."""
    m = len(u)
    inside = _Inside(n, u, v)
    solver = pywraplp.Solver.CreateSolver("GLOP")
    inf = solver.infinity()
    rows = [solver.Constraint(-inf, 1.0) for _ in range(n)]
    obj = solver.Objective()
    obj.SetMaximization()
    var: dict[int, pywraplp.Variable] = {}
    in_lp = np.zeros(m, dtype=bool)
    cut_sets: list[np.ndarray] = []
    cut_rows: list[pywraplp.Constraint] = []

    def add_cols(es: np.ndarray) -> None:
        for e in es.tolist():
            # No upper bound x <= 1: implied by the degree rows, and it would carry its own dual.
            xv = solver.NumVar(0.0, inf, "")
            var[e] = xv
            rows[u[e]].SetCoefficient(xv, 1.0)
            rows[v[e]].SetCoefficient(xv, 1.0)
            obj.SetCoefficient(xv, float(wn[e]))
        # Existing cuts must see new columns that lie inside them.
        if len(cut_sets) and len(es):
            for s_nodes, row in zip(cut_sets, cut_rows, strict=True):
                for e in np.intersect1d(inside.edges(s_nodes), es).tolist():
                    row.SetCoefficient(var[e], 1.0)
        in_lp[es] = True

    add_cols(np.asarray(cols0, dtype=np.int64))
    res = LPResult(x=np.zeros(m), upper=float("inf"), y=np.zeros(n))
    for rnd in range(max_rounds):
        if time.monotonic() > deadline:
            break
        solver.SetTimeLimit(max(1, int((deadline - time.monotonic()) * 1000)))
        status = solver.Solve()
        if status != pywraplp.Solver.OPTIMAL:
            break
        x = np.zeros(m)
        cols = np.flatnonzero(in_lp)
        x[cols] = [var[e].solution_value() for e in cols.tolist()]
        y = np.array([abs(r.dual_value()) for r in rows])
        z = np.array([abs(r.dual_value()) for r in cut_rows])
        # Reduced cost of every edge (also those not in the LP) with the current duals.
        rc = y[u] + y[v] - wn
        for s_nodes, zs in zip(cut_sets, z, strict=True):
            if zs > 1e-12:
                rc[inside.edges(s_nodes)] += zs
        res = LPResult(x, obj.Value(), y, list(cut_sets), z, rc, False, False, rnd + 1)
        # Pricing first: the bound is only valid once no column has negative reduced cost.
        neg = np.flatnonzero((rc < -1e-9) & ~in_lp)
        if len(neg):
            neg = neg[np.argsort(rc[neg], kind="stable")][:max_new_cols]
            add_cols(neg)
            continue
        res.priced = True
        frac = cols[(x[cols] > _EPS) & (x[cols] < 1 - _EPS)]
        if len(frac) == 0:
            res.integral = True
            break
        new = 0
        for sel in (frac, cols[x[cols] > _EPS]):
            for s_nodes in _odd_sets(n, u, v, x, sel):
                es = inside.edges(s_nodes)
                if x[es].sum() > (len(s_nodes) - 1) / 2 + 1e-6:
                    row = solver.Constraint(-inf, (len(s_nodes) - 1) / 2)
                    for e in es[in_lp[es]].tolist():
                        row.SetCoefficient(var[e], 1.0)
                    cut_sets.append(s_nodes)
                    cut_rows.append(row)
                    new += 1
            if new:
                break
        if new == 0:
            break
    return res
