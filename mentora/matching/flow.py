"""Exact many-to-one assignment as a min-cost flow (OR-Tools SimpleMinCostFlow).

source -> mentee (cap 1) -> [mentor, department] (cap 1, cost -score) -> mentor (cap d) -> sink (cap capacity)
and mentee -> sink (cap 1, cost 0) so that leaving someone unmatched is allowed. The constraint
matrix is totally unimodular, so the integral flow optimum is the LP optimum. The middle
[mentor, department] layer only exists when a per-department cap is set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

SCALE = 1_000_000  # scores in 0..1 become integers with 6 decimals


class SolverError(RuntimeError):
    pass


@dataclass(frozen=True)
class Assignment:
    chosen: np.ndarray  # bool per edge
    objective: float  # sum of the given weights over chosen edges
    status: str


def assign(
    left: np.ndarray,
    right: np.ndarray,
    weight: np.ndarray,
    capacity: np.ndarray,
    *,
    left_group: np.ndarray | None = None,
    group_cap: int | None = None,
    max_cardinality_first: bool = False,
) -> Assignment:
    """Maximise the total weight of chosen edges (left[i], right[i]).

    left, right: dense local indices (0..L-1, 0..R-1); capacity: per right node. left_group (per
    left node) and group_cap limit how many left nodes of one group one right node may take.
    With max_cardinality_first, the matching is first of maximum size, then of maximum weight.
    """
    n_edges = len(left)
    if n_edges == 0:
        return Assignment(np.zeros(0, dtype=bool), 0.0, "OPTIMAL")
    n_left = int(left.max()) + 1
    n_right = len(capacity)
    src, sink = 0, 1
    left_node = 2 + np.arange(n_left)
    right_node = 2 + n_left + np.arange(n_right)
    next_node = 2 + n_left + n_right
    cost = -np.round(np.asarray(weight, dtype=np.float64) * SCALE).astype(np.int64)
    tails = [np.full(n_left, src), left_node[left]]
    if left_group is not None and group_cap is not None:
        mid_key = right.astype(np.int64) * (int(left_group.max()) + 1) + left_group[left]
        mids, mid_of_edge = np.unique(mid_key, return_inverse=True)
        mid_node = next_node + np.arange(len(mids))
        mid_right = mids // (int(left_group.max()) + 1)
        heads_edges = mid_node[mid_of_edge]
        extra = ([mid_node], [right_node[mid_right]], [np.full(len(mids), group_cap)], [np.zeros(len(mids))])
    else:
        heads_edges = right_node[right]
        extra = ([], [], [], [])
    heads = [left_node, heads_edges]
    caps = [np.ones(n_left), np.ones(n_edges)]
    costs = [np.zeros(n_left), cost]
    tails += extra[0] + [right_node]
    heads += extra[1] + [np.full(n_right, sink)]
    caps += extra[2] + [capacity]
    costs += extra[3] + [np.zeros(n_right)]
    if not max_cardinality_first:
        tails.append(left_node)
        heads.append(np.full(n_left, sink))
        caps.append(np.ones(n_left))
        costs.append(np.zeros(n_left))
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    smcf.set_nodes_supplies(
        np.array([src, sink], dtype=np.int32), np.array([n_left, -n_left], dtype=np.int64)
    )
    status = smcf.solve_max_flow_with_min_cost() if max_cardinality_first else smcf.solve()
    if status != smcf.OPTIMAL:
        raise SolverError(f"min cost flow ended with status {status}")
    first_edge_arc = n_left
    flows = smcf.flows(np.arange(first_edge_arc, first_edge_arc + n_edges, dtype=np.int32))
    chosen = np.asarray(flows) > 0
    return Assignment(chosen, float(np.asarray(weight, dtype=np.float64)[chosen].sum()), "OPTIMAL")
