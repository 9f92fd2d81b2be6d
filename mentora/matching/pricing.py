"""Pricing every eligible pair against the assignment's LP duals: the certificate of a global optimum.

An eligible pair (u, v) that is not a candidate edge can improve the optimal flow on the candidates only
if its integer-scaled score beats the duals it must pay: score(u, v) > dual(u) + dual(v) (+ the dual of
v's cap on u's department). `price_eligible` finds every such pair without a people x people matrix
and without a Python loop over pairs:

1. Enumerate by skill ranges: for every (mentee, wanted skill) the mentors offering that skill at the
   required level are contiguous in an index sorted by (skill, level, mentor dual), so the mentors
   whose dual is below the mentee's threshold (the highest score any non-preference pair can reach,
   minus the mentee's dual) are a prefix of each level's segment. Mentees who want nothing (or a
   program without the skill rule) are priced against every mentor the same way.
2. Per block of mentees, drop the pairs already in the graph, apply every hard rule (eligibility.py),
   score the survivors exactly and keep those with a positive reduced cost.

No pair is skipped except by a bound that is valid for it, so "no positive reduced cost" is a proof
that the assignment is optimal over all eligible pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mentora.matching.eligibility import (
    CHEAP_RULES,
    eligible,
    preference_pairs,
    skill_thresholds,
    unique_sorted,
)
from mentora.matching.flow import Duals, scaled
from mentora.matching.instance import COMPONENTS, MAX_LEVEL, Program
from mentora.matching.population import Population, lookup_pairs
from mentora.matching.scoring import (
    FULL_GAP,
    SCORE_SCALE,
    Edges,
    diversity,
    goal_fit,
    practical,
    score_edges,
    top_per_group,
    weight_vector,
)

BLOCK_PAIRS = 4_000_000  # pairs enumerated at once (memory stays bounded on any size)
KEEP_PER_MENTEE = 20  # improving pairs added per mentee and round (the next round finds the rest)
MARGIN = 50_000  # integer-scaled score (0.05): how close to its price a pair must come to enter the pool
SLACK = 2  # integer units added to every float bound: covers the rounding of the scaled score


@dataclass
class PricingPass:
    added: Edges  # improving pairs (at most KEEP_PER_MENTEE per mentee), sorted by (mentee, mentor)
    priced: int  # eligible pairs whose reduced cost was computed
    enumerated: int  # pairs enumerated from the skill ranges under the dual threshold
    largest_reduced_cost: int  # integer-scaled; <= 0 proves optimality
    bound_gap: int  # sum over mentees of their largest positive reduced cost (LP bound = duals + this)


def score_upper_bound(program: Program) -> float:
    """The highest score a pair without a stated preference can reach (every other component at 1)."""
    w = weight_vector(program)
    dial = program.diversity_dial
    best = dict(zip(COMPONENTS, w, strict=True))
    best["diversity"] *= max(dial, 1.0 - dial)
    best["preference"] = 0.0
    return float(sum(best.values()))


def _ranges(starts: np.ndarray, counts: np.ndarray, owner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner of each position, position) for the ranges [starts[i], starts[i] + counts[i])."""
    total = int(counts.sum())
    rep = np.repeat(np.arange(len(counts)), counts)
    pos = starts[rep] + np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner[rep], pos


