"""Who may be paired with whom: hard constraints, and candidate generation among eligible pairs only.

Candidate generation never builds a dense people x people matrix. For every (mentee, wanted skill)
it indexes the mentors offering that skill at a level at least the mentee's own level plus the
program's gap, and walks that index range from a seeded random start, a window at a time, applying
every hard constraint (vectorised over the window's pairs) before anything is kept: a request stops
once it holds its quota of ELIGIBLE mentors or has seen its whole range. So a mentee's candidate list
is empty only if no mentor in its skill ranges is eligible, however rare the eligible ones are (a
minority language, a far time zone). `candidate_limit=None` takes every pair (exhaustive). Stated
preferences are always candidates.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mentora.matching.instance import MAX_LEVEL, Program
from mentora.matching.population import Population, lookup_pairs, overlap_hours

PRESAMPLE_FACTOR = 2  # eligible candidates found per mentee: this x candidate_limit (2 keeps the cost of the
# former 4 x limit sampled pairs, of which about 43 % were eligible at 20,000 x 5,000)


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


def _eligible_windows(
    counts: np.ndarray,
    quota: np.ndarray,
    rng: np.random.Generator,
    pair_of: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    keep: Callable[[np.ndarray, np.ndarray], np.ndarray] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """For request r walk its range of counts[r] slots from a seeded random start (wrapping around)
    until it holds quota[r] pairs that `keep` accepts or has seen every slot; return the kept pairs.

    pair_of(request, slot) gives the pairs (u, v); keep(u, v) is the hard rules (None keeps all, and
    the first window is the answer). Windows grow geometrically, so a request with few eligible slots
    costs about as many rounds as the logarithm of its range.
    """
    counts = counts.astype(np.int64)
    start = np.floor(rng.random(len(counts)) * np.maximum(counts, 1)).astype(np.int64)
    need = np.minimum(counts, quota).astype(np.int64)
    seen = np.zeros(len(counts), dtype=np.int64)
    grow = np.ones(len(counts), dtype=np.float64)  # slots walked per pair still needed
    us: list[np.ndarray] = []
    vs: list[np.ndarray] = []
    active = np.flatnonzero(need > 0)
    while len(active):
        want = np.ceil(need[active] * grow[active]).astype(np.int64)
        take = np.minimum(counts[active] - seen[active], want)
        req = np.repeat(active, take)
        off = np.arange(take.sum()) - np.repeat(np.cumsum(take) - take, take)
        slot = (start[req] + seen[req] + off) % counts[req]
        u, v = pair_of(req, slot)
        ok = np.flatnonzero(np.ones(len(u), dtype=bool) if keep is None else keep(u, v))
        walked_per_accepted = len(u) / max(len(ok), 1)
        # the first need[r] accepted pairs of each request, in walk order (req is non-decreasing)
        r = req[ok]
        first = np.r_[True, r[1:] != r[:-1]] if len(r) else np.zeros(0, dtype=bool)
        rank = np.arange(len(r)) - np.maximum.accumulate(np.where(first, np.arange(len(r)), 0))
        ok = ok[rank < need[r]]
        us.append(u[ok])
        vs.append(v[ok])
        seen[active] += take
        if keep is None:
            break
        need[active] -= np.bincount(req[ok], minlength=len(counts))[active]
        # the next window: 1.5 x what this one's share of eligible slots says is still missing, and
        # at least 1.5 x longer per missing pair than the last (a request's range is walked in
        # about log(range) windows however few of its slots are eligible)
        grow[active] = 1.5 * np.maximum(grow[active], walked_per_accepted)
        active = active[(need[active] > 0) & (seen[active] < counts[active])]
    if not us:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(us), np.concatenate(vs)


def candidate_pairs(
    pop: Population,
    program: Program,
    left: np.ndarray,
    right: np.ndarray,
    *,
    limit: int | None,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Unique (left, right) person-index pairs worth scoring, u != v, every one eligible (for circles,
    where the grouping enforces its own rules, every pair of the windows). limit=None: every pair,
    eligible or not (the caller checks them)."""
    rng = np.random.default_rng(seed)
    n = pop.n
    budget = None if limit is None else limit * PRESAMPLE_FACTOR
    us: list[np.ndarray] = []
    vs: list[np.ndarray] = []
    use_skills = program.constraint("skill_match")
    keep = None if program.format == "circles" or budget is None else _rules(pop, program)
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
            u, v = _eligible_windows(
                counts,
                quota,
                rng,
                lambda req, slot: (who[req], index.person[index.start[skill[req]] + slot]),
                keep,
            )
            us.append(u)
            vs.append(v)
        if len(random_pool) and len(right):
            quota = np.full(len(random_pool), len(right) if budget is None else budget)
            perm = rng.permutation(right)
            u, v = _eligible_windows(
                np.full(len(random_pool), len(right)),
                quota,
                rng,
                lambda req, slot: (random_pool[req], perm[slot]),
                keep,
            )
            us.append(u)
            vs.append(v)
    # stated preferences, in both directions, are always considered (when eligible, like the rest)
    if len(pop.pref_keys):
        pref_u, pref_v = preference_pairs(pop, left, right)
        ok = slice(None) if keep is None else keep(pref_u, pref_v)
        us.append(pref_u[ok])
        vs.append(pref_v[ok])
    if not us:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    u = np.concatenate(us).astype(np.int64)
    v = np.concatenate(vs).astype(np.int64)
    if program.format in ("peer", "circles"):
        u, v = np.minimum(u, v), np.maximum(u, v)
    keys = unique_sorted(u * n + v)
    u, v = keys // n, keys % n
    keep_pairs = u != v
    return u[keep_pairs], v[keep_pairs]


