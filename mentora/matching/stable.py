"""Stable many-to-one matching (hospital/residents) and blocking-pair counting.

Preferences are given per edge: `left_pos` is the edge's position in the left node's list
(0 = first choice) and `right_rank` its position in the right node's list. Only listed pairs
are acceptable, so the lists may be short (the candidate edges).
"""

from __future__ import annotations

import heapq

import numpy as np


def deferred_acceptance(
    left: np.ndarray, right: np.ndarray, left_pos: np.ndarray, right_rank: np.ndarray, capacity: np.ndarray
) -> np.ndarray:
    """Left-proposing deferred acceptance; returns a bool mask of chosen edges (left-optimal stable)."""
    n_edges = len(left)
    chosen = np.zeros(n_edges, dtype=bool)
    if n_edges == 0:
        return chosen
    n_left = int(left.max()) + 1
    order = np.lexsort((left_pos, left))
    starts = np.searchsorted(left[order], np.arange(n_left + 1))
    edge_list = order.tolist()
    start = starts.tolist()
    nxt = start[:-1]
    end = start[1:]
    right_l = right.tolist()
    rank_l = right_rank.tolist()
    cap = capacity.tolist()
    held: list[list[tuple[int, int]]] = [[] for _ in range(len(cap))]  # max-heap by rank: (-rank, edge)
    free = [i for i in range(n_left - 1, -1, -1) if start[i] < end[i]]
    while free:
        i = free.pop()
        if nxt[i] >= end[i]:
            continue
        e = edge_list[nxt[i]]
        nxt[i] += 1
        h = right_l[e]
        heap = held[h]
        if len(heap) < cap[h]:
            heapq.heappush(heap, (-rank_l[e], e))
        elif heap and -heap[0][0] > rank_l[e]:
            _, worst = heapq.heapreplace(heap, (-rank_l[e], e))
            free.append(int(left[worst]))
        else:
            free.append(i)
    for heap in held:
        for _, e in heap:
            chosen[e] = True
    return chosen


def blocking_pairs(
    left: np.ndarray,
    right: np.ndarray,
    left_pos: np.ndarray,
    right_rank: np.ndarray,
    capacity: np.ndarray,
    chosen: np.ndarray,
) -> int:
    """Acceptable unchosen pairs where both would rather be together than with what they have."""
    if len(left) == 0:
        return 0
    n_left = int(left.max()) + 1
    current = np.full(n_left, np.iinfo(np.int64).max)
    current[left[chosen]] = left_pos[chosen]
    fill = np.bincount(right[chosen], minlength=len(capacity))
    worst = np.full(len(capacity), -1)
    np.maximum.at(worst, right[chosen], right_rank[chosen])
    left_wants = left_pos < current[left]
    right_wants = (fill[right] < capacity[right]) | (right_rank < worst[right])
    return int((~chosen & left_wants & right_wants).sum())