class _MentorIndex:
    """Mentors' offered (skill, level) entries sorted by (skill, level, dual); all mentors by dual."""

    def __init__(self, pop: Population, right: np.ndarray, right_dual: np.ndarray) -> None:
        sub = pop.offered[right].tocoo()
        self.dual_of = right_dual
        dual = right_dual[sub.row].astype(np.int64)
        self.segment = sub.col.astype(np.int64) * (MAX_LEVEL + 1) + sub.data.astype(np.int64)
        self.wide = int(dual.max(initial=0)) + 2
        key = self.segment * self.wide + dual
        order = np.argsort(key, kind="stable")
        self.key = key[order]
        self.person = right[sub.row[order]]
        self.n_segments = (len(pop.skills) + 1) * (MAX_LEVEL + 1)
        by_dual = np.argsort(right_dual, kind="stable")
        self.all_sorted = right[by_dual]
        self.all_dual = right_dual[by_dual]

    def skill_requests(
        self, who: np.ndarray, skill: np.ndarray, threshold: np.ndarray, below: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (who[i], mentor) for every mentor offering skill[i] at a level L >= threshold[i] with
        a dual < below[i, L]."""
        us, vs = [], []
        cap = np.clip(below, 0, self.wide - 1)
        for level in range(1, MAX_LEVEL + 1):
            take = threshold <= level
            if not take.any():
                continue
            seg = skill[take] * (MAX_LEVEL + 1) + level
            lo = np.searchsorted(self.key, seg * self.wide)
            hi = np.searchsorted(self.key, seg * self.wide + cap[take, level])
            owner, pos = _ranges(lo, hi - lo, who[take])
            us.append(owner)
            vs.append(self.person[pos])
        if not us:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(us), np.concatenate(vs)

    def all_requests(self, who: np.ndarray, below: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (who[i], mentor) for every mentor with dual < below[i]."""
        hi = np.searchsorted(self.all_dual, below)
        owner, pos = _ranges(np.zeros(len(who), dtype=np.int64), hi, who)
        return owner, self.all_sorted[pos]


class Pricer:
    """Prices every eligible pair against each round's duals, re-enumerating only what may have changed.

    Pairs that came within MARGIN of their price when a mentee was enumerated are kept, scored, in a
    pool and priced exactly every round. Any other pair (u, v) had score <= price - MARGIN then, so it
    still cannot improve while u's dual and v's dual together fell by at most MARGIN since; a mentee
    for whom that is not certain (its own fall plus the largest fall among the mentors of its skill
    ranges) is enumerated again. With department caps every round enumerates all.
    """

    def __init__(self, pop: Population, program: Program, left: np.ndarray, right: np.ndarray, *, bonus: int):
        self.pop, self.program, self.left, self.right, self.bonus = pop, program, left, right, bonus
        self.group = pop.department if program.max_mentees_per_department else None
        self.margin = MARGIN if self.group is None else 0
        self.pref_keys = _preference_pairs(pop, left, right)
        self.pool = _no_edges()
        self.enumerated_at = np.full(len(left), -1)
        self.left_then = np.zeros(len(left), dtype=np.int64)
        self.right_history: list[np.ndarray] = []

    def price(self, duals: Duals, existing_keys: np.ndarray) -> PricingPass:
        """Improving pairs outside `existing_keys` (sorted mentee * n + mentor) against `duals`."""
        n, left, right = self.pop.n, self.left, self.right
        this_round = len(self.right_history)
        self.right_history.append(duals.right)
        stale = np.ones(len(left), dtype=bool)
        if self.margin and this_round:
            known = np.flatnonzero(self.enumerated_at >= 0)
            fell = np.zeros(len(left), dtype=np.int64)
            for then_round in np.unique(self.enumerated_at[known]):
                mentees = known[self.enumerated_at[known] == then_round]
                fell[mentees] = self._mentor_fall(mentees, self.right_history[then_round] - duals.right)
            stale[known] = (self.left_then - duals.left)[known] + fell[known] > self.margin
        left_dual = np.zeros(n, dtype=np.int64)
        left_dual[left] = duals.left
        right_dual = np.zeros(n, dtype=np.int64)
        right_dual[right] = duals.right
        result = PricingPass(_no_edges(), 0, 0, np.iinfo(np.int64).min, 0)

        def price_of(u: np.ndarray, v: np.ndarray) -> np.ndarray:
            price = left_dual[u] + right_dual[v]
            if self.group is not None:
                price = price + duals.group_part(np.searchsorted(right, v), self.group[u])
            return price

        def reduced_of(edges: Edges) -> np.ndarray:
            reduced = scaled(edges.score) + self.bonus - price_of(edges.u, edges.v)
            result.priced += len(edges)
            if len(edges):
                result.largest_reduced_cost = max(result.largest_reduced_cost, int(reduced.max()))
            return reduced

        # the pool: drop the pairs now in the graph and those of mentees enumerated again below
        pool = self.pool
        is_stale = np.zeros(n, dtype=bool)
        is_stale[left[stale]] = True
        pool = pool.subset(~is_stale[pool.u] & ~lookup_pairs(existing_keys, pool.u * n + pool.v)[1])
        found = [pool, self._score(self.pref_keys, existing_keys, None)]
        fresh = self._enumerate(np.flatnonzero(stale), existing_keys, price_of, duals.left, result)
        found.append(fresh)
        if self.margin:
            self.pool = concat_edges([pool, fresh])
        self.enumerated_at[stale] = this_round
        self.left_then[stale] = duals.left[stale]
        everything = concat_edges(found)
        reduced = reduced_of(everything)
        improving = np.flatnonzero(reduced > 0)
        if len(improving) == 0:
            if result.priced == 0:
                result.largest_reduced_cost = 0
            return result
        best = np.zeros(n, dtype=np.int64)
        np.maximum.at(best, everything.u[improving], reduced[improving])
        result.bound_gap = int(best.sum())
        keep = improving[
            top_per_group(everything.u[improving], reduced[improving].astype(np.float64), KEEP_PER_MENTEE)
        ]
        added = everything.subset(keep)
        result.added = added.subset(np.lexsort((added.v, added.u)))
        return result

    def park(self, edges: Edges) -> None:
        """Scored eligible pairs leaving the graph: priced with the pool every round from now on."""
        self.pool = concat_edges([self.pool, edges])

    def _mentor_fall(self, mentees: np.ndarray, fall: np.ndarray) -> np.ndarray:
        """Per mentee (positions in left), the largest fall of a dual among the mentors it may be paired
        with: the mentors offering one of its wanted skills at its required level (all mentors for a
        mentee the skill rule does not narrow)."""
        pop, program = self.pop, self.program
        fall = np.maximum(fall, 0)
        everyone = int(fall.max(initial=0))
        people = self.left[mentees]
        if not program.constraint("skill_match"):
            return np.full(len(mentees), everyone)
        sub = pop.offered[self.right].tocoo()
        by_level = np.zeros((max(len(pop.skills), 1), MAX_LEVEL + 2), dtype=np.int64)
        np.maximum.at(by_level, (sub.col, sub.data.astype(np.int64)), fall[sub.row])
        at_least = np.maximum.accumulate(by_level[:, ::-1], axis=1)[:, ::-1]  # [skill, level]: levels >= it
        skill = pop.want_skill[people].astype(np.int64)
        thr = np.minimum(skill_thresholds(pop, program)[people].astype(np.int64), MAX_LEVEL + 1)
        per_slot = np.where(skill >= 0, at_least[np.maximum(skill, 0), thr], 0)
        return np.where(pop.n_wanted[people] > 0, per_slot.max(axis=1), everyone)

    def _score(
        self, keys: np.ndarray, existing_keys: np.ndarray, may: Callable[[np.ndarray], np.ndarray] | None
    ) -> Edges:
        """The eligible pairs among keys outside the graph, scored."""
        n = self.pop.n
        if may is not None:
            # enumerated pairs: the cheap rules, then the margin test (which reads every pair's skills),
            # and only on the few survivors the look-ups (duplicates, stated preferences, the graph)
            keys = keys[eligible(self.pop, self.program, keys // n, keys % n, only=CHEAP_RULES)]
            keys = unique_sorted(keys[may(keys)])
            keys = keys[~lookup_pairs(self.pref_keys, keys)[1]]
        keys = keys[~lookup_pairs(existing_keys, keys)[1]]
        u, v = keys // n, keys % n
        ok = eligible(self.pop, self.program, u, v)
        return score_edges(self.pop, self.program, u[ok], v[ok])

    def _enumerate(
        self,
        mentees: np.ndarray,
        existing_keys: np.ndarray,
        price_of: Callable[[np.ndarray, np.ndarray], np.ndarray],
        left_dual: np.ndarray,
        result: PricingPass,
    ) -> Edges:
        """Scored eligible pairs of the given mentees (positions in left) that come within the margin
        of their price, by skill ranges, in blocks."""
        pop, program, n, left = self.pop, self.program, self.pop.n, self.left
        if len(mentees) == 0:
            return _no_edges()
        index = _MentorIndex(pop, self.right, self.right_history[-1])
        bonus, margin = self.bonus, self.margin
        ceiling = int(np.ceil(score_upper_bound(program) * SCORE_SCALE)) + SLACK + bonus + margin
        use_skills = program.constraint("skill_match")
        wants = pop.n_wanted[left] > 0 if use_skills else np.zeros(len(left), dtype=bool)
        thr = skill_thresholds(pop, program)
        slots = pop.want_skill.shape[1]
        weights = weight_vector(program)
        below = ceiling - left_dual

        def within_margin(keys: np.ndarray) -> np.ndarray:
            # the cheap components exactly, the goals' similarity at its maximum 1
            u, v = keys // n, keys % n
            partial = (
                weights[0] * goal_fit(pop, program, u, v)
                + weights[1]
                + weights[2] * diversity(pop, program, u, v)
                + weights[3] * practical(pop, u, v)
            )
            return np.ceil(partial * SCORE_SCALE) + SLACK + bonus + margin > price_of(u, v)

        # blocks of mentees sized by an estimate of their pairs (mentors with a low enough dual)
        estimate = np.searchsorted(index.all_dual, below[mentees]) * np.where(
            wants[mentees], np.minimum(slots, 4), 1
        )
        pairs_before = np.r_[0, np.cumsum(estimate)]
        cuts = np.searchsorted(pairs_before, np.arange(0, pairs_before[-1] + BLOCK_PAIRS, BLOCK_PAIRS))
        cuts = np.unique(np.r_[0, np.clip(cuts, 0, len(mentees)), len(mentees)])
        out = []
        for a, b in zip(cuts[:-1], cuts[1:], strict=True):
            block = mentees[a:b]
            keys = []
            seekers = block[wants[block]]
            if len(seekers):
                people = left[seekers]
                skill = pop.want_skill[people]
                has = skill >= 0
                who = np.repeat(seekers, has.sum(axis=1))
                share = (pop.want_weight[people] / pop.want_weight[people].sum(axis=1, keepdims=True))[has]
                limit = _level_limits(
                    program,
                    share,
                    pop.want_self[people][has],
                    thr[people][has],
                    below[who] - ceiling + bonus + margin,
                )
                u_loc, v = index.skill_requests(who, skill[has].astype(np.int64), thr[people][has], limit)
                keys.append(left[u_loc] * n + v)
            others = block[~wants[block]]
            if len(others):
                u_loc, v = index.all_requests(others, below[others])
                keys.append(left[u_loc] * n + v)
            if not keys:
                continue
            block_keys = np.concatenate(keys)
            result.enumerated += len(block_keys)
            out.append(self._score(block_keys, existing_keys, within_margin))
        return concat_edges(out)


def concat_edges(parts: list[Edges]) -> Edges:
    """The edges of all parts, in order."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return _no_edges()
    return Edges(*(np.concatenate([getattr(e, f) for e in parts]) for f in ("u", "v", "components", "score")))


def _level_limits(
    program: Program, share: np.ndarray, self_level: np.ndarray, threshold: np.ndarray, offset: np.ndarray
) -> np.ndarray:
    """Per request and mentor level L, the dual a mentor must stay below: the score bound when the
    mentor's level in this wanted skill is L (every other wanted skill at full fit), plus `offset`
    (the edge bonus minus the mentee's own dual)."""
    levels = np.arange(MAX_LEVEL + 1)
    fit = np.clip((levels[None, :] - self_level[:, None]) / FULL_GAP, 0.0, 1.0)
    fit = np.where(levels[None, :] >= threshold[:, None], fit, 0.0)
    goal = 1.0 - share[:, None] + share[:, None] * fit
    w = weight_vector(program)
    best = score_upper_bound(program) - w[0] + w[0] * goal
    return np.ceil(best * SCORE_SCALE).astype(np.int64) + SLACK + offset[:, None]


def _no_edges() -> Edges:
    return Edges(
        np.zeros(0, dtype=np.int64),
        np.zeros(0, dtype=np.int64),
        np.zeros((0, len(COMPONENTS)), dtype=np.float32),
        np.zeros(0),
    )


def _preference_pairs(pop: Population, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Sorted keys mentee * n + mentor of the pairs where either side ranked the other."""
    u, v = preference_pairs(pop, left, right)
    keys = u.astype(np.int64) * pop.n + v
    return unique_sorted(keys[u != v])
