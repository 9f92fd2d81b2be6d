"""Who may be paired with whom: hard constraints, and cheap candidate generation before scoring.

Candidate generation never builds a dense people x people matrix. For every (mentee, wanted skill)
it indexes the mentors offering that skill at a level at least the mentee's own level plus the
program's gap, and takes a seeded random window of them (all of them when the program asks for an
exhaustive search, `candidate_limit=None`). Stated preferences are always candidates. Only then are
the hard constraints checked, all vectorised over the edge arrays.
"""

from __future__ import annotations

import numpy as np

from mentora.matching.instance import MAX_LEVEL, Program
from mentora.matching.population import Population, lookup_pairs, overlap_hours

PRESAMPLE_FACTOR = 4


def kind_for(program: Program) -> str:
    return {"one_to_one": "mentoring", "reverse": "reverse"}.get(program.format, "peer")


def sides(pop: Population, program: Program) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) person indices: mentees and mentors with capacity, or the peers on both sides."""
    if program.format in ("one_to_one", "reverse"):
        left = np.array([i for i, r in enumerate(pop.roles) if "mentee" in r], dtype=np.int64)
        right = np.array([i for i, r in enumerate(pop.roles) if "mentor" in r], dtype=np.int64)
        return left, right[pop.capacity[right] > 0]
    if program.format == "peer":
        peers = np.array([i for i, r in enumerate(pop.roles) if "peer" in r], dtype=np.int64)
        return peers, peers
    everyone = np.arange(pop.n, dtype=np.int64)
    return everyone, everyone


def skill_thresholds(pop: Population, program: Program) -> np.ndarray:
    """Minimum mentor level per (person, wanted slot): own level + gap, at least 1."""
    return np.clip(pop.want_self.astype(np.int16) + program.min_level_gap, 1, MAX_LEVEL + 1)


class SkillIndex:
    """Mentors of the right side sorted by (skill, level desc, seeded random) for window sampling."""

    def __init__(self, pop: Population, right: np.ndarray, seed: int) -> None:
        sub = pop.offered[right].tocoo()
        rng = np.random.default_rng(seed)
        level = sub.data.astype(np.int64)
        order = np.lexsort((rng.random(len(level)), -level, sub.col))
        self.skill = sub.col[order].astype(np.int64)
        self.level = level[order]
        self.person = right[sub.row[order]]
        self.key = self.skill * (MAX_LEVEL + 1) + (MAX_LEVEL - self.level)
        self.start = np.searchsorted(self.skill, np.arange(len(pop.skills) + 1))

    def count_at_least(self, skill: np.ndarray, threshold: np.ndarray) -> np.ndarray:
        """How many mentors offer skill[i] at level >= threshold[i]."""
        thr = np.minimum(threshold, MAX_LEVEL + 1)
        end = np.searchsorted(self.key, skill * (MAX_LEVEL + 1) + (MAX_LEVEL - thr), side="right")
        return np.where(thr > MAX_LEVEL, 0, end - self.start[skill])


def _windows(
    counts: np.ndarray, quota: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """For request r pick min(count, quota) consecutive slots from a random start, wrapping around."""
    k = np.minimum(counts, quota).astype(np.int64)
    start = np.floor(rng.random(len(counts)) * np.maximum(counts, 1)).astype(np.int64)
    req = np.repeat(np.arange(len(counts)), k)
    off = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)
    return req, (start[req] + off) % np.maximum(counts[req], 1)


def candidate_pairs(
    pop: Population,
    program: Program,
    left: np.ndarray,
    right: np.ndarray,
    *,
    limit: int | None,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Unique (left, right) person-index pairs worth scoring, u != v. limit=None means every pair."""
    rng = np.random.default_rng(seed)
    n = pop.n
    budget = None if limit is None else limit * PRESAMPLE_FACTOR
    us: list[np.ndarray] = []
    vs: list[np.ndarray] = []
    use_skills = program.constraint("skill_match")
    if limit is None and (not use_skills or program.format in ("peer", "circles")):
        # exhaustive and not narrowed by skills: every pair
        us.append(np.repeat(left, len(right)))
        vs.append(np.tile(right, len(left)))
    else:
        wanted = pop.n_wanted[left] > 0
        seekers = left[wanted]
        narrowed = use_skills and program.format != "circles"
        random_pool = left[~wanted] if narrowed else left
        if len(seekers):
            index = SkillIndex(pop, right, seed)
            slots = pop.want_skill[seekers]
            thr = skill_thresholds(pop, program)[seekers]
            has = slots >= 0
            who = np.repeat(seekers, has.sum(axis=1))
            skill = slots[has].astype(np.int64)
            counts = index.count_at_least(skill, thr[has])
            quota = counts if budget is None else -(-budget // pop.n_wanted[who])
            req, off = _windows(counts, quota, rng)
            us.append(who[req])
            vs.append(index.person[index.start[skill[req]] + off])
        if len(random_pool) and len(right):
            quota = np.full(len(random_pool), len(right) if budget is None else budget)
            perm = rng.permutation(right)
            req, off = _windows(np.full(len(random_pool), len(right)), quota, rng)
            us.append(random_pool[req])
            vs.append(perm[off])
    # stated preferences, in both directions, are always considered
    if len(pop.pref_keys):
        pref_u, pref_v = preference_pairs(pop, left, right)
        us.append(pref_u)
        vs.append(pref_v)
    if not us:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    u = np.concatenate(us).astype(np.int64)
    v = np.concatenate(vs).astype(np.int64)
    if program.format in ("peer", "circles"):
        u, v = np.minimum(u, v), np.maximum(u, v)
    keys = unique_sorted(u * n + v)
    u, v = keys // n, keys % n
    keep = u != v
    return u[keep], v[keep]


def preference_pairs(pop: Population, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (left, right) pairs where either side ranked the other, whichever side did the ranking."""
    n = pop.n
    chooser, chosen = pop.pref_keys // n, pop.pref_keys % n
    is_left, is_right = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    is_left[left] = True
    is_right[right] = True
    forward = is_left[chooser] & is_right[chosen]
    backward = is_right[chooser] & is_left[chosen]
    return (
        np.concatenate([chooser[forward], chosen[backward]]),
        np.concatenate([chosen[forward], chooser[backward]]),
    )


def unique_sorted(keys: np.ndarray) -> np.ndarray:
    """np.unique for int64 keys by plain sorting (much faster than the hash path on large arrays)."""
    keys = np.sort(keys)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


def skill_fit_exists(
    pop: Population, program: Program, learner: np.ndarray, teacher: np.ndarray
) -> np.ndarray:
    """The learner wants nothing, or the teacher is at least the gap above them in one wanted skill."""
    thr = skill_thresholds(pop, program)
    ok = pop.n_wanted[learner] == 0
    for j in range(pop.want_skill.shape[1]):
        s = pop.want_skill[learner, j]
        ok |= (s >= 0) & (pop.level(teacher, s) >= thr[learner, j])
    return ok


def constraint_masks(
    pop: Population, program: Program, u: np.ndarray, v: np.ndarray
) -> dict[str, np.ndarray]:
    """Per hard constraint, True where the pair satisfies it. u is the mentee (or a peer), v the mentor."""
    kind = kind_for(program)
    n = pop.n
    masks: dict[str, np.ndarray] = {"distinct": u != v}
    if kind in ("mentoring", "reverse"):
        masks["capacity"] = pop.capacity[v] > 0
    if program.constraint("seniority"):
        diff = pop.seniority[v].astype(np.int64) - pop.seniority[u]
        if kind == "mentoring":
            masks["seniority"] = diff >= program.min_seniority_gap
        elif kind == "reverse":
            masks["seniority"] = -diff >= program.min_seniority_gap
        elif program.format == "peer":
            masks["seniority"] = np.abs(diff) <= program.peer_max_seniority_gap
    if program.constraint("timezone") and program.format != "circles":
        masks["timezone"] = overlap_hours(pop, u, v) >= program.min_tz_overlap_hours - 1e-9
    if program.constraint("language"):
        masks["language"] = (pop.language_bits[u] & pop.language_bits[v]).any(axis=1)
    if program.constraint("reporting_line"):
        masks["reporting_line"] = ~pop.same_reporting_line(u, v)
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    if program.constraint("blocks"):
        masks["blocks"] = ~lookup_pairs(pop.pair_keys_blocked, lo * n + hi)[1]
    if program.constraint("previous_partners"):
        masks["previous_partners"] = ~lookup_pairs(pop.pair_keys_previous, lo * n + hi)[1]
    if program.constraint("skill_match") and program.format != "circles":
        if kind == "peer":
            masks["skill_match"] = skill_fit_exists(pop, program, u, v) | skill_fit_exists(pop, program, v, u)
        else:
            masks["skill_match"] = skill_fit_exists(pop, program, u, v)
    return masks


def eligible(pop: Population, program: Program, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    ok = np.ones(len(u), dtype=bool)
    for mask in constraint_masks(pop, program, u, v).values():
        ok &= mask
    return ok
