"""Stable many-to-one matching (hospital/residents) and blocking-pair counting.

Preferences are given per edge: `left_pos` is the edge's position in the left node's list
(0 = first choice) and `right_rank` its position in the right node's list. Only listed pairs
are acceptable, so the lists may be short (the candidate edges).

A mentor may also take at most `group_cap` mentees of one group (department): the mentor then
chooses among proposals by rank, skipping a mentee whose group is already at the cap. That choice
is substitutable, so deferred acceptance still ends in the mentee-optimal stable matching.

Blocking pairs are counted on preference keys (lower is better, equal keys are a tie): a pair blocks
only if both sides STRICTLY prefer each other to what they hold, so ties never count.
"""

from __future__ import annotations

import heapq

import numpy as np
import scipy.sparse as sp

from mentora.matching.eligibility import eligible, skill_thresholds
from mentora.matching.instance import MAX_LEVEL, Program
from mentora.matching.population import Population, lookup_pairs
from mentora.matching.scoring import FULL_GAP, SCORE_SCALE, score_edges, weight_vector

# pairs of (mentee, mentor) whose eligibility and score are checked at once when counting blocking
# pairs over every eligible pair: bounds the memory, not the result
_BLOCKING_CHUNK_PAIRS = 500_000
# Mentees x mentors above which blocking pairs are counted over the candidate edges only.
ALL_PAIRS_LIMIT = 50_000_000
_DENSE_OFFERS_CELLS = 8_000_000


def deferred_acceptance(
    left: np.ndarray,
    right: np.ndarray,
    left_pos: np.ndarray,
    right_rank: np.ndarray,
    capacity: np.ndarray,
    *,
    left_group: np.ndarray | None = None,
    group_cap: int | None = None,
) -> np.ndarray:
    """Left-proposing deferred acceptance; returns a bool mask of chosen edges (left-optimal stable).

    left_group (per left node) and group_cap: a right node holds at most group_cap left nodes of a group.
    """
    n_edges = len(left)
    chosen = np.zeros(n_edges, dtype=bool)
    if n_edges == 0:
        return chosen
    n_left = int(left.max()) + 1
    starts = np.r_[0, np.cumsum(np.bincount(left, minlength=n_left))]
    # each left node's list as one run, best first: the positions place every edge directly when they
    # number each list 0, 1, ... (as the rankings do), else a sort does it
    slot = starts[left] + left_pos
    if (left_pos >= 0).all() and (slot < starts[left + 1]).all() and (np.bincount(slot) == 1).all():
        order = np.empty(n_edges, dtype=np.int64)
        order[slot] = np.arange(n_edges)
    else:
        order = np.lexsort((left_pos, left))
    start = starts.tolist()
    nxt = start[:-1]
    end = start[1:]
    cap = capacity.tolist()
    free = [i for i in range(n_left - 1, -1, -1) if start[i] < end[i]]
    if group_cap is not None and left_group is not None:
        held_lists = _propose_with_group_cap(
            free,
            nxt,
            end,
            order.tolist(),
            right.tolist(),
            right_rank.tolist(),
            left.tolist(),
            cap,
            left_group.tolist(),
            group_cap,
        )
        for held_edges in held_lists:
            chosen[held_edges] = True
        return chosen
    # Proposals are read in list order (position p in `order`). A full mentor only ever trades up, so
    # the rank a proposal must beat (`cut`) only falls: a proposal that cannot beat it is refused on
    # the spot and the mentee goes on down its list without leaving the loop.
    mentor = right[order].tolist()
    rank = right_rank[order].tolist()
    proposer = left[order]  # read only when a mentee is displaced, so not made a list
    unlimited = n_edges + int(right_rank.max()) + 1
    cut = [unlimited if c > 0 else -1 for c in cap]
    held: list[list[tuple[int, int]]] = [[] for _ in range(len(cap))]  # max-heap by rank: (-rank, p)
    while free:
        i = free.pop()
        p, stop = nxt[i], end[i]
        while p < stop:
            r, h = rank[p], mentor[p]
            p += 1
            if r < cut[h]:
                heap = held[h]
                if len(heap) < cap[h]:
                    heapq.heappush(heap, (-r, p - 1))
                    if len(heap) == cap[h]:
                        cut[h] = -heap[0][0]
                else:
                    _, worst = heapq.heapreplace(heap, (-r, p - 1))
                    cut[h] = -heap[0][0]
                    free.append(int(proposer[worst]))
                break
        nxt[i] = p
    kept = [p for heap in held for _, p in heap]
    chosen[order[np.array(kept, dtype=np.int64)]] = True
    return chosen


