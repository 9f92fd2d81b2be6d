"""Ask the engine about particular pairs of a stored instance: are they allowed, how do they score.

Used for a manager's swap and for the locked pairs, which the solver never sees. Scores are
computed on the whole instance, so they equal what a run would have given the same pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mentora.matching import parse_instance
from mentora.matching.eligibility import constraint_masks
from mentora.matching.explain import Reason, explain_pairs
from mentora.matching.instance import COMPONENTS
from mentora.matching.population import build_population
from mentora.matching.scoring import score_edges


@dataclass(frozen=True)
class PairEvaluation:
    mentor: str
    mentee: str
    failed: tuple[str, ...]  # names of the hard constraints the pair breaks
    score: float
    components: dict[str, float]
    reasons: list[Reason]

    @property
    def allowed(self) -> bool:
        return not self.failed


def _pairs_in_population(instance: dict[str, Any], pairs: list[tuple[str, str]]):
    """The parsed instance, its population and the pairs as the engine's (mentee, mentor) index arrays."""
    parsed = parse_instance(instance)
    pop = build_population(parsed)
    u = np.array([pop.index[mentee] for _, mentee in pairs], dtype=np.int64)
    v = np.array([pop.index[mentor] for mentor, _ in pairs], dtype=np.int64)
    return parsed, pop, u, v


def pairs_allowed(instance: dict[str, Any], pairs: list[tuple[str, str]]) -> list[bool]:
    """For each (mentor id, mentee id) pair: does it keep every hard constraint? (no scoring)"""
    if not pairs:
        return []
    parsed, pop, u, v = _pairs_in_population(instance, pairs)
    ok = np.ones(len(pairs), dtype=bool)
    for mask in constraint_masks(pop, parsed.program, u, v).values():
        ok &= mask
    return ok.tolist()


def evaluate_pairs(instance: dict[str, Any], pairs: list[tuple[str, str]]) -> list[PairEvaluation]:
    """pairs: (mentor id, mentee id), both present in the instance."""
    if not pairs:
        return []
    parsed, pop, u, v = _pairs_in_population(instance, pairs)
    masks = constraint_masks(pop, parsed.program, u, v)
    edges = score_edges(pop, parsed.program, u, v)
    reasons = explain_pairs(pop, parsed.program, u, v, edges.components)
    return [
        PairEvaluation(
            mentor=mentor,
            mentee=mentee,
            failed=tuple(name for name, mask in masks.items() if not mask[k]),
            score=round(float(edges.score[k]), 4),
            components={c: round(float(x), 4) for c, x in zip(COMPONENTS, edges.components[k], strict=True)},
            reasons=reasons[k],
        )
        for k, (mentor, mentee) in enumerate(pairs)
    ]
