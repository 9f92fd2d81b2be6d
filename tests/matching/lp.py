"""Reference optimum by integer programming (scipy's milp), independent of the flow formulation."""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix


def optimum(rows: list[np.ndarray], caps: list[np.ndarray], weight: np.ndarray) -> tuple[float, np.ndarray]:
    """max weight.x, x binary, with sum over each group (row ids per edge) <= cap of that group."""
    if len(weight) == 0:
        return 0.0, np.zeros(0, dtype=bool)
    blocks, ub = [], []
    for row, cap in zip(rows, caps, strict=True):
        m = csr_matrix((np.ones(len(row)), (row, np.arange(len(row)))), shape=(len(cap), len(weight)))
        blocks.append(m)
        ub.append(cap)
    from scipy.sparse import vstack

    res = milp(
        -weight,
        constraints=LinearConstraint(vstack(blocks), -np.inf, np.concatenate(ub)),
        integrality=np.ones(len(weight)),
        bounds=Bounds(0, 1),
    )
    assert res.status == 0
    return -res.fun, res.x > 0.5