def _propose_with_group_cap(
    free: list[int],
    nxt: list[int],
    end: list[int],
    edge_list: list[int],
    right_l: list[int],
    rank_l: list[int],
    left_l: list[int],
    cap: list[int],
    group_of_left: list[int],
    group_cap: int,
) -> list[list[int]]:
    """Deferred acceptance where a right node keeps, by rank, at most group_cap per group."""
    held: list[list[int]] = [[] for _ in range(len(cap))]  # edges, kept sorted by rank
    while free:
        i = free.pop()
        if nxt[i] >= end[i]:
            continue
        e = edge_list[nxt[i]]
        nxt[i] += 1
        h = right_l[e]
        group = group_of_left[i]
        mine = held[h]
        same = [x for x in mine if group_of_left[left_l[x]] == group]
        if len(same) >= group_cap:
            rival = max(same, key=lambda x: rank_l[x])  # the group's worst held
        elif len(mine) >= cap[h]:
            rival = max(mine, key=lambda x: rank_l[x]) if mine else None
        else:
            mine.append(e)
            continue
        if rival is not None and rank_l[rival] > rank_l[e]:
            mine.remove(rival)
            mine.append(e)
            free.append(left_l[rival])
        else:
            free.append(i)
    return held


def preference_keys(
    pop: Population, u: np.ndarray, v: np.ndarray, units: np.ndarray, *, stated_first: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(the mentee u's key for mentor v, the mentor's key for the mentee) per pair; lower is better.

    A key is the integer score from the top (SCORE_SCALE - units), after the stated rank when
    stated rankings come first (unranked partners after every ranked one); equal keys are a tie.
    """
    from_top = SCORE_SCALE - units.astype(np.int64)
    if not stated_first:
        return from_top, from_top.copy()
    n = pop.n
    unranked = n + 1
    keys = []
    for chooser, chosen in ((u, v), (v, u)):
        pos, found = lookup_pairs(pop.pref_keys, chooser.astype(np.int64) * n + chosen)
        rank = np.where(found, pop.pref_rank[pos] if len(pop.pref_rank) else 0, unranked)
        keys.append(rank * (SCORE_SCALE + 1) + from_top)
    return keys[0], keys[1]


class Holdings:
    """What each side of a matching holds, for asking whether a pair would rather be together."""

    def __init__(
        self,
        left: np.ndarray,
        right: np.ndarray,
        left_key: np.ndarray,
        right_key: np.ndarray,
        capacity: np.ndarray,
        chosen: np.ndarray,
        *,
        n_left: int,
        left_group: np.ndarray | None = None,
        group_cap: int | None = None,
    ) -> None:
        self.current = np.full(n_left, np.iinfo(np.int64).max)  # unmatched: anyone acceptable is better
        self.current[left[chosen]] = left_key[chosen]
        self.capacity = capacity
        self.fill = np.bincount(right[chosen], minlength=len(capacity))
        self.worst = np.full(len(capacity), np.iinfo(np.int64).min)
        np.maximum.at(self.worst, right[chosen], right_key[chosen])
        self.left_group, self.group_cap = left_group, group_cap
        if group_cap is not None and left_group is not None:
            self.n_groups = int(left_group.max()) + 1 if len(left_group) else 1
            cell = right[chosen].astype(np.int64) * self.n_groups + left_group[left[chosen]]
            self.group_fill = dict(zip(*np.unique(cell, return_counts=True), strict=True))
            order = np.argsort(right_key[chosen], kind="stable")
            self.group_worst = dict(zip(cell[order].tolist(), right_key[chosen][order].tolist(), strict=True))

    def mentee_needs(self, left: np.ndarray) -> np.ndarray:
        """For rankings by score alone: an integer score a pair must exceed for the mentee (-1: any)."""
        unmatched = self.current[left] == np.iinfo(np.int64).max
        return np.where(unmatched, -1, SCORE_SCALE - self.current[left])

    def mentor_needs(self) -> np.ndarray:
        """For rankings by score alone: the integer score each mentor's pair must exceed (-1: any)."""
        full = self.fill >= self.capacity
        return np.where(full, SCORE_SCALE - np.maximum(self.worst, 0), -1)

    def blocking(
        self, left: np.ndarray, right: np.ndarray, left_key: np.ndarray, right_key: np.ndarray
    ) -> np.ndarray:
        """Which of these (not chosen) pairs both strictly prefer to what they hold."""
        left_wants = left_key < self.current[left]
        right_wants = (self.fill[right] < self.capacity[right]) | (right_key < self.worst[right])
        if self.group_cap is not None and self.left_group is not None:
            cell = (right.astype(np.int64) * self.n_groups + self.left_group[left]).tolist()
            full = np.array([self.group_fill.get(c, 0) >= self.group_cap for c in cell], dtype=bool)
            worst = np.array([self.group_worst.get(c, 0) for c in cell], dtype=np.int64)
            # the group at its cap: the mentor would swap only the group's worst for this mentee
            right_wants = np.where(full, right_key < worst, right_wants)
        return left_wants & right_wants


def blocking_pairs_all_eligible(
    pop: Population,
    program: Program,
    left: np.ndarray,
    right: np.ndarray,
    holdings: Holdings,
) -> int:
    """Blocking pairs among every eligible (mentee, mentor) pair, in the preference lists or not.

    left, right: population indices of the mentees and mentors; holdings over their local indices.
    A chosen pair never counts (neither side strictly prefers what it already holds).
    """
    count = 0
    rows = max(1, _BLOCKING_CHUNK_PAIRS // max(len(right), 1))
    stated_first = program.ranking_source == "preferences"
    ceiling = None if stated_first else _ScoreCeiling(pop, program, right)
    mentor_needs = holdings.mentor_needs() if ceiling else None
    for first in range(0, len(left), rows):
        block = np.arange(first, min(first + rows, len(left)))
        if ceiling is not None and mentor_needs is not None:
            # most pairs cannot beat what both sides hold even with a perfect purpose, practical and
            # preference score: drop them, mentees x mentors at once, before the rules and exact score
            needs = np.maximum(holdings.mentee_needs(block)[:, None], mentor_needs[None, :])
            r, ri = np.nonzero(ceiling.units(left[block]) > needs)
            li = block[r]
        else:
            li = np.repeat(block, len(right))
            ri = np.tile(np.arange(len(right)), len(block))
        u, v = left[li], right[ri]
        ok = eligible(pop, program, u, v)
        u, v, li, ri = u[ok], v[ok], li[ok], ri[ok]
        edges = score_edges(pop, program, u, v)
        left_key, right_key = preference_keys(pop, u, v, edges.units, stated_first=stated_first)
        count += int(holdings.blocking(li, ri, left_key, right_key).sum())
    return count


class _ScoreCeiling:
    """An integer score no pair of (given mentees) x (these mentors) can exceed, for blocks of mentees:
    exact goal fit and diversity, the other components at their most (preference only where someone
    stated one), plus two units for rounding.

    Goal fit comes from one sparse product: a mentee's row holds, for each wanted skill s and each level
    a mentor may offer in it, that level's share of the fit; a mentor's column marks the (skill, level)
    entries they offer.
    """

    def __init__(self, pop: Population, program: Program, right: np.ndarray) -> None:
        self.pop, self.program, self.right = pop, program, right
        self.weights = weight_vector(program)
        self.n_skills = max(len(pop.skills), 1)
        offered = pop.offered[right].tocoo()
        offers = sp.csr_matrix(
            (
                np.ones(len(offered.data)),
                ((offered.data.astype(np.int64) - 1) * self.n_skills + offered.col, offered.row),
            ),
            shape=(MAX_LEVEL * self.n_skills, len(right)),
        )
        # sparse x dense is the fast product; (skill, level) entries x mentors is usually small
        small = MAX_LEVEL * self.n_skills * len(right) <= _DENSE_OFFERS_CELLS
        self.offers = offers.toarray() if small else offers
        self.stated = np.zeros(pop.n, dtype=bool)
        self.stated[pop.pref_keys // max(pop.n, 1)] = True

    def _goal_fit(self, mentees: np.ndarray) -> np.ndarray:
        pop = self.pop
        skill = pop.want_skill[mentees].astype(np.int64)
        wanted = skill >= 0
        weight = np.where(wanted, pop.want_weight[mentees], 0.0)
        den = weight.sum(axis=1)
        share = weight / np.where(den > 0, den, 1.0)[:, None]
        own = pop.want_self[mentees].astype(np.float64)
        threshold = skill_thresholds(pop, self.program)[mentees]
        levels = np.arange(1, MAX_LEVEL + 1)[:, None, None]
        fit = np.clip(np.minimum((levels - own) / FULL_GAP, 1.0), 0.0, 1.0)
        fit = np.where(levels >= threshold, fit, 0.0)
        value = fit * share  # (level, mentee, slot)
        level_of, row, slot = np.nonzero((value > 0) & wanted)
        shares = sp.csr_matrix(
            (value[level_of, row, slot], (row, level_of * self.n_skills + skill[row, slot])),
            shape=(len(mentees), MAX_LEVEL * self.n_skills),
        )
        out = shares @ self.offers
        out = out.toarray() if sp.issparse(out) else np.asarray(out)
        out[den <= 0] = 0.5
        return out

    def units(self, mentees: np.ndarray) -> np.ndarray:
        """(mentees, mentors) integer ceilings."""
        pop, w, v = self.pop, self.weights, self.right
        # every component but goal fit from a table, by the number of differing attributes (department,
        # job family, location: diversity) plus 4 when either side stated a ranking (preference)
        code = (pop.department[mentees][:, None] != pop.department[v][None, :]).view(np.int8)
        code = code + (pop.job_family[mentees][:, None] != pop.job_family[v][None, :])
        code += pop.location[mentees][:, None] != pop.location[v][None, :]
        code[self.stated[mentees]] |= 4
        code[:, self.stated[v]] |= 4
        differ, stated = np.arange(8) % 4 / 3.0, np.arange(8) >= 4
        dial = self.program.diversity_dial
        rest = w[2] * (dial * differ + (1.0 - dial) * (1.0 - differ)) + w[1] + w[3] + w[4] * stated
        most = w[0] * self._goal_fit(mentees)
        most += rest[code]
        return np.ceil(most * SCORE_SCALE).astype(np.int64) + 2


def blocking_report(
    pop: Population,
    program: Program,
    left: np.ndarray,
    right: np.ndarray,
    li: np.ndarray,
    ri: np.ndarray,
    left_key: np.ndarray,
    right_key: np.ndarray,
    capacity: np.ndarray,
    chosen: np.ndarray,
    *,
    left_group: np.ndarray | None = None,
    group_cap: int | None = None,
) -> tuple[int, str]:
    """(blocking pairs, what they were counted over). The stable mode counts over every eligible pair
    up to ALL_PAIRS_LIMIT mentees x mentors (its promise is stability, so a mentor missing from a
    mentee's pruned list must not hide a blocking pair); the optimal mode over its candidate edges."""
    holdings = Holdings(
        li,
        ri,
        left_key,
        right_key,
        capacity,
        chosen,
        n_left=len(left),
        left_group=left_group,
        group_cap=group_cap,
    )
    if program.mode == "stable" and len(left) * len(right) <= ALL_PAIRS_LIMIT:
        return blocking_pairs_all_eligible(pop, program, left, right, holdings), "all_eligible_pairs"
    rest = ~chosen
    return int(
        holdings.blocking(li[rest], ri[rest], left_key[rest], right_key[rest]).sum()
    ), "candidate_edges"


def stable_floor_not_applied(method: str) -> dict[str, object]:
    """A fairness floor re-weights scores; the stable mode does not apply one, and says so as data: the
    re-weighted matching would be stable under other rankings than the program's, so pairs would
    exist that both people prefer to what they got (reason code `stable_mode_keeps_rankings`)."""
    return {"method": method, "applied": False, "reason": "stable_mode_keeps_rankings"}
