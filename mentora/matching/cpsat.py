"""One way to make a CP-SAT solver for the engine: it stops on deterministic time (a reproducible
count of work, not seconds) with one worker and a seed, so its answer can't depend on the machine's
speed or load."""

from __future__ import annotations

from ortools.sat.python import cp_model

CPSAT_SEED_RANGE = 2**31  # CP-SAT's random_seed is a 32-bit signed integer


def deterministic_solver(*, work: float, seed: int) -> cp_model.CpSolver:
    """A solver limited to ``work`` units of deterministic time; any seed >= 0 is folded into
    CP-SAT's range, so an instance's seed (any JSON integer) never crashes it."""
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = work
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed % CPSAT_SEED_RANGE
    return solver
