"""Edge scores: five explainable components in 0..1 and their weighted mean, all vectorised.

Inputs are edge arrays (u = mentee or peer, v = mentor or peer). Nothing here reads the
demographic group: the Population does not even carry it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mentora.matching.eligibility import kind_for, skill_thresholds
from mentora.matching.instance import COMPONENTS, MAX_LEVEL, Program
from mentora.matching.population import Population, lookup_pairs, overlap_hours
from mentora.matching.text import distinct_rows, rowwise_cosine

# Edge scores are integers in millionths of the 0..1 scale, held as units / SCORE_SCALE: equal scores
# are exactly equal (ties are broken by a stated rule, never by float noise), and the edges file's
# integers reproduce every result.
SCORE_SCALE = 1_000_000
FULL_GAP = 3  # a mentor this many levels above the mentee gives full fit for that skill
FULL_OVERLAP_HOURS = 6.0
ENOUGH_HOURS_PER_WEEK = 2.0
_REMOTE, _IN_PERSON, _HYBRID = 0, 1, 2


@dataclass
class Edges:
    """Candidate edges with their scores. components[:, k] is COMPONENTS[k]."""

    u: np.ndarray
    v: np.ndarray
    components: np.ndarray  # float32 (E, 5)
    score: np.ndarray  # float64 (E,)

    def __len__(self) -> int:
        return len(self.u)

    @property
    def units(self) -> np.ndarray:
        """The scores as integers (millionths)."""
        return np.rint(self.score * SCORE_SCALE).astype(np.int64)

    def subset(self, keep: np.ndarray) -> Edges:
        return Edges(self.u[keep], self.v[keep], self.components[keep], self.score[keep])


def goal_fit(pop: Population, program: Program, learner: np.ndarray, teacher: np.ndarray) -> np.ndarray:
    """Priority-weighted share of the learner's wanted skills in which the teacher is clearly stronger.

    Per skill: 0 below the program's level gap, else (teacher level - learner level) / 3, capped at 1.
    Learners who want nothing get a neutral 0.5.
    """
    # Per distinct learner, wanted slot and teacher level 0..MAX_LEVEL, the slot's weighted fit: each
    # edge then reads one entry per slot (the same numbers as computing the fit per edge).
    rows, at = distinct_rows(learner, pop.n)
    skill = pop.want_skill[rows]
    weight = np.where(skill >= 0, pop.want_weight[rows], 0.0)
    level = np.arange(MAX_LEVEL + 1, dtype=np.int16)[:, None, None]
    gap = level - pop.want_self[rows]
    fit = np.where(level >= skill_thresholds(pop, program)[rows], np.minimum(gap / FULL_GAP, 1.0), 0.0)
    weighted_fit = weight * np.clip(fit, 0.0, 1.0)  # (level, learner, slot)
    num = np.zeros(len(learner))
    den = np.zeros(len(rows))
    for j in range(skill.shape[1]):
        num += weighted_fit[pop.level(teacher, skill[at, j]), at, j]
        den += weight[:, j]
    den = den[at]
    return np.where(den > 0, num / np.maximum(den, 1e-12), 0.5)


def _mode_fit_of(ma: np.ndarray, mb: np.ndarray, same_place: np.ndarray) -> np.ndarray:
    lo, hi = np.minimum(ma, mb), np.maximum(ma, mb)
    out = np.full(ma.shape, 0.25)
    out[(lo == _REMOTE) & (hi == _REMOTE)] = 1.0
    out[(lo == _REMOTE) & (hi == _HYBRID)] = 0.75
    both_inperson = (lo == _IN_PERSON) & (hi == _IN_PERSON)
    out[both_inperson] = np.where(same_place[both_inperson], 1.0, 0.0)
    hybrid_side = (lo == _IN_PERSON) & (hi == _HYBRID)
    out[hybrid_side] = np.where(same_place[hybrid_side], 1.0, 0.25)
    both_hybrid = (lo == _HYBRID) & (hi == _HYBRID)
    out[both_hybrid] = np.where(same_place[both_hybrid], 1.0, 0.75)
    return out


# the meeting-mode fit of every (mode, mode, same place) combination, looked up per edge
_MODE_FIT = _mode_fit_of(*np.meshgrid(range(3), range(3), (False, True), indexing="ij"))


def _mode_fit(pop: Population, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return _MODE_FIT[
        pop.meeting_mode[a], pop.meeting_mode[b], (pop.location[a] == pop.location[b]).view(np.int8)
    ]


def practical(pop: Population, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    tz = np.minimum(overlap_hours(pop, a, b) / FULL_OVERLAP_HOURS, 1.0)
    shared = (pop.language_bits[a] & pop.language_bits[b]).any(axis=1)
    lang = np.where(pop.first_language[a] == pop.first_language[b], 1.0, np.where(shared, 0.5, 0.0))
    avail = np.minimum(np.minimum(pop.hours[a], pop.hours[b]) / ENOUGH_HOURS_PER_WEEK, 1.0)
    return 0.4 * tz + 0.2 * lang + 0.2 * _mode_fit(pop, a, b) + 0.2 * avail


def difference(pop: Population, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Share of department, job family and location that differ (0, 1/3, 2/3 or 1)."""
    return (
        (pop.department[a] != pop.department[b]).astype(np.float64)
        + (pop.job_family[a] != pop.job_family[b])
        + (pop.location[a] != pop.location[b])
    ) / 3.0