def _rules(pop: Population, program: Program) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """The hard rules as a predicate on pairs (u, v); for peers on the unordered pair."""
    if program.format == "peer":
        return lambda u, v: eligible(pop, program, np.minimum(u, v), np.maximum(u, v))
    return lambda u, v: eligible(pop, program, u, v)


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
        ok = ok | ((s >= 0) & (pop.level(teacher, s) >= thr[learner, j]))
    return ok


Rule = Callable[[np.ndarray, np.ndarray], np.ndarray]
# the order eligible() applies the rules in: cheap and selective first, each on the survivors only
_CHEAP_FIRST = (
    "distinct",
    "capacity",
    "language",
    "seniority",
    "timezone",
    "reporting_line",
    "blocks",
    "previous_partners",
    "skill_match",
)


def constraint_rules(pop: Population, program: Program) -> dict[str, Rule]:
    """Per hard constraint the program applies, a function (u, v) -> True where the pair satisfies it.
    u is the mentee (or a peer), v the mentor. u and v broadcast (a column of people against a row of
    partners gives a block); a rule that reads one side only may answer in that side's shape."""
    kind = kind_for(program)
    n = pop.n
    rules: dict[str, Rule] = {"distinct": lambda u, v: u != v}
    if kind in ("mentoring", "reverse"):
        rules["capacity"] = lambda u, v: pop.capacity[v] > 0
    if program.constraint("seniority"):

        def seniority(u: np.ndarray, v: np.ndarray) -> np.ndarray:
            diff = pop.seniority[v].astype(np.int64) - pop.seniority[u]
            if kind == "mentoring":
                return diff >= program.min_seniority_gap
            if kind == "reverse":
                return -diff >= program.min_seniority_gap
            return np.abs(diff) <= program.peer_max_seniority_gap

        if kind != "peer" or program.format == "peer":
            rules["seniority"] = seniority
    if program.constraint("timezone") and program.format != "circles":
        rules["timezone"] = lambda u, v: overlap_hours(pop, u, v) >= program.min_tz_overlap_hours - 1e-9
    if program.constraint("language"):
        rules["language"] = lambda u, v: (pop.language_bits[u] & pop.language_bits[v]).any(axis=-1)
    if program.constraint("reporting_line"):
        rules["reporting_line"] = lambda u, v: ~pop.same_reporting_line(u, v)
    if program.constraint("blocks"):
        rules["blocks"] = _not_listed(pop.pair_keys_blocked, n)
    if program.constraint("previous_partners"):
        rules["previous_partners"] = _not_listed(pop.pair_keys_previous, n)
    if program.constraint("skill_match") and program.format != "circles":
        if kind == "peer":
            rules["skill_match"] = lambda u, v: (
                skill_fit_exists(pop, program, u, v) | skill_fit_exists(pop, program, v, u)
            )
        else:
            rules["skill_match"] = lambda u, v: skill_fit_exists(pop, program, u, v)
    return rules


def _not_listed(keys: np.ndarray, n: int) -> Rule:
    """The rule that a pair's key (min * n + max) is not among `keys`. Few people are in any listed
    pair, so only pairs of two such people are looked up."""
    listed = np.zeros(n, dtype=bool)
    listed[keys // n] = True
    listed[keys % n] = True

    def rule(u: np.ndarray, v: np.ndarray) -> np.ndarray:
        u, v = np.broadcast_arrays(u, v)
        maybe = listed[u] & listed[v]
        a, b = u[maybe], v[maybe]
        out = np.ones(u.shape, dtype=bool)
        out[maybe] = ~lookup_pairs(keys, np.minimum(a, b) * n + np.maximum(a, b))[1]
        return out

    return rule


def constraint_masks(
    pop: Population, program: Program, u: np.ndarray, v: np.ndarray
) -> dict[str, np.ndarray]:
    """Per hard constraint, True where the pair satisfies it. u is the mentee (or a peer), v the mentor."""
    return {name: rule(u, v) for name, rule in constraint_rules(pop, program).items()}


# rules that cost a few array reads per pair: pricing applies them before anything is scored
CHEAP_RULES = ("distinct", "capacity", "language", "seniority", "timezone")


def eligible(
    pop: Population, program: Program, u: np.ndarray, v: np.ndarray, *, only: tuple[str, ...] | None = None
) -> np.ndarray:
    """True where the pair satisfies every hard constraint (or those named in `only`); each rule runs
    on the previous ones' survivors only, cheapest first."""
    rules = constraint_rules(pop, program)
    if only is not None:
        rules = {name: rule for name, rule in rules.items() if name in only}
    ok = np.zeros(len(u), dtype=bool)
    alive = np.arange(len(u))
    order = {name: k for k, name in enumerate(_CHEAP_FIRST)}
    for name in sorted(rules, key=lambda name: order.get(name, len(order))):
        if len(alive) == 0:
            break
        passed = rules[name](u, v)
        if not passed.all():
            alive, u, v = alive[passed], u[passed], v[passed]
    ok[alive] = True
    return ok
