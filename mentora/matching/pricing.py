"""Pricing every eligible pair against the assignment's LP duals: the certificate of a global optimum.

An eligible pair (u, v) that is not a candidate edge can improve the optimal flow on the candidates only
if its integer-scaled score beats the duals it must pay: score(u, v) > dual(u) + dual(v) (+ the dual of
v's cap on u's department). `Pricer.price` finds every such pair without a people x people matrix
and without a Python loop over pairs:

1. Bound by skill blocks: for every wanted skill, its requests (mentee, wanted slot) against the mentors
   offering it form one integer block, bounded a few thousand rows at a time: the goal fit exactly
   from the mentor's levels in each wanted skill (a pair belongs to the first wanted skill its mentor
   clears the gap in, and is dropped from the later ones, so it is read once), practical fit with the
   time-zone and language rules and diversity exactly from tables over classes of people who share
   the attributes they read, the goals' similarity at its maximum 1. Only the cells whose bound
   reaches their price less the margin are kept. Mentees who want nothing (or a program without the
   skill rule) are read against every mentor under their ceiling, by dual.
2. On the survivors, drop the pairs already in the graph, apply every hard rule (eligibility.py),
   score them exactly and keep those with a positive reduced cost.

No pair is skipped except by a bound that is valid for it, so "no positive reduced cost" is a proof
that the assignment is optimal over all eligible pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
    ENOUGH_HOURS_PER_WEEK,
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
CLASS_TABLE_CELLS = 8_000_000  # (mentee class x mentor class) entries of a tabulated score term at most
NEVER = -(1 << 58)  # a bound no price can be below: the pair breaks a hard rule
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


class _PairTerm:
    """One score term of every (mentee, mentor) pair, as a mentees x mentors block at a time.

    The term depends on a few attributes of each side only (`columns`), so people with the same values
    form a class and the term is tabulated once per (mentee class, mentor class); past
    CLASS_TABLE_CELLS classes pairs it is computed pair by pair instead.
    """

    def __init__(
        self,
        pop: Population,
        left: np.ndarray,
        right: np.ndarray,
        columns: list[np.ndarray],
        value: Callable[[np.ndarray, np.ndarray], np.ndarray],
    ) -> None:
        self.value = value
        self.table: np.ndarray | None = None
        codes, reps = [], []
        for side in (left, right):
            keys = np.stack([c[side] for c in columns], axis=1)
            _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
            code = np.zeros(pop.n, dtype=np.int64)
            code[side] = inverse.reshape(-1)
            codes.append(code)
            reps.append(side[first])
        self.code_left, self.code_right = codes
        a, b = reps
        if len(a) * len(b) <= CLASS_TABLE_CELLS:
            self.table = value(np.repeat(a, len(b)), np.tile(b, len(a))).reshape(len(a), len(b))

    def block(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """The term of every (u[i], v[j]), shape (len(u), len(v))."""
        if self.table is not None:
            return self.table[self.code_left[u][:, None], self.code_right[v][None, :]]
        return self.value(np.repeat(u, len(v)), np.tile(v, len(u))).reshape(len(u), len(v))


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
        self._offers_by_skill()
        w = weight_vector(program)
        code, _ = pop.work_profile
        hours = np.unique(np.minimum(pop.hours, ENOUGH_HOURS_PER_WEEK), return_inverse=True)[1].reshape(-1)
        bits = pop.language_bits.view(np.int64)
        # exact practical score of a pair, or NEVER where the time-zone or language rule fails
        self.practical = _PairTerm(
            pop,
            left,
            right,
            [code, pop.first_language, pop.meeting_mode, pop.location, hours]
            + [bits[:, k] for k in range(bits.shape[1])],
            lambda u, v: np.where(
                eligible(pop, program, u, v, only=("language", "timezone")),
                np.ceil(w[3] * practical(pop, u, v) * SCORE_SCALE).astype(np.int64),
                NEVER,
            ),
        )
        self.diversity = _PairTerm(
            pop,
            left,
            right,
            [pop.department, pop.job_family, pop.location],
            lambda u, v: np.ceil(w[2] * diversity(pop, program, u, v) * SCORE_SCALE).astype(np.int64),
        )
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
        found = [pool, self._score(self.pref_keys, existing_keys, enumerated=False)]
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

    def _score(self, keys: np.ndarray, existing_keys: np.ndarray, *, enumerated: bool) -> Edges:
        """The eligible pairs among keys (each once) outside the graph, scored; enumerated pairs leave
        out the stated preferences (those are priced on their own)."""
        n = self.pop.n
        if enumerated:
            keys = keys[~lookup_pairs(self.pref_keys, keys)[1]]
        keys = keys[~lookup_pairs(existing_keys, keys)[1]]
        u, v = keys // n, keys % n
        ok = eligible(self.pop, self.program, u, v)
        return score_edges(self.pop, self.program, u[ok], v[ok])

    def _offers_by_skill(self) -> None:
        """The mentors' offered (skill, level) entries sorted by (skill, level), and where each skill's run
        starts."""
        sub = self.pop.offered[self.right].tocoo()
        order = np.lexsort((sub.data, sub.col))
        self.offer_person = self.right[sub.row[order]]
        self.offer_level = sub.data[order].astype(np.int64)
        self.offer_start = np.searchsorted(sub.col[order], np.arange(len(self.pop.skills) + 1))
        # every offered entry's mentor: its level in each skill (a last row of zeros for "no skill")
        levels = np.zeros((len(self.pop.skills) + 1, len(order)), dtype=np.int64)
        offered = self.pop.offered[self.offer_person].tocoo()
        levels[offered.col, offered.row] = offered.data
        self.offer_levels_t = levels

    def _enumerate(
        self,
        mentees: np.ndarray,
        existing_keys: np.ndarray,
        price_of: Callable[[np.ndarray, np.ndarray], np.ndarray],
        left_dual: np.ndarray,
        result: PricingPass,
    ) -> Edges:
        """Scored eligible pairs of the given mentees (positions in left) that come within the margin
        of their price: per wanted skill, a block of (its requests x the mentors offering it) is bounded
        at once, and only the pairs whose bound reaches their price are looked at one by one."""
        pop, program, n, left = self.pop, self.program, self.pop.n, self.left
        if len(mentees) == 0:
            return _no_edges()
        right_dual = np.zeros(n, dtype=np.int64)
        right_dual[self.right] = self.right_history[-1]
        bonus, margin = self.bonus, self.margin
        weights = weight_vector(program)

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

        out: list[Edges] = []
        pending: list[np.ndarray] = []
        held = 0

        def flush() -> None:
            nonlocal held
            if pending:
                out.append(self._score(np.concatenate(pending), existing_keys, enumerated=True))
            pending.clear()
            held = 0

        if program.constraint("skill_match"):
            wants = pop.n_wanted[left[mentees]] > 0
            seekers, others = mentees[wants], mentees[~wants]
        else:
            seekers, others = mentees[:0], mentees
        for keys in self._skill_blocks(seekers, left_dual, right_dual, result):
            pending.append(keys)
            held += len(keys)
            if held >= BLOCK_PAIRS:
                flush()
        if len(others):
            # mentees the skill rule does not narrow: every mentor with a dual under their ceiling
            ceiling = int(np.ceil(score_upper_bound(program) * SCORE_SCALE)) + SLACK + bonus + margin
            by_dual = np.argsort(right_dual[self.right], kind="stable")
            mentors, mentor_dual = self.right[by_dual], right_dual[self.right][by_dual]
            count = np.searchsorted(mentor_dual, ceiling - left_dual[others])
            ends = np.cumsum(count)
            cuts = np.searchsorted(ends, np.arange(BLOCK_PAIRS, ends[-1], BLOCK_PAIRS))
            cuts = np.unique(np.r_[0, cuts, len(others)])
            for a, b in zip(cuts[:-1], cuts[1:], strict=True):
                owner, pos = _ranges(np.zeros(b - a, dtype=np.int64), count[a:b], others[a:b])
                result.enumerated += len(pos)
                keys = left[owner] * n + mentors[pos]
                keys = keys[eligible(pop, program, keys // n, keys % n, only=CHEAP_RULES)]
                pending.append(keys[within_margin(keys)])
                flush()
        flush()
        return concat_edges(out)

    def _skill_blocks(
        self, seekers: np.ndarray, left_dual: np.ndarray, right_dual: np.ndarray, result: PricingPass
    ) -> Iterator[np.ndarray]:
        """Keys of the pairs (seeker, mentor offering one of its wanted skills at its level) whose score
        bound reaches their price less the margin, skill by skill in blocks of about BLOCK_PAIRS pairs.

        A pair is read from the first wanted skill its mentor clears the gap in (from a later one it is
        dropped), so each pair comes once. Its bound is exact but for the goals' similarity (taken at
        its maximum 1): goal fit from the mentor's level in each wanted skill, practical fit (with the
        time-zone and language rules) and diversity from the class tables.
        """
        pop, program, left = self.pop, self.program, self.left
        if len(seekers) == 0:
            return
        people = left[seekers]
        slots = pop.want_skill.shape[1]
        skill = pop.want_skill[people].astype(np.int64)
        has = skill >= 0
        w = weight_vector(program)
        # per (mentee, slot, mentor level): that slot's share of the goal fit, in score units
        levels = np.arange(MAX_LEVEL + 1)
        thr = skill_thresholds(pop, program)[people].astype(np.int64)
        clears = levels[None, None, :] >= thr[:, :, None]
        fit = np.clip((levels[None, None, :] - pop.want_self[people][:, :, None]) / FULL_GAP, 0.0, 1.0)
        shares = pop.want_weight[people] / pop.want_weight[people].sum(axis=1, keepdims=True)
        part = np.ceil(w[0] * shares[:, :, None] * np.where(clears, fit, 0.0) * SCORE_SCALE).astype(np.int64)
        # requests: one per (mentee, wanted slot j); the other slots in order, earlier ones marking a pair
        # as read elsewhere
        who, slot = np.nonzero(has)
        base = part[who, slot] + int(np.ceil(w[1] * SCORE_SCALE)) + SLACK + self.bonus + self.margin
        base -= left_dual[seekers[who]][:, None]
        base[~clears[who, slot]] = NEVER
        other_skill = np.full((len(who), max(slots - 1, 0)), len(pop.skills), dtype=np.int64)
        other_part = np.zeros((len(who), max(slots - 1, 0), MAX_LEVEL + 1), dtype=np.int64)
        for t in range(slots - 1):
            k = np.where(t < slot, t, t + 1)
            present = has[who, k]
            other_skill[present, t] = skill[who[present], k[present]]
            other_part[:, t] = np.where(
                (k < slot)[:, None] & clears[who, k], NEVER, np.where(present[:, None], part[who, k], 0)
            )
        request_skill = skill[who, slot]
        request_thr = thr[who, slot]
        by_skill = np.argsort(request_skill, kind="stable")
        bounds = np.searchsorted(request_skill[by_skill], np.arange(len(pop.skills) + 1))
        for s in range(len(pop.skills)):
            requests = by_skill[bounds[s] : bounds[s + 1]]
            lo, hi = self.offer_start[s], self.offer_start[s + 1]
            if len(requests) == 0 or lo == hi:
                continue
            mentors, level = self.offer_person[lo:hi], self.offer_level[lo:hi]
            # pairs in the skill range: the mentors at or above each request's level
            result.enumerated += int(
                (hi - lo) * len(requests) - np.searchsorted(level, request_thr[requests]).sum()
            )
            mentor_part = -right_dual[mentors]
            levels_here = self.offer_levels_t[:, lo:hi]  # [skill, mentor]: the mentors' level in each skill
            step = max(1, BLOCK_PAIRS // (hi - lo))
            for a in range(0, len(requests), step):
                rows = requests[a : a + step]
                u = people[who[rows]]
                bound = base[rows][:, level] + mentor_part[None, :]
                bound += self.practical.block(u, mentors)
                bound += self.diversity.block(u, mentors)
                for t in range(slots - 1):
                    bound += np.take_along_axis(
                        other_part[rows, t], levels_here[other_skill[rows, t]], axis=1
                    )
                i, j = np.nonzero(bound > 0)
                if len(i):
                    yield u[i] * pop.n + mentors[j]


def concat_edges(parts: list[Edges]) -> Edges:
    """The edges of all parts, in order."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return _no_edges()
    return Edges(*(np.concatenate([getattr(e, f) for e in parts]) for f in ("u", "v", "components", "score")))


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
