"""Peer pairing: maximum-weight matching on a general graph, checked against networkx and brute force."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentora.matching.peer import PeerMatching, max_weight_matching

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True)


@st.composite
def graphs(draw, max_n: int = 24, decimals: bool = True):
    n = draw(st.integers(0, max_n))
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=80)) if pairs else []
    if decimals:
        ws = draw(st.lists(st.integers(0, 1000), min_size=len(chosen), max_size=len(chosen)))
        w = np.array(ws, dtype=float) / 100
    else:
        ws = draw(
            st.lists(st.floats(0, 50, allow_nan=False, width=32), min_size=len(chosen), max_size=len(chosen))
        )
        w = np.array(ws, dtype=float)
    # Random orientation so that u < v is never assumed.
    flip = draw(st.lists(st.booleans(), min_size=len(chosen), max_size=len(chosen)))
    u = np.array([b if f else a for (a, b), f in zip(chosen, flip, strict=True)], dtype=np.int64)
    v = np.array([a if f else b for (a, b), f in zip(chosen, flip, strict=True)], dtype=np.int64)
    return n, u, v, w


def nx_value(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> float:
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist(), strict=True))
    return float(sum(g[a][b]["weight"] for a, b in nx.max_weight_matching(g)))


def brute_value(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> float:
    best = 0.0
    m = len(u)
    for k in range(1, n // 2 + 1):
        for sub in itertools.combinations(range(m), k):
            nodes = [x for e in sub for x in (u[e], v[e])]
            if len(set(nodes)) == 2 * k:
                best = max(best, float(w[list(sub)].sum()))
    return best


def check_valid(res: PeerMatching, n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> None:
    assert res.pairs.shape == (len(res.edge_index), 2)
    assert res.pairs.dtype == np.int64 and res.edge_index.dtype == np.int64
    nodes = res.pairs.ravel()
    assert len(set(nodes.tolist())) == len(nodes), "a node is matched twice"
    assert np.all((nodes >= 0) & (nodes < max(n, 1)))
    # edge_index points at the input edge joining each pair
    eu, ev = u[res.edge_index], v[res.edge_index]
    assert np.array_equal(np.sort(np.stack([eu, ev], 1), 1), np.sort(res.pairs, 1))
    assert res.objective == pytest.approx(float(w[res.edge_index].sum()), abs=1e-9)
    assert res.upper_bound >= res.objective - 1e-9


@SETTINGS
@given(graphs())
def test_equals_networkx_decimal_weights(g) -> None:
    n, u, v, w = g
    res = max_weight_matching(n, u, v, w)
    check_valid(res, n, u, v, w)
    assert res.exact
    assert res.objective == pytest.approx(nx_value(n, u, v, w), rel=1e-9, abs=1e-9)
    assert res.upper_bound == res.objective


@SETTINGS
@given(graphs(max_n=18, decimals=False))
def test_equals_networkx_arbitrary_floats(g) -> None:
    n, u, v, w = g
    res = max_weight_matching(n, u, v, w)
    check_valid(res, n, u, v, w)
    assert res.exact
    # Weights are scaled to a 2**30 grid here: equal up to that rounding.
    assert res.objective == pytest.approx(nx_value(n, u, v, w), rel=1e-7, abs=1e-7)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(graphs(max_n=8))
def test_equals_brute_force_on_tiny_graphs(g) -> None:
    n, u, v, w = g
    if len(u) > 14:
        u, v, w = u[:14], v[:14], w[:14]
    res = max_weight_matching(n, u, v, w)
    check_valid(res, n, u, v, w)
    assert res.objective == pytest.approx(brute_value(n, u, v, w), abs=1e-9)


def knn_graph(n: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate graph like the product's: nearest neighbours in a skill space, many triangles."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 4))
    d = np.linalg.norm(x[:, None, :] - x[None, :, :], axis=2)
    nbr = np.argsort(d, axis=1)[:, 1 : k + 1]
    a = np.repeat(np.arange(n), k)
    b = nbr.ravel()
    key = np.unique(np.minimum(a, b) * n + np.maximum(a, b))
    u, v = key // n, key % n
    w = np.round(np.exp(-2 * d[u, v]) * 100 + rng.random(len(u)) * 10, 3)
    return u, v, w


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_triangle_rich_graph_equals_networkx(seed: int) -> None:
    # Dense in odd cycles: the degree LP is fractional here, the blossom cuts must do the work.
    n = 150
    u, v, w = knn_graph(n, 8, seed)
    res = max_weight_matching(n, u, v, w)
    check_valid(res, n, u, v, w)
    assert res.exact
    assert res.objective == pytest.approx(nx_value(n, u, v, w), rel=1e-12)


def test_heuristic_path_reports_a_bound() -> None:
    # Above exact_limit the answer is a valid matching whose upper bound holds the optimum.
    n = 150
    u, v, w = knn_graph(n, 8, 5)
    res = max_weight_matching(n, u, v, w, exact_limit=10)
    check_valid(res, n, u, v, w)
    opt = nx_value(n, u, v, w)
    assert res.objective <= opt + 1e-9 <= res.upper_bound + 2e-9
    if res.exact:
        assert res.objective == pytest.approx(opt, rel=1e-12)


def test_deterministic() -> None:
    u, v, w = knn_graph(120, 6, 3)
    r1 = max_weight_matching(120, u, v, w, seed=4)
    r2 = max_weight_matching(120, u, v, w, seed=4)
    assert np.array_equal(r1.pairs, r2.pairs) and np.array_equal(r1.edge_index, r2.edge_index)
    assert r1.objective == r2.objective and r1.upper_bound == r2.upper_bound


def test_empty_and_zero_weights() -> None:
    r = max_weight_matching(0, np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([]))
    assert r.pairs.shape == (0, 2) and r.objective == 0.0 and r.exact
    r = max_weight_matching(3, np.array([0, 1]), np.array([1, 2]), np.array([0.0, 0.0]))
    assert r.objective == 0.0 and r.exact and r.upper_bound == 0.0


@pytest.mark.parametrize(
    ("n", "u", "v", "w", "message"),
    [
        (3, [0, 1], [0, 2], [1.0, 1.0], "self-loop"),
        (3, [0, 1], [1, 0], [1.0, 2.0], "duplicate edge between nodes 0 and 1"),
        (3, [0], [3], [1.0], "endpoints"),
        (3, [0], [1], [-1.0], "non-negative"),
        (3, [0], [1], [float("nan")], "finite"),
        (3, [0, 1], [1], [1.0], "one length"),
    ],
)
def test_bad_input_is_rejected(n, u, v, w, message) -> None:
    with pytest.raises(ValueError, match=message):
        max_weight_matching(n, np.array(u), np.array(v), np.array(w, dtype=float))
