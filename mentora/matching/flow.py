"""Exact many-to-one assignment as a min-cost flow (OR-Tools SimpleMinCostFlow), with its LP duals.

source -> mentee (cap 1) -> [mentor, department] (cap 1, cost -score) -> mentor (cap d) -> sink (cap capacity)
and mentee -> sink (cap 1, cost 0) so that leaving someone unmatched is allowed. The constraint
matrix is totally unimodular, so the integral flow optimum is the LP optimum. The middle
[mentor, department] layer only exists when a per-department cap is set.

Weights are integers (scores x scoring.SCORE_SCALE) so that optimality, the duals and the pricing built on
them are exact. The duals come from the optimal flow's residual graph: D(x) is the shortest distance
from node x to the sink over residual arcs (there is no negative cycle at an optimum). Then
mentee dual = max(0, -D(mentee)), mentor dual = D(mentor), [mentor, department] dual = D(mid) - D(mentor)
is a feasible solution of the LP dual with the same objective as the flow: an edge (u, v) not in the
graph can improve the assignment only if weight(u, v) > mentee dual + mentor dual (+ department dual).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from mentora.matching.scoring import SCORE_SCALE


class SolverError(RuntimeError):
    pass


def scaled(weight: np.ndarray) -> np.ndarray:
    """Float scores as the exact integers the flow and the certificate work with."""
    return np.round(np.asarray(weight, dtype=np.float64) * SCORE_SCALE).astype(np.int64)


@dataclass(frozen=True)
class Duals:
    """A feasible LP dual whose objective equals the flow's (integer-scaled weights)."""

    left: np.ndarray  # per left node, >= 0
    right: np.ndarray  # per right node, >= 0
    group_keys: np.ndarray  # sorted right * n_groups + group of the [mentor, department] nodes
    group: np.ndarray  # dual per [mentor, department] node, >= 0
    n_groups: int
    objective: int  # sum of the duals times their capacities, plus the edges' own bound slack

    def price(self, left: np.ndarray, right: np.ndarray, group: np.ndarray | None) -> np.ndarray:
        """The duals an edge (left, right) of the given left group must beat to improve the assignment."""
        return self.left[left] + self.right[right] + self.group_part(right, group)

    def group_part(self, right: np.ndarray, group: np.ndarray | None) -> np.ndarray | int:
        """The dual of right's cap on the group (0 where no such cap binds)."""
        if group is None or len(self.group_keys) == 0:
            return 0
        key = right.astype(np.int64) * self.n_groups + group
        pos = np.minimum(np.searchsorted(self.group_keys, key), len(self.group_keys) - 1)
        return np.where(self.group_keys[pos] == key, self.group[pos], 0)


@dataclass(frozen=True)
class Assignment:
    chosen: np.ndarray  # bool per edge
    objective: float  # sum of the given weights over chosen edges
    status: str
    duals: Duals | None = None