def diversity(pop: Population, program: Program, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    d = difference(pop, a, b)
    return program.diversity_dial * d + (1.0 - program.diversity_dial) * (1.0 - d)


def preference(pop: Population, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mean over the sides that ranked anyone of how highly they ranked the other (1 = first choice)."""
    n = pop.n
    out = np.zeros(len(a))
    if len(pop.pref_keys) == 0:
        return out
    ranked_anyone = np.zeros(n, dtype=bool)
    ranked_anyone[pop.pref_keys // n] = True
    ra, rb = ranked_anyone[a], ranked_anyone[b]
    some = np.flatnonzero(ra | rb)  # the others score 0 without a look-up
    a, b, ra, rb = a[some], b[some], ra[some], rb[some]
    pos, found = lookup_pairs(pop.pref_keys, a * n + b)
    pa = np.where(found, pop.pref_score[pos], 0.0)
    pos, found = lookup_pairs(pop.pref_keys, b * n + a)
    pb = np.where(found, pop.pref_score[pos], 0.0)
    sides = ra.astype(np.int64) + rb
    out[some] = np.where(sides > 0, (pa * ra + pb * rb) / np.maximum(sides, 1), 0.0)
    return out


def weight_vector(program: Program) -> np.ndarray:
    w = np.array([program.weights.get(c, 0.0) for c in COMPONENTS], dtype=np.float64)
    return w / w.sum()


# Edges scored at once, past the goals' similarity (one block product for all): the temporaries stay a
# few MB and are reused, where a run's first pass over 600,000 edges at once mapped fresh memory from the
# system for each one (0.1 s of system time). The last block takes the remainder, so every block holds
# at least this many edges and the weighted sum is the same matrix product whatever the block.
_SCORE_BLOCK = 131_072


def score_edges(pop: Population, program: Program, u: np.ndarray, v: np.ndarray) -> Edges:
    """Score edges u -> v (u learns from v; for peers, both directions are averaged)."""
    comps = np.empty((len(u), len(COMPONENTS)), dtype=np.float32)
    weights = weight_vector(program)
    comps[:, 1] = rowwise_cosine(pop.tfidf[0], u, v) if weights[1] > 0 else 0.0
    score = np.empty(len(u))
    starts = list(range(0, len(u) - _SCORE_BLOCK, _SCORE_BLOCK)) or [0]
    for lo, hi in zip(starts, [*starts[1:], len(u)], strict=True):
        a, b, block = u[lo:hi], v[lo:hi], comps[lo:hi]
        if kind_for(program) == "peer":
            ga, gb = goal_fit(pop, program, a, b), goal_fit(pop, program, b, a)
            wa, wb = pop.n_wanted[a] > 0, pop.n_wanted[b] > 0
            both = wa.astype(np.int64) + wb
            block[:, 0] = np.where(both > 0, (ga * wa + gb * wb) / np.maximum(both, 1), 0.5)
        else:
            block[:, 0] = goal_fit(pop, program, a, b)
        block[:, 2] = diversity(pop, program, a, b)
        block[:, 3] = practical(pop, a, b)
        block[:, 4] = preference(pop, a, b)
        score[lo:hi] = np.rint(block.astype(np.float64) @ weights * SCORE_SCALE) / SCORE_SCALE
    return Edges(u, v, comps, score)


def group_positions(group: np.ndarray, score: np.ndarray, primary: np.ndarray | None = None) -> np.ndarray:
    """Position of each edge in its group's list ordered by (primary, descending score, original order)."""
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    if primary is None or not primary.any():
        order = _by_group_then_descending_score(group, score)
    else:
        order = np.lexsort((np.arange(len(group)), -score, primary, group))
    g = group[order]
    first = np.r_[True, g[1:] != g[:-1]]
    starts = np.maximum.accumulate(np.where(first, np.arange(len(g)), 0))
    pos = np.empty(len(g), dtype=np.int64)
    pos[order] = np.arange(len(g)) - starts
    return pos


def _by_group_then_descending_score(group: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Edge order by (group, descending score, position)."""
    n = len(group)
    units = np.rint(score * SCORE_SCALE)
    lo, hi = float(score.min()), float(score.max())
    span = round((hi - lo) * SCORE_SCALE)
    if np.array_equal(units / SCORE_SCALE, score) and (int(group.max()) + 1) * (span + 1) * n < 2**63:
        # scores on the integer grid (every edge score is): one distinct integer key per edge, so the
        # plain sort (vectorised, several times faster than a stable argsort) gives the stable order
        from_top = round(hi * SCORE_SCALE) - units.astype(np.int64)
        return np.sort((group.astype(np.int64) * (span + 1) + from_top) * n + np.arange(n)) % n
    # one float key per edge: group, then descending score; a stable sort keeps ties in position order
    key = group.astype(np.float64) + (hi - score) / (hi - lo + 1e-12) * 0.999
    return np.argsort(key, kind="stable")


def top_per_group(group: np.ndarray, score: np.ndarray, k: int | np.ndarray) -> np.ndarray:
    """Boolean mask keeping the k (or k[group]) highest-scoring edges of each group (ties by position)."""
    limit = k if np.isscalar(k) else np.asarray(k)[group]
    return group_positions(group, score) < limit
