"""The engine's budgets are work counts, never seconds: the same instance and seed give the same result
on any machine, however busy (a CI run once failed because the circles solver stopped on the clock)."""

from __future__ import annotations

import ast
import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from ortools.sat.python import cp_model
from scipy.spatial import cKDTree

import mentora.matching
from mentora.matching.circles import form_circles
from mentora.matching.engine import solve
from mentora.matching.generate import generate_instance
from mentora.matching.peer import max_weight_matching
from tests.matching.test_circles import SPEC, synthetic, tiny

ENGINE = Path(mentora.matching.__file__).parent
CLOCK_CALLS = {
    "time",
    "time_ns",
    "monotonic",
    "monotonic_ns",
    "perf_counter",
    "perf_counter_ns",
    "process_time",
    "now",
    "utcnow",
    "today",
}
# Solver options that stop on wall-clock time.
WALL_CLOCK_LIMITS = ("max_time_in_seconds", "SetTimeLimit", "set_time_limit")


def is_clock_read(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in CLOCK_CALLS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in {"time", "datetime", "date", "dt"}
    )


def clock_names(tree: ast.AST) -> set[str]:
    """Names (and attributes such as self.t) bound to an expression that reads the clock."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) or node.value is None:
            continue
        if any(is_clock_read(sub) for sub in ast.walk(node.value)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                names |= {ast.unparse(t) for t in ast.walk(target) if isinstance(t, ast.Name | ast.Attribute)}
    return names


def decisions_on_the_clock(tree: ast.AST) -> list[str]:
    """Comparisons and branch conditions that involve a clock reading ("is None" checks aside)."""
    names = clock_names(tree)

    def reads_clock(expr: ast.AST) -> bool:
        if isinstance(expr, ast.Compare) and all(isinstance(op, ast.Is | ast.IsNot) for op in expr.ops):
            return False
        return any(
            is_clock_read(sub) or (isinstance(sub, ast.Name | ast.Attribute) and ast.unparse(sub) in names)
            for sub in ast.walk(expr)
        )

    found = []
    for node in ast.walk(tree):
        tested = node if isinstance(node, ast.Compare) else getattr(node, "test", None)
        if isinstance(node, ast.Compare | ast.While | ast.If | ast.IfExp) and reads_clock(tested):
            found.append(f"line {node.lineno}: {ast.unparse(tested)}")
    return found


ENGINE_MODULES = sorted(ENGINE.glob("*.py"))


@pytest.mark.parametrize("path", ENGINE_MODULES, ids=lambda p: p.name)
def test_no_engine_module_decides_anything_on_the_clock(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    assert decisions_on_the_clock(tree) == []
    assert [limit for limit in WALL_CLOCK_LIMITS if limit in source] == []
    imports_time = any(
        (isinstance(node, ast.Import) and any(alias.name == "time" for alias in node.names))
        or (isinstance(node, ast.ImportFrom) and node.module == "time")
        for node in ast.walk(tree)
    )
    # Only the engine reads the clock, for the timings_s report.
    assert not imports_time or path.name == "engine.py"


def test_the_clock_check_catches_a_deadline() -> None:
    # The check above must be able to fail: the kinds of stopping rule it exists to keep out.
    for code in (
        "deadline = time.monotonic() + 5\nwhile time.monotonic() < deadline: pass",
        "start = time.perf_counter()\nif start > 3: pass",
        "x = 1 if time.time() > limit else 2",
    ):
        assert decisions_on_the_clock(ast.parse(code)), code
    assert decisions_on_the_clock(ast.parse("t = time.perf_counter() if t is None else t")) == []


def jumping_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every clock reading jumps an hour ahead: any wall-clock limit would be hit at once."""
    ticks = itertools.count()
    for name in ("monotonic", "perf_counter", "time"):
        monkeypatch.setattr(f"time.{name}", lambda: 3600.0 * next(ticks))


