"""Matching LP with blossom (odd-set) cuts on a region of the graph, solved with GLOP.

The degree-constrained LP is weak on graphs with many triangles (k-nearest-neighbour candidate
graphs are full of them): odd cycles of half edges cost a visible gap.  Edmonds' odd-set
inequalities x(E(S)) <= (|S| - 1) / 2 close it; here they are separated heuristically from the
fractional support, which in practice makes the LP integral in a few rounds.  The LP may cover only
a region of the graph; see ``peer._region_bound`` for how the rest of the graph is accounted for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import pywraplp
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

_EPS = 1e-6


@dataclass
class LPResult:
    x: np.ndarray  # value per edge
    upper: float  # LP optimum (normalised weight units)
    y: np.ndarray  # degree-row duals
    cuts: list[np.ndarray] = field(default_factory=list)  # odd node sets in the model
    z: np.ndarray = field(default_factory=lambda: np.zeros(0))  # their duals
    solved: bool = False  # at least one LP solved to optimality: x, y, z are meaningful
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


def _candidates(
    n: int,
    u: np.ndarray,
    v: np.ndarray,
    x: np.ndarray,
    frac: np.ndarray,
    cut_sets: list[np.ndarray],
    inside: _Inside,
) -> list[np.ndarray]:
    """Candidate odd sets: odd components of the fractional support; the same with every tight
    odd set already in the model merged in (an odd cycle through shrunk blossoms, the usual
    reason a cut round makes little progress); and odd components of the whole support."""
    out = _odd_sets(n, u, v, x, frac)
    tight = [c for c in cut_sets if x[inside.edges(c)].sum() >= (len(c) - 1) / 2 - 1e-6]
    if tight and len(frac):
        # Star edges tie each tight set together; they carry no x, only connectivity.
        su = np.concatenate([np.full(len(c) - 1, c[0]) for c in tight])
        sv = np.concatenate([c[1:] for c in tight])
        uu = np.concatenate([u[frac], su])
        vv = np.concatenate([v[frac], sv])
        touched = np.zeros(n, dtype=bool)
        touched[u[frac]] = True
        touched[v[frac]] = True
        for c in _odd_sets(n, uu, vv, x, np.arange(len(uu))):
            if touched[c].any():
                out.append(c)
    if not out:
        out = _odd_sets(n, u, v, x, np.flatnonzero(x > _EPS))
    return out


class BlossomLP:
    """Maximise wn.x over the relaxation of the matching polytope of the graph (u, v): degree rows
    and odd-set inequalities separated from the fractional support.  The GLOP model persists, so
    columns can be switched off and the LP re-solved warm with its cuts."""

    def __init__(self, n: int, u: np.ndarray, v: np.ndarray, wn: np.ndarray) -> None:
        self.n, self.u, self.v = n, u, v
        self.inside = _Inside(n, u, v)
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        inf = self.solver.infinity()
        self.rows = [self.solver.Constraint(-inf, 1.0) for _ in range(n)]
        self.obj = self.solver.Objective()
        self.obj.SetMaximization()
        # No upper bounds x <= 1: implied by the degree rows, and they would carry their own duals.
        self.xs = [self.solver.NumVar(0.0, inf, "") for _ in range(len(u))]
        for e, (a, b, we) in enumerate(zip(u.tolist(), v.tolist(), wn.tolist(), strict=True)):
            self.rows[a].SetCoefficient(self.xs[e], 1.0)
            self.rows[b].SetCoefficient(self.xs[e], 1.0)
            self.obj.SetCoefficient(self.xs[e], we)
        self.cut_sets: list[np.ndarray] = []
        self.cut_rows: list[pywraplp.Constraint] = []

    def switch_off(self, edges: np.ndarray) -> None:
        for e in edges.tolist():
            self.xs[e].SetUb(0.0)

    def run(self, max_iterations: int, max_rounds: int) -> LPResult:
        """Cut rounds until the LP is integral, no cut is violated, or the rounds or the simplex
        iterations (all rounds together) run out.  Counting iterations rather than seconds keeps
        the result the same on any machine."""
        n, u, v, inside, solver = self.n, self.u, self.v, self.inside, self.solver
        inf = solver.infinity()
        res = LPResult(x=np.zeros(len(u)), upper=float("inf"), y=np.zeros(n))
        left = max_iterations
        for rnd in range(max_rounds):
            if left <= 0:
                break
            solver.SetSolverSpecificParametersAsString(f"max_number_of_iterations: {left}")
            status = solver.Solve()
            left -= solver.iterations()
            if status != pywraplp.Solver.OPTIMAL:
                break
            x = np.array([xv.solution_value() for xv in self.xs])
            # Maximisation with <= rows: every dual has one sign, GLOP reports it negated.
            y = np.array([abs(r.dual_value()) for r in self.rows])
            z = np.array([abs(r.dual_value()) for r in self.cut_rows])
            res = LPResult(x, self.obj.Value(), y, list(self.cut_sets), z, True, False, rnd + 1)
            frac = np.flatnonzero((x > _EPS) & (x < 1 - _EPS))
            if len(frac) == 0:
                res.integral = True
                break
            new = 0
            seen = {tuple(c.tolist()) for c in self.cut_sets}
            for s_nodes in _candidates(n, u, v, x, frac, self.cut_sets, inside):
                key = tuple(s_nodes.tolist())
                if key in seen:
                    continue
                es = inside.edges(s_nodes)
                if x[es].sum() > (len(s_nodes) - 1) / 2 + 1e-6:
                    seen.add(key)
                    row = solver.Constraint(-inf, (len(s_nodes) - 1) / 2)
                    for e in es.tolist():
                        row.SetCoefficient(self.xs[e], 1.0)
                    self.cut_sets.append(s_nodes)
                    self.cut_rows.append(row)
                    new += 1
            if new == 0:
                break
        return res
