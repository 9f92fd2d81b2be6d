"""Peer pairing: maximum-weight matching on a general (non-bipartite) candidate graph.

Pipeline (all numpy + OR-Tools, no Django):

1. Degree LP.  Its optimum is half the maximum-weight matching of the bipartite double cover
   (each person once as "left", once as "right"), which OR-Tools min cost flow solves exactly and
   fast.  The averaged flow is half-integral; its value is an upper bound.  Node duals come from a
   vectorised Bellman-Ford pass on the residual network.  Integral edges are kept and the paths
   and cycles of half edges are matched by a small dynamic programme.
2. Blossom LP.  On k-nearest-neighbour candidate graphs (full of triangles) the degree LP leaves a
   visible gap, so GLOP solves the LP with Edmonds' odd-set cuts, separated from the fractional
   support (``_peer_lp``).  Up to ``exact_limit`` people the whole graph goes in; above it only a
   region around the odd cycles does, joined to the rest by dummy "outside" nodes so the bound
   stays proven (see ``_region_bound``).  When this LP is integral it *is* the optimum.
3. Reduced-cost fixing: with incumbent ``LB`` and dual bound ``UB`` an edge whose reduced cost
   exceeds ``UB - LB`` can't be in a better matching.  CP-SAT (x_e in {0,1}, degree <= 1, the
   LP's odd-set cuts, hinted with the incumbent) then searches the surviving edges; proving that
   sub-problem optimal proves the whole.  Above ``exact_limit`` this runs only when few edges
   survive, after an augmenting-path/swap local search.

Every budget is a count of work, never seconds: simplex iterations for the LPs, rounds for the local
search, CP-SAT's deterministic time with one worker and a fixed seed; ``effort`` multiplies them.  So
the same graph, seed and effort give the same matching on any machine, however busy.

``exact`` is True only when optimality is proven (then ``upper_bound == objective``).

Weights are floats; the solvers need integers.  When every weight is a multiple of a power of ten
(scores with a few decimals) the scaling is lossless and "exact" is exact.  Otherwise weights are
rounded to a 2**30 grid, which can cost at most ``k * max_w / 2**31`` in the objective.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from mentora.matching._peer_lp import BlossomLP
from mentora.matching.cpsat import deterministic_solver

__all__ = ["PeerMatching", "max_weight_matching"]

_MAX_INT_WEIGHT = 2**30
# Above this many edges left after reduced-cost fixing, the heuristic path skips CP-SAT.
_HEURISTIC_CPSAT_EDGE_LIMIT = 200_000
# Region for the blossom LP: grow the odd cycles this many hops along edges whose flow-LP reduced
# cost is at most _TAU * max weight (tight-ish edges are where alternating paths run).
_TAU = 0.01
_HOPS = 2
# Budgets at effort 1.  The blossom LP: cut rounds, and simplex iterations per LP row (all rounds of
# one LP together).  The region LP re-solved alone is only a primal heuristic: on the 50,000-person
# benchmark 15 rounds rounded best (gap 0.067 %, against 0.099 % after 5 or 25 rounds).
_LP_ROUNDS = 60
_LP_ALONE_ROUNDS = 15
_LP_ITERATIONS_PER_ROW = 20
# There, one local-search round took 5 s of CPU and more rounds added 0.0004 % for 10 s more.
_LS_ROUNDS = 1
_CPSAT_DTIME = 30.0  # CP-SAT deterministic time (reproducible work units, not seconds)


@dataclass(frozen=True)
class PeerMatching:
    pairs: np.ndarray  # shape (k, 2) int64 node indices, each node at most once
    edge_index: np.ndarray  # shape (k,) index into the input edge arrays
    objective: float  # sum of chosen edge weights
    upper_bound: float  # proven upper bound on the optimum (== objective when exact)
    exact: bool
    solver: str


# ---------------------------------------------------------------------------------------------
# validation and scaling


def _validate(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, ...]:
    if not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    u = np.asarray(u)
    v = np.asarray(v)
    w = np.asarray(w, dtype=np.float64)
    if u.ndim != 1 or v.ndim != 1 or w.ndim != 1 or not (len(u) == len(v) == len(w)):
        raise ValueError(
            f"u, v, w must be 1-D arrays of one length, got shapes {u.shape}, {v.shape}, {w.shape}"
        )
    if len(u) and (not np.issubdtype(u.dtype, np.integer) or not np.issubdtype(v.dtype, np.integer)):
        raise ValueError("u and v must be integer node indices")
    u = u.astype(np.int64)
    v = v.astype(np.int64)
    if len(u):
        if min(u.min(), v.min()) < 0 or max(u.max(), v.max()) >= n:
            raise ValueError(f"edge endpoints must be in 0..{n - 1}")
        loops = np.flatnonzero(u == v)
        if len(loops):
            raise ValueError(
                f"self-loop at edge {loops[0]} (node {u[loops[0]]}); a person can't pair with themself"
            )
        if not np.all(np.isfinite(w)) or w.min() < 0:
            raise ValueError("weights must be finite and non-negative")
        key = np.minimum(u, v) * n + np.maximum(u, v)
        order = np.argsort(key, kind="stable")
        dup = np.flatnonzero(key[order][1:] == key[order][:-1])
        if len(dup):
            i, j = order[dup[0]], order[dup[0] + 1]
            raise ValueError(
                f"duplicate edge between nodes {min(u[i], v[i])} and {max(u[i], v[i])} (edges {i} and {j})"
            )
    return u, v, w


def _scale(w: np.ndarray) -> tuple[np.ndarray, float, bool]:
    """Integer weights, the scale used and whether the scaling is lossless."""
    if len(w) == 0 or w.max() == 0:
        return np.zeros(len(w), dtype=np.int64), 1.0, True
    wmax = float(w.max())
    # Lossless when weights are decimals with few digits (the usual case for scores).
    for digits in range(10):
        s = 10.0**digits
        if wmax * s > _MAX_INT_WEIGHT:
            break
        ws = w * s
        r = np.rint(ws)
        if np.all(np.abs(ws - r) <= 1e-9 * np.maximum(1.0, ws)):
            return r.astype(np.int64), s, True
    s = _MAX_INT_WEIGHT / wmax
    return np.rint(w * s).astype(np.int64), s, False


# ---------------------------------------------------------------------------------------------
# LP relaxation via the bipartite double cover


def _double_cover_lp(
    n: int, u: np.ndarray, v: np.ndarray, wi: np.ndarray
) -> tuple[np.ndarray, int, np.ndarray]:
    """Half-integral optimal x (in units of 1/2, i.e. values 0, 1, 2), twice the LP value, and
    integer duals ``y2`` (twice the node potentials) that are feasible: y2[u] + y2[v] >= 2 w."""
    m = len(u)
    s, t = 2 * n, 2 * n + 1
    nodes = np.arange(n, dtype=np.int64)
    tails = np.concatenate([np.full(n, s), u, v, n + nodes, [s]])
    heads = np.concatenate([nodes, n + v, n + u, np.full(n, t), [t]])
    caps = np.concatenate([np.ones(n + 2 * m + n, dtype=np.int64), [n]])
    costs = np.concatenate([np.zeros(n, dtype=np.int64), -wi, -wi, np.zeros(n + 1, dtype=np.int64)])
    mcf = min_cost_flow.SimpleMinCostFlow()
    arcs = mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(2 * n + 2, dtype=np.int64)
    supplies[s], supplies[t] = n, -n
    mcf.set_nodes_supplies(np.arange(2 * n + 2), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise RuntimeError(f"min cost flow failed with status {status}")
    flow = mcf.flows(arcs)
    x2 = flow[n : n + m] + flow[n + m : n + 2 * m]
    lp2 = int(-mcf.optimal_cost())  # bipartite optimum == 2 * LP optimum
    y2 = _duals(n, tails, heads, caps, costs, flow, u, v, wi)
    return x2, lp2, y2


def _duals(
    n: int,
    tails: np.ndarray,
    heads: np.ndarray,
    caps: np.ndarray,
    costs: np.ndarray,
    flow: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    wi: np.ndarray,
) -> np.ndarray:
    """Node potentials from shortest paths in the residual network (vectorised Bellman-Ford from a
    virtual root), turned into duals of the degree LP and repaired so they are surely feasible."""
    s, t = 2 * n, 2 * n + 1
    fwd = flow < caps
    bwd = flow > 0
    rt = np.concatenate([tails[fwd], heads[bwd]])
    rh = np.concatenate([heads[fwd], tails[bwd]])
    rc = np.concatenate([costs[fwd], -costs[bwd]])
    order = np.argsort(rh, kind="stable")
    rt, rh, rc = rt[order], rh[order], rc[order]
    starts = np.flatnonzero(np.r_[True, rh[1:] != rh[:-1]])
    targets = rh[starts]
    d = np.zeros(2 * n + 2, dtype=np.int64)
    # The residual graph of an optimal flow has no negative cycle, so this converges; the cap is a
    # safety net only (a non-converged d still yields valid, merely weaker, duals after repair).
    for _ in range(2 * n + 3):
        best = np.minimum.reduceat(d[rt] + rc, starts) if len(rt) else np.zeros(0, dtype=np.int64)
        improved = best < d[targets]
        if not improved.any():
            break
        d[targets[improved]] = best[improved]
    a = np.maximum(d[:n] - d[s], 0)
    b = np.maximum(d[t] - d[n : 2 * n], 0)
    y2 = a + b
    # Repair: every edge must be covered, y2[u] + y2[v] >= 2 w.
    short = 2 * wi - y2[u] - y2[v]
    bad = np.flatnonzero(short > 0)
    for e in bad:  # rare; sequential because fixes interact
        deficit = 2 * wi[e] - y2[u[e]] - y2[v[e]]
        if deficit > 0:
            y2[u[e]] += deficit
    return y2


# ---------------------------------------------------------------------------------------------
# rounding and local search


class _Adj:
    """CSR adjacency: for node i, neighbours nbr[ptr[i]:ptr[i+1]] through edges eid[...]."""

    def __init__(self, n: int, u: np.ndarray, v: np.ndarray) -> None:
        src = np.concatenate([u, v])
        dst = np.concatenate([v, u])
        eid = np.concatenate([np.arange(len(u)), np.arange(len(u))])
        order = np.argsort(src, kind="stable")
        self.nbr = dst[order]
        self.eid = eid[order]
        self.ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=self.ptr[1:])


def _path_dp(edges: list[int], wi: np.ndarray) -> list[int]:
    """Best matching on a path given as consecutive edge ids (no two adjacent edges chosen)."""
    f = [0] * (len(edges) + 1)
    for i, e in enumerate(edges, start=1):
        f[i] = max(f[i - 1], (f[i - 2] if i >= 2 else 0) + int(wi[e]))
    chosen: list[int] = []
    i = len(edges)
    while i > 0:
        if f[i] == f[i - 1]:
            i -= 1
        else:
            chosen.append(edges[i - 1])
            i -= 2
    return chosen


def _round_half(n: int, u: np.ndarray, v: np.ndarray, wi: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """Integral matching from a half-integral one: keep x=1 edges, match each path/cycle of
    half edges optimally."""
    mate_edge = np.full(n, -1, dtype=np.int64)
    full = np.flatnonzero(x2 == 2)
    mate_edge[u[full]] = full
    mate_edge[v[full]] = full
    half = np.flatnonzero(x2 == 1)
    if len(half) == 0:
        return mate_edge
    inc: dict[int, list[int]] = {}
    for e in half.tolist():
        inc.setdefault(int(u[e]), []).append(e)
        inc.setdefault(int(v[e]), []).append(e)
    seen_e: set[int] = set()
    # Paths start at degree-1 nodes; whatever is left afterwards are cycles.
    starts = [node for node, es in inc.items() if len(es) == 1]
    starts += [node for node, es in inc.items() if len(es) == 2]
    for start in starts:
        first = next((e for e in inc[start] if e not in seen_e), None)
        if first is None:
            continue
        walk: list[int] = []
        node, e = start, first
        while e is not None and e not in seen_e:
            seen_e.add(e)
            walk.append(e)
            node = int(v[e]) if int(u[e]) == node else int(u[e])
            e = next((f for f in inc[node] if f not in seen_e), None)
        is_cycle = node == start and len(walk) > 2
        if is_cycle:
            # Either the first edge is unused (path over the rest) or used (its neighbours unused).
            a = _path_dp(walk[1:], wi)
            b = [walk[0], *_path_dp(walk[2:-1], wi)]
            pick = a if sum(int(wi[e]) for e in a) >= sum(int(wi[e]) for e in b) else b
        else:
            pick = _path_dp(walk, wi)
        for e in pick:
            mate_edge[u[e]] = e
            mate_edge[v[e]] = e
    return mate_edge


def _local_search(
    n: int, u: np.ndarray, v: np.ndarray, wi: np.ndarray, adj: _Adj, mate_edge: np.ndarray, max_rounds: int
) -> None:
    """In-place improvement by short augmenting paths and swaps around free or weakly matched nodes:
    (1) free-free edge: add it; (2) free a - b matched to c: replace (b, c) by (a, b) and, if
    possible, rematch c to another free node.  Repeats while anything improves, ``max_rounds`` at most."""
    nbr, eid, ptr = adj.nbr, adj.eid, adj.ptr

    def other(e: int, x: int) -> int:
        return int(v[e]) if int(u[e]) == x else int(u[e])

    improved = True
    rounds = 0
    while improved and rounds < max_rounds:
        improved = False
        rounds += 1
        for a in np.flatnonzero(mate_edge < 0).tolist():
            if mate_edge[a] >= 0:
                continue
            best_gain, best_move = 0, None
            for k in range(ptr[a], ptr[a + 1]):
                b, e_ab = int(nbr[k]), int(eid[k])
                gain = int(wi[e_ab])
                if gain <= 0:
                    continue
                if mate_edge[b] < 0:
                    if gain > best_gain:
                        best_gain, best_move = gain, (e_ab, -1, -1)
                    continue
                e_bc = int(mate_edge[b])
                c = other(e_bc, b)
                g2 = gain - int(wi[e_bc])
                # c becomes free: best free partner for c (other than a)
                best_c, best_ce = 0, -1
                for kk in range(ptr[c], ptr[c + 1]):
                    d_, e_cd = int(nbr[kk]), int(eid[kk])
                    if d_ != a and mate_edge[d_] < 0 and wi[e_cd] > best_c:
                        best_c, best_ce = int(wi[e_cd]), e_cd
                if g2 + best_c > best_gain:
                    best_gain, best_move = g2 + best_c, (e_ab, e_bc, best_ce)
            if best_move is not None:
                e_ab, e_bc, e_cd = best_move
                if e_bc >= 0:
                    mate_edge[u[e_bc]] = -1
                    mate_edge[v[e_bc]] = -1
                mate_edge[u[e_ab]] = e_ab
                mate_edge[v[e_ab]] = e_ab
                if e_cd >= 0:
                    mate_edge[u[e_cd]] = e_cd
                    mate_edge[v[e_cd]] = e_cd
                improved = True
        # Swaps: pairs (a, b), (c, d) -> (a, c), (b, d) when both edges exist and gain.
        for a in range(n):
            e_ab = int(mate_edge[a])
            if e_ab < 0:
                continue
            b = other(e_ab, a)
            for k in range(ptr[a], ptr[a + 1]):
                c, e_ac = int(nbr[k]), int(eid[k])
                e_cd = int(mate_edge[c])
                if c == b or e_cd < 0 or e_cd == e_ab:
                    continue
                d_ = other(e_cd, c)
                base = int(wi[e_ab]) + int(wi[e_cd])
                lo, hi = ptr[b], ptr[b + 1]
                hits = np.flatnonzero(nbr[lo:hi] == d_)
                w_bd = int(wi[eid[lo + hits[0]]]) if len(hits) else 0
                e_bd = int(eid[lo + hits[0]]) if len(hits) else -1
                if int(wi[e_ac]) + w_bd > base:
                    for e in (e_ab, e_cd):
                        mate_edge[u[e]] = -1
                        mate_edge[v[e]] = -1
                    for e in (e_ac, e_bd):
                        if e >= 0:
                            mate_edge[u[e]] = e
                            mate_edge[v[e]] = e
                    improved = True
                    break


# ---------------------------------------------------------------------------------------------
# exact step


def _cpsat(
    n: int,
    u: np.ndarray,
    v: np.ndarray,
    wi: np.ndarray,
    keep: np.ndarray,
    cuts: list[np.ndarray],
    mate_edge: np.ndarray,
    dtime: float,
    seed: int,
) -> tuple[np.ndarray | None, bool]:
    """Max-weight matching restricted to edges ``keep`` within ``dtime`` of CP-SAT deterministic
    time; returns (mate_edge or None, proven)."""
    model = cp_model.CpModel()
    ks = keep.tolist()
    x = {e: model.new_bool_var(f"x{e}") for e in ks}
    by_node: dict[int, list[cp_model.IntVar]] = {}
    for e in ks:
        by_node.setdefault(int(u[e]), []).append(x[e])
        by_node.setdefault(int(v[e]), []).append(x[e])
    for lits in by_node.values():
        if len(lits) > 1:
            model.add_at_most_one(lits)
    # Odd-set cuts from the LP are valid for every matching and tighten CP-SAT's own LP.
    if cuts:
        kadj = _Adj(n, u[keep], v[keep])
        mark = np.zeros(n, dtype=bool)
        for s_nodes in cuts:
            mark[s_nodes] = True
            inner = keep[_edges_inside(kadj, s_nodes, mark)]
            mark[s_nodes] = False
            if len(inner) > (len(s_nodes) - 1) // 2:
                model.add(sum(x[int(e)] for e in inner) <= (len(s_nodes) - 1) // 2)
    model.maximize(sum(int(wi[e]) * x[e] for e in ks))
    incumbent = {int(e) for e in mate_edge[mate_edge >= 0].tolist()}
    for e in ks:
        model.add_hint(x[e], e in incumbent)
    solver = deterministic_solver(work=dtime, seed=seed)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    out = np.full(n, -1, dtype=np.int64)
    for e in ks:
        if solver.boolean_value(x[e]):
            out[u[e]] = e
            out[v[e]] = e
    return out, status == cp_model.OPTIMAL


# ---------------------------------------------------------------------------------------------
# public entry point


def _complete(n: int, u: np.ndarray, v: np.ndarray, wi: np.ndarray, mate_edge: np.ndarray) -> np.ndarray:
    """Greedily (heaviest first) match the nodes a partial matching leaves free; the local search
    and CP-SAT steps improve on it."""
    out = mate_edge.copy()
    free = out < 0
    sub = np.flatnonzero(free[u] & free[v])
    for e in sub[np.argsort(-wi[sub], kind="stable")].tolist():
        if out[u[e]] < 0 and out[v[e]] < 0:
            out[u[e]] = e
            out[v[e]] = e
    return out


def _region(
    n: int,
    u: np.ndarray,
    v: np.ndarray,
    x2: np.ndarray,
    rc2: np.ndarray,
    adj: _Adj,
    tau: int,
    hops: int,
) -> np.ndarray:
    """Nodes whose matching can plausibly change: the odd cycles/paths of the flow LP, grown by
    ``hops`` steps along near-tight edges (reduced cost <= tau), closed under LP mates."""
    inr = np.zeros(n, dtype=bool)
    half = np.flatnonzero(x2 == 1)
    inr[u[half]] = True
    inr[v[half]] = True
    full = np.flatnonzero(x2 == 2)
    mate = np.full(n, -1, dtype=np.int64)
    mate[u[full]], mate[v[full]] = v[full], u[full]
    tight = rc2[adj.eid] <= tau
    src = np.repeat(np.arange(n), np.diff(adj.ptr))
    for _ in range(hops):
        grow = tight & inr[src] & ~inr[adj.nbr]
        new = np.unique(adj.nbr[grow])
        if len(new) == 0:
            break
        inr[new] = True
        mates = mate[new]
        inr[mates[mates >= 0]] = True
    return np.flatnonzero(inr)


def _region_bound(
    n: int,
    u: np.ndarray,
    v: np.ndarray,
    wn: np.ndarray,
    yf: np.ndarray,
    region: np.ndarray,
    effort: float,
) -> tuple[float, np.ndarray, np.ndarray, list[np.ndarray], np.ndarray | None] | None:
    """Blossom LP on ``region`` with the flow duals ``yf`` kept outside it.

    The LP graph G' is the region plus, for each region node a with edges leaving the region, one
    dummy node d_a and an edge (a, d_a) of weight p_a = max over those edges of (w - yf[outside])^+.
    Any matching M of the whole graph maps to a matching of G' (boundary edge (a, b) -> (a, d_a)),
    so  w(M) <= LP(G') + sum of yf outside the region  -- a proven bound.  Reduced costs follow the
    same mapping: inside edges use the LP duals, outside edges the flow duals, a boundary edge
    (a, b) costs (p_a + yf[b] - w) plus the reduced cost of (a, d_a).  Returns (bound, reduced
    costs of all edges, LP edge values, odd sets used, and a matching of the region alone -- the
    same LP re-solved with the dummy edges switched off, outside nodes kept as they are -- when
    there are dummies and the budget allows); None if the LP wasn't solved within its simplex
    iterations.  All in normalised weight units.
    """
    r = len(region)
    loc = np.full(n, -1, dtype=np.int64)
    loc[region] = np.arange(r)
    lu, lv = loc[u], loc[v]
    inner = np.flatnonzero((lu >= 0) & (lv >= 0))
    # Boundary edges seen from their inside end a: (edge id, a local, outside node).
    b1 = np.flatnonzero((lu >= 0) & (lv < 0))
    b2 = np.flatnonzero((lv >= 0) & (lu < 0))
    b_e = np.concatenate([b1, b2])
    b_in = np.concatenate([lu[b1], lv[b2]])
    b_out = np.concatenate([v[b1], u[b2]])
    pendant = np.zeros(r)
    np.maximum.at(pendant, b_in, np.maximum(wn[b_e] - yf[b_out], 0.0))
    pend_nodes = np.flatnonzero(pendant > 0)
    dummy = np.full(r, -1, dtype=np.int64)
    dummy[pend_nodes] = r + np.arange(len(pend_nodes))
    gu = np.concatenate([lu[inner], pend_nodes])
    gv = np.concatenate([lv[inner], dummy[pend_nodes]])
    gw = np.concatenate([wn[inner], pendant[pend_nodes]])
    nn = r + len(pend_nodes)
    model = BlossomLP(nn, gu, gv, gw)
    iterations = math.ceil(effort * _LP_ITERATIONS_PER_ROW * nn)
    lp = model.run(iterations, max(1, round(effort * _LP_ROUNDS)))
    if not lp.solved:
        return None
    # Reduced costs in G', with round-off repaired so the dual is feasible (a proof, not an estimate).
    y = lp.y.copy()
    rcg = y[gu] + y[gv] - gw
    gadj = _Adj(nn, gu, gv)
    mark = np.zeros(nn, dtype=bool)
    zsum = 0.0
    for s_nodes, zs in zip(lp.cuts, lp.z, strict=True):
        if zs > 1e-12:
            mark[s_nodes] = True
            rcg[_edges_inside(gadj, s_nodes, mark)] += zs
            mark[s_nodes] = False
            zsum += zs * ((len(s_nodes) - 1) // 2)
    short = np.flatnonzero(rcg < 0)
    if len(short):
        bump = np.zeros(nn)
        np.maximum.at(bump, gu[short], -rcg[short])
        y += bump
        rcg += bump[gu] + bump[gv]
    outside = np.ones(n, dtype=bool)
    outside[region] = False
    bound = float(y.sum() + zsum + yf[outside].sum())
    rc = yf[u] + yf[v] - wn  # outside edges: flow duals
    rc[inner] = rcg[: len(inner)]
    rc_pend = np.zeros(r)
    rc_pend[pend_nodes] = rcg[len(inner) :]
    rc[b_e] = pendant[b_in] + yf[b_out] - wn[b_e] + rc_pend[b_in]
    x = np.zeros(len(u))
    x[inner] = lp.x[: len(inner)]
    cuts = [region[c[c < r]] for c in lp.cuts if np.all(c < r)]  # cuts on real nodes only
    x_alone = None
    if len(pend_nodes) and not np.all(lp.x[len(inner) :] < 1e-6):
        model.switch_off(np.arange(len(inner), len(gu)))
        lp2 = model.run(iterations, max(1, round(effort * _LP_ALONE_ROUNDS)))
        if lp2.solved:
            x_alone = np.zeros(len(u))
            x_alone[inner] = lp2.x[: len(inner)]
    return bound, rc, x, cuts, x_alone


def _edges_inside(adj: _Adj, nodes: np.ndarray, mark: np.ndarray) -> np.ndarray:
    lo, hi = adj.ptr[nodes], adj.ptr[nodes + 1]
    lens = hi - lo
    idx = np.repeat(lo - np.cumsum(np.r_[0, lens[:-1]]), lens) + np.arange(lens.sum())
    return np.unique(adj.eid[idx[mark[adj.nbr[idx]]]])


def max_weight_matching(
    n: int,
    u: np.ndarray,
    v: np.ndarray,
    w: np.ndarray,
    *,
    exact_limit: int = 5000,
    effort: float = 1.0,
    seed: int = 0,
) -> PeerMatching:
    """Maximum-weight matching of ``n`` people over candidate edges ``(u[i], v[i], w[i])``.

    Exact (proven) up to ``exact_limit`` nodes within the work budget; beyond, the best solution
    found within the budget with a proven upper bound (``exact`` only if the two meet).
    Raises ValueError on self-loops, duplicate edges, out-of-range endpoints, negative or
    non-finite weights, or an effort that is not a positive number.
    """
    if not (math.isfinite(effort) and effort > 0):
        raise ValueError(f"effort must be a positive number, got {effort!r}")
    u, v, w = _validate(n, u, v, w)
    # Zero-weight edges never help the objective: drop them (indices map back to the input).
    live = np.flatnonzero(w > 0)
    wi, scale, lossless = _scale(w[live])
    # Weights that round to 0 on the integer grid are dropped too (covered by the error term).
    live, wi = live[wi > 0], wi[wi > 0]
    uu, vv = u[live], v[live]
    if len(live) == 0:
        empty = np.zeros(0, dtype=np.int64)
        upper = 0.0 if lossless else float(w.max(initial=0.0)) * (n // 2)
        return PeerMatching(empty.reshape(0, 2), empty, 0.0, upper, upper == 0.0, "trivial")
    wimax = float(wi.max())

    def value(me: np.ndarray) -> int:
        return int(wi[np.unique(me[me >= 0])].sum())

    # 1. Degree LP via the double cover (fast, gives a bound, duals and a half-integral start).
    x2, lp2, y2 = _double_cover_lp(n, uu, vv, wi)
    ub = min(lp2, int(y2.sum())) / 2  # integer-weight units
    mate_edge = _round_half(n, uu, vv, wi, x2)
    lb = value(mate_edge)
    solver = "flow-lp"
    cuts: list[np.ndarray] = []
    # Reduced costs (normalised) and the objective of the dual they come from; refined below.
    rc_n = (y2[uu] + y2[vv] - 2 * wi) / (2 * wimax)
    ub_rc = float(y2.sum()) / 2

    def is_proven() -> bool:
        # Matching values are integers: OPT <= floor(ub).  The LP bound comes from a repaired,
        # feasible dual, so only float summation error needs a (tiny) allowance.
        return lb >= np.floor(ub + 1e-11 * abs(ub) + 1e-9)

    # 2. Blossom-cut LP (GLOP) on the region around the odd cycles, flow duals fixed elsewhere.
    adj = _Adj(n, uu, vv)
    if not is_proven():
        rc2 = y2[uu] + y2[vv] - 2 * wi
        if n <= exact_limit:
            region = np.arange(n)
        else:
            region = _region(n, uu, vv, x2, rc2, adj, int(_TAU * 2 * wimax), _HOPS)
        wn = wi / wimax
        got = _region_bound(n, uu, vv, wn, y2 / 2 / wimax, region, effort)
        solver += f"+blossom-lp[{len(region)}]"
        if got is not None:
            ub_n, rc, xr, cuts, x_alone = got
            ub = min(ub, ub_n * wimax)
            in_region = np.zeros(n, dtype=bool)
            in_region[region] = True
            for xs in (xr, x_alone):
                if xs is None:
                    continue
                # Keep what the LPs agree is integral, then fill in the rest greedily.
                xg = np.where(x2 > 0, x2 / 2, 0.0)
                xg[in_region[uu] & in_region[vv]] = 0.0
                xg = np.maximum(xg, xs)
                cand = np.full(n, -1, dtype=np.int64)
                one = np.flatnonzero(xg > 1 - 1e-6)
                cand[uu[one]], cand[vv[one]] = one, one
                cand = _complete(n, uu, vv, wi, cand)
                if value(cand) > lb:
                    mate_edge, lb = cand, value(cand)
            if ub_n * wimax < ub_rc:
                rc_n, ub_rc = rc, ub_n * wimax

    # 3. CP-SAT on the edges surviving reduced-cost fixing (a smaller gap keeps fewer edges), after
    # a local search when too many edges survive for CP-SAT on a large graph.
    def surviving() -> np.ndarray:
        return np.flatnonzero(rc_n <= (ub_rc - lb) / wimax + 1e-7)

    if not is_proven() and n > exact_limit and len(surviving()) > _HEURISTIC_CPSAT_EDGE_LIMIT:
        _local_search(n, uu, vv, wi, adj, mate_edge, max(1, round(effort * _LS_ROUNDS)))
        lb = value(mate_edge)
        solver += "+ls"
    if not is_proven() and (n <= exact_limit or len(surviving()) <= _HEURISTIC_CPSAT_EDGE_LIMIT):
        keep = surviving()
        sol, opt = _cpsat(n, uu, vv, wi, keep, cuts, mate_edge, effort * _CPSAT_DTIME, seed)
        solver += f"+cpsat[{len(keep)}]"
        if sol is not None and value(sol) >= lb:
            mate_edge, lb = sol, value(sol)
        if opt:
            ub = float(lb)
    proven = bool(is_proven())
    es = np.unique(mate_edge[mate_edge >= 0])
    edge_index = live[es].astype(np.int64)
    pairs = np.stack([u[edge_index], v[edge_index]], axis=1).astype(np.int64).reshape(-1, 2)
    objective = float(w[edge_index].sum())
    if proven and lossless:
        upper = objective
    else:
        # In input units: the integer bound plus the worst rounding error over at most n/2 edges.
        err = 0.0 if lossless else 0.5 / scale * (n // 2)
        upper = max(objective, ub / scale + err)
    return PeerMatching(pairs, edge_index, objective, upper, proven, solver)