def without_timings(result: dict) -> dict:
    result["solver"].pop("timings_s")
    return result


@pytest.mark.parametrize(
    "instance",
    [
        pytest.param(generate_instance(mentees=120, mentors=50, seed=5), id="many_to_one"),
        pytest.param(
            generate_instance(mentees=120, mentors=50, seed=5).with_program(mode="stable"), id="stable"
        ),
        pytest.param(generate_instance(peers=300, seed=3), id="peer"),
        pytest.param(generate_instance(peers=120, seed=11, program_format="circles"), id="circles"),
    ],
)
def test_a_busy_machine_gets_the_same_result(instance, monkeypatch: pytest.MonkeyPatch) -> None:
    first = without_timings(solve(instance))
    jumping_clock(monkeypatch)
    assert without_timings(solve(instance)) == first


def knn_graph(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nearest neighbours in a skill space: full of triangles, so the blossom LP has work to do."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 4))
    _, idx = cKDTree(x).query(x, k=9)
    a, b = np.repeat(np.arange(n), 8), idx[:, 1:].ravel()
    key = np.unique(np.minimum(a, b) * n + np.maximum(a, b))
    u, v = key // n, key % n
    return u, v, np.round(np.exp(-2 * np.linalg.norm(x[u] - x[v], axis=1)) * 100 + rng.random(len(u)), 3)


def test_peer_matching_beyond_the_exact_limit_ignores_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # Above exact_limit the region LP, its re-solve and CP-SAT all run on budgets.
    u, v, w = knn_graph(600, seed=2)
    first = max_weight_matching(600, u, v, w, exact_limit=100, seed=4)
    assert "blossom-lp" in first.solver
    jumping_clock(monkeypatch)
    again = max_weight_matching(600, u, v, w, exact_limit=100, seed=4)
    assert np.array_equal(again.pairs, first.pairs)
    assert (again.objective, again.upper_bound, again.exact, again.solver) == (
        first.objective,
        first.upper_bound,
        first.exact,
        first.solver,
    )


def test_circles_with_baseline_ignore_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    inst = synthetic(200, 7, SPEC)
    first = inst.solve(seed=3, compute_baseline=True)
    jumping_clock(monkeypatch)
    again = inst.solve(seed=3, compute_baseline=True)
    assert (again.groups, again.facilitators, again.objective, again.baseline_objective) == (
        first.groups,
        first.facilitators,
        first.objective,
        first.baseline_objective,
    )


def test_cp_sat_runs_single_threaded_on_deterministic_time(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    solve_model = cp_model.CpSolver.solve

    def recording(self, model, *args, **kwargs):
        seen.append(self.parameters)
        return solve_model(self, model, *args, **kwargs)

    monkeypatch.setattr(cp_model.CpSolver, "solve", recording)
    tiny(9).solve(seed=5)  # small enough for the exact CP-SAT model
    u, v, w = knn_graph(600, seed=2)
    max_weight_matching(600, u, v, w, exact_limit=100, seed=4)
    assert len(seen) >= 2
    for params in seen:
        assert math.isinf(params.max_time_in_seconds)
        assert 0 < params.max_deterministic_time < math.inf
        assert params.num_workers == 1
    assert {params.random_seed for params in seen} == {4, 5}


@pytest.mark.parametrize("effort", [0, -1, math.nan, math.inf])
def test_a_budget_that_is_not_a_positive_number_is_refused(effort: float) -> None:
    with pytest.raises(ValueError, match="effort"):
        max_weight_matching(2, [0], [1], [1.0], effort=effort)
    inst = tiny(6)
    with pytest.raises(ValueError, match="effort"):
        form_circles(
            inst.n,
            inst.u,
            inst.v,
            inst.w,
            spec=inst.spec,
            utc_offset_hours=inst.tz,
            department=inst.dept,
            seniority=inst.sen,
            can_facilitate=inst.fac,
            effort=effort,
        )
