"""Fairness audit of a result: who gets matched, how well, and how evenly mentors are loaded.

This is the only module that reads the consented demographic group, and only to report on it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mentora.matching.population import Population

GROUPINGS = ("department", "seniority", "demographic_group", "under_sponsored")


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = perfectly even)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    if len(x) == 0 or x.sum() == 0:
        return 0.0
    n = len(x)
    return float((2.0 * np.sum(np.arange(1, n + 1) * x)) / (n * x.sum()) - (n + 1.0) / n)


def group_labels(pop: Population, people: np.ndarray, grouping: str) -> np.ndarray:
    """Group label per person; None where a demographic group was not given (not consented)."""
    src = pop.instance.people
    if grouping == "department":
        return np.array([src[i].department for i in people], dtype=object)
    if grouping == "seniority":
        return np.array([str(src[i].seniority) for i in people], dtype=object)
    if grouping == "under_sponsored":
        return np.array(
            ["under-sponsored" if src[i].under_sponsored else "other" for i in people], dtype=object
        )
    return np.array([src[i].demographic_group for i in people], dtype=object)


def group_means(labels: np.ndarray, score_or_zero: np.ndarray) -> dict[str, float]:
    """Mean score per group, counting the unmatched as 0 (the quantity a fairness floor raises)."""
    out = {}
    for g in sorted({x for x in labels if x is not None}):
        sel = labels == g
        out[g] = float(score_or_zero[sel].mean())
    return out


def fairness_report(
    pop: Population, participants: np.ndarray, score: np.ndarray, load: np.ndarray | None = None
) -> dict[str, Any]:
    """score: per participant, the score of their match, NaN when unmatched. load: per mentor."""
    matched = ~np.isnan(score)
    report: dict[str, Any] = {
        "participants": len(participants),
        # Who the figures cover, so that an app can tell how many people changed between reports.
        "participant_ids": sorted(pop.ids[i] for i in participants),
        "matched": int(matched.sum()),
        "match_rate": float(matched.mean()) if len(participants) else 0.0,
        "by": {},
    }
    for grouping in GROUPINGS:
        labels = group_labels(pop, participants, grouping)
        groups = {}
        for g in sorted({x for x in labels if x is not None}):
            sel = labels == g
            m = sel & matched
            groups[g] = {
                "people": int(sel.sum()),
                "matched": int(m.sum()),
                "match_rate": round(float(m.sum() / sel.sum()), 4),
                "mean_score": round(float(score[m].mean()), 4) if m.any() else None,
                "min_score": round(float(score[m].min()), 4) if m.any() else None,
            }
        if not groups:
            continue
        rates = [g["match_rate"] for g in groups.values()]
        means = [g["mean_score"] for g in groups.values() if g["mean_score"] is not None]
        report["by"][grouping] = {
            "groups": groups,
            "largest_gap": {
                "match_rate": round(max(rates) - min(rates), 4),
                "mean_score": round(max(means) - min(means), 4) if means else None,
            },
        }
    if load is not None:
        report["mentor_load"] = {
            "gini": round(gini(load), 4),
            "max": int(load.max()) if len(load) else 0,
            "mean": round(float(load.mean()), 4) if len(load) else 0.0,
            "without_mentee": int((load == 0).sum()),
        }
    return report
