"""Shortlist: the top-k eligible mentors for one mentee, with reasons, in milliseconds.

Exposure spreading: a mentor who has already been shown to more than `spread` times as many
mentees as they have free places is discounted in proportion, so one popular mentor does not
appear on everyone's list while others with room are never seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from mentora.matching.eligibility import eligible, sides
from mentora.matching.explain import Reason, explain_pairs, unmatched_reasons
from mentora.matching.instance import COMPONENTS, Instance, InstanceError
from mentora.matching.population import build_population
from mentora.matching.scoring import score_edges


@dataclass(frozen=True)
class ShortlistEntry:
    mentor: str
    score: float
    shown_score: float  # after the exposure discount; the list is ordered by it
    exposure_discount: float
    components: dict[str, float]
    reasons: list[Reason]

    def to_json(self) -> dict[str, Any]:
        return {
            "mentor": self.mentor,
            "score": round(self.score, 4),
            "shown_score": round(self.shown_score, 4),
            "exposure_discount": round(self.exposure_discount, 4),
            "components": {k: round(v, 4) for k, v in self.components.items()},
            "reasons": self.reasons,
        }


class Shortlister:
    """Compiles the instance once; each shortlist is then one vectorised pass over the mentors."""

    def __init__(self, instance: Instance, *, spread: float = 2.0) -> None:
        self.pop = build_population(instance)
        self.program = instance.program
        _, self.right = sides(self.pop, self.program)
        self.spread = spread
        self._position = {int(p): k for k, p in enumerate(self.right)}
        self.mentor_ids = frozenset(self.pop.ids[int(p)] for p in self.right)

    def _per_mentor(self, counts: Mapping[str, int] | None) -> np.ndarray:
        out = np.zeros(len(self.right))
        for mentor_id, count in (counts or {}).items():
            k = self._position.get(self.pop.index.get(mentor_id, -1))
            if k is not None:
                out[k] = count
        return out

    def shortlist(
        self,
        mentee_id: str,
        *,
        k: int = 5,
        exposure: Mapping[str, int] | None = None,
        assigned: Mapping[str, int] | None = None,
    ) -> list[ShortlistEntry]:
        """exposure: times each mentor was already shown; assigned: mentees each mentor already has."""
        pop, program = self.pop, self.program
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")  # a negative slice would drop mentors
        if mentee_id not in pop.index:
            raise InstanceError("unknown person", field="mentee", person=mentee_id)
        i = pop.index[mentee_id]
        free = pop.capacity[self.right] - self._per_mentor(assigned)
        available = (self.right != i) & (free > 0)
        v, free = self.right[available], free[available]
        shown = self._per_mentor(exposure)[available]
        u = np.full(len(v), i)
        ok = eligible(pop, program, u, v)
        edges = score_edges(pop, program, u[ok], v[ok])
        allowance = self.spread * free[ok]
        discount = np.where(shown[ok] > allowance, allowance / np.maximum(shown[ok], 1), 1.0)
        adjusted = edges.score * discount
        top = np.lexsort((edges.v, -adjusted))[:k]
        reasons = explain_pairs(pop, program, edges.u[top], edges.v[top], edges.components[top])
        return [
            ShortlistEntry(
                mentor=pop.ids[edges.v[t]],
                score=float(edges.score[t]),
                shown_score=float(adjusted[t]),
                exposure_discount=float(discount[t]),
                components=dict(zip(COMPONENTS, edges.components[t].tolist(), strict=True)),
                reasons=why,
            )
            for t, why in zip(top, reasons, strict=True)
        ]

    def why_empty(self, mentee_id: str, *, assigned: Mapping[str, int] | None = None) -> list[Reason]:
        """Reasons when a shortlist comes back empty; assigned as for `shortlist`."""
        pop = self.pop
        if mentee_id not in pop.index:
            raise InstanceError("unknown person", field="mentee", person=mentee_id)
        free = pop.capacity[self.right] - self._per_mentor(assigned)
        return unmatched_reasons(pop, self.program, np.array([pop.index[mentee_id]]), self.right, free)[0]