def _distances_to_sink(
    n_nodes: int, sink: int, tail: np.ndarray, head: np.ndarray, cost: np.ndarray
) -> np.ndarray:
    """Shortest distance from every node to `sink` over the given arcs (label-correcting, vectorised).

    Each round relaxes only the arcs entering the nodes whose distance fell in the previous round.
    """
    unreachable = np.iinfo(np.int64).max // 4
    dist = np.full(n_nodes, unreachable, dtype=np.int64)
    dist[sink] = 0
    order = np.argsort(head, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    start = np.searchsorted(head, np.arange(n_nodes + 1))
    frontier = np.array([sink], dtype=np.int64)
    for _ in range(n_nodes + 1):
        counts = start[frontier + 1] - start[frontier]
        arcs = np.repeat(start[frontier] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        if len(arcs) == 0:
            return dist
        cand = cost[arcs] + dist[head[arcs]]
        better = cand < dist[tail[arcs]]
        arcs, cand = arcs[better], cand[better]
        if len(arcs) == 0:
            return dist
        by = np.lexsort((cand, tail[arcs]))
        t = tail[arcs][by]
        first = np.r_[True, t[1:] != t[:-1]]
        frontier = t[first]
        dist[frontier] = cand[by][first]
    raise SolverError("negative cycle in the residual graph: the flow is not optimal")


def assign(
    left: np.ndarray,
    right: np.ndarray,
    weight: np.ndarray,
    capacity: np.ndarray,
    *,
    left_group: np.ndarray | None = None,
    group_cap: int | None = None,
    max_cardinality_first: bool = False,
    n_left: int | None = None,
    with_duals: bool = False,
) -> Assignment:
    """Maximise the total weight of chosen edges (left[i], right[i]).

    left, right: dense local indices (0..L-1, 0..R-1); capacity: per right node. left_group (per
    left node) and group_cap limit how many left nodes of one group one right node may take.
    With max_cardinality_first, the matching is first of maximum size, then of maximum weight
    (every edge weighs a bonus larger than any total score, so the duals price that order too).
    with_duals: also return LP duals for the (bonus-included) integer weights.
    """
    n_edges = len(left)
    n_left = (int(left.max()) + 1 if n_edges else 0) if n_left is None else n_left
    n_right = len(capacity)
    src, sink = 0, 1
    left_node = 2 + np.arange(n_left)
    right_node = 2 + n_left + np.arange(n_right)
    next_node = 2 + n_left + n_right
    wint = scaled(weight) + (cardinality_bonus(n_left) if max_cardinality_first else 0)
    n_groups = int(left_group.max()) + 1 if left_group is not None and len(left_group) else 1
    grouped = left_group is not None and group_cap is not None
    if grouped:
        mid_key = right.astype(np.int64) * n_groups + left_group[left]
        mids, mid_of_edge = np.unique(mid_key, return_inverse=True)
        mid_node = next_node + np.arange(len(mids))
        mid_right = mids // n_groups
        edge_head = mid_node[mid_of_edge]
    else:
        mids = np.zeros(0, dtype=np.int64)
        mid_node = mid_right = np.zeros(0, dtype=np.int64)
        edge_head = right_node[right]
    n_nodes = next_node + len(mids)
    # arcs in order: source->mentee, edges, mid->mentor, mentor->sink, mentee->sink
    tails = np.concatenate([np.full(n_left, src), left_node[left], mid_node, right_node, left_node])
    heads = np.concatenate(
        [left_node, edge_head, right_node[mid_right], np.full(n_right, sink), np.full(n_left, sink)]
    )
    caps = np.concatenate(
        [np.ones(n_left), np.ones(n_edges), np.full(len(mids), group_cap or 0), capacity, np.ones(n_left)]
    ).astype(np.int64)
    costs = np.concatenate(
        [np.zeros(n_left, dtype=np.int64), -wint, np.zeros(len(mids) + n_right + n_left, dtype=np.int64)]
    )
    if n_edges == 0:  # everybody takes the mentee -> sink arc
        flows = np.zeros(len(tails), dtype=np.int64)
        flows[:n_left] = 1
        flows[len(tails) - n_left :] = 1
    else:
        smcf = min_cost_flow.SimpleMinCostFlow()
        smcf.add_arcs_with_capacity_and_unit_cost(
            tails.astype(np.int32), heads.astype(np.int32), caps, costs.astype(np.int64)
        )
        smcf.set_nodes_supplies(
            np.array([src, sink], dtype=np.int32), np.array([n_left, -n_left], dtype=np.int64)
        )
        status = smcf.solve()
        if status != smcf.OPTIMAL:
            raise SolverError(f"min cost flow ended with status {status}")
        flows = np.asarray(smcf.flows(np.arange(len(tails), dtype=np.int32)), dtype=np.int64)
    chosen = flows[n_left : n_left + n_edges] > 0
    objective = float(np.asarray(weight, dtype=np.float64)[chosen].sum()) if n_edges else 0.0
    if not with_duals:
        return Assignment(chosen, objective, "OPTIMAL")
    # residual graph, without the source (nothing leaves it at an optimum)
    forward = (flows < caps) & (tails != src)
    backward = (flows > 0) & (tails != src)
    r_tail = np.concatenate([tails[forward], heads[backward]])
    r_head = np.concatenate([heads[forward], tails[backward]])
    r_cost = np.concatenate([costs[forward], -costs[backward]])
    dist = _distances_to_sink(n_nodes, sink, r_tail, r_head, r_cost)
    left_dual = np.maximum(-dist[left_node], 0)
    right_dual = dist[right_node]
    group_dual = dist[mid_node] - dist[right_node[mid_right]]
    edge_price = left_dual[left] + right_dual[right]
    if grouped:
        edge_price = edge_price + group_dual[mid_of_edge]
    slack = np.maximum(wint - edge_price, 0)  # duals of the edges' own x <= 1 bounds
    dual_objective = int(
        left_dual.sum() + (right_dual * capacity).sum() + (group_dual * (group_cap or 0)).sum() + slack.sum()
    )
    duals = Duals(left_dual, right_dual, mids, group_dual, n_groups, dual_objective)
    if dual_objective != int(wint[chosen].sum()):
        raise SolverError("the residual duals do not match the flow's objective")
    return Assignment(chosen, objective, "OPTIMAL", duals)


def cardinality_bonus(n_left: int) -> int:
    """An integer weight added to every edge that makes one more pair worth more than any total score."""
    return SCORE_SCALE * (n_left + 1)
