"""Reasons as data: why a pair scores as it does, and why someone was left unmatched.

Every reason is a JSON-ready `{"code": ..., "params": {...}}`; the engine writes no prose. The codes
and their params are listed in docs/matching.md ("Reasons"); whoever shows a reason words it for its
reader (the app: `mentora/pairing/reasons.py`). Params named in PRIVATE_PARAMS come from a person's
private self-assessment and must be shown to that person only.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from mentora.matching.eligibility import constraint_masks, kind_for, skill_thresholds
from mentora.matching.instance import COMPONENTS, Program
from mentora.matching.population import PRIORITY_NAME, Population, lookup_pairs, overlap_hours

Reason = dict[str, Any]

# Params derived from the learner's private self-assessed level (the level itself, or the level a
# partner needs, which is that level plus the program's gap).
PRIVATE_PARAMS = frozenset({"own_level", "at_least"})

# The order in which an unmatched person's hard rules are applied when counting who each one left
# out: skills first (the rule people most often expect), then the others as eligibility lists them.
RULE_ORDER = (
    "skill_match",
    "capacity",
    "seniority",
    "timezone",
    "language",
    "reporting_line",
    "blocks",
    "previous_partners",
)
# Unmatched people are checked against the other side in blocks of this many pairs (vectorised masks).
DIAGNOSIS_BLOCK_PAIRS = 1 << 21
# Work limit, in pairs, for counting every eligible partner of people who had candidates (so are
# known to have one): past it they are checked against the partners with a free place only, which
# decides their reason as surely, and their eligible count is left null. People without candidates
# are always checked against everyone. A count of pairs, not of seconds: the result never depends
# on the machine.
DIAGNOSIS_COUNT_BUDGET = 2_000_000


def reason(code: str, **params: Any) -> Reason:
    return {"code": code, "params": params}


def _shared_terms(m: sp.csr_matrix, words: list[str], a: int, b: int, k: int = 3) -> list[str]:
    """The terms contributing most to the TF-IDF cosine of rows a and b."""
    ia, ib = slice(m.indptr[a], m.indptr[a + 1]), slice(m.indptr[b], m.indptr[b + 1])
    weight_b = dict(zip(m.indices[ib].tolist(), m.data[ib].tolist(), strict=True))
    both = [
        (-w * weight_b[t], words[t])
        for t, w in zip(m.indices[ia].tolist(), m.data[ia].tolist(), strict=True)
        if t in weight_b
    ]
    return [w for _, w in sorted(both)[:k]]


class _SkillFacts:
    """For each edge and wanted slot of the learner: teacher level, whether it clears the gap."""

    def __init__(self, pop: Population, program: Program, learner: np.ndarray, teacher: np.ndarray) -> None:
        w = pop.want_skill.shape[1]
        self.learner, self.teacher = learner, teacher
        self.skill = pop.want_skill[learner]
        self.level = np.stack([pop.level(teacher, self.skill[:, j]) for j in range(w)], axis=1)
        self.ok = (self.skill >= 0) & (self.level >= skill_thresholds(pop, program)[learner])
        self.priority = pop.want_priority[learner]
        self.mine = pop.want_self[learner]
        # best slots first: highest priority, then highest level
        self.order = np.lexsort((-self.level, self.priority, ~self.ok), axis=1) if w else self.skill

    def reasons(self, pop: Population, k: int, limit: int) -> list[Reason]:
        out = []
        for j in self.order[k][:limit]:
            if not self.ok[k, j]:
                break
            out.append(
                reason(
                    "skill_level",
                    skill=pop.skills[int(self.skill[k, j])],
                    level=int(self.level[k, j]),
                    priority=PRIORITY_NAME[int(self.priority[k, j])],
                    own_level=int(self.mine[k, j]),
                    teacher=pop.ids[int(self.teacher[k])],
                    learner=pop.ids[int(self.learner[k])],
                )
            )
        return out


def explain_pairs(
    pop: Population, program: Program, u: np.ndarray, v: np.ndarray, components: np.ndarray
) -> list[list[Reason]]:
    """Reasons for each pair (u[k] mentee or peer, v[k] mentor or peer), most important first."""
    people = pop.instance.people
    peer = kind_for(program) == "peer"
    facts = _SkillFacts(pop, program, u, v)
    back = _SkillFacts(pop, program, v, u) if peer else None
    hours = overlap_hours(pop, u, v)
    purpose = components[:, COMPONENTS.index("purpose")]
    tfidf, words = pop.tfidf if (purpose >= 0.1).any() else (None, [])
    out = []
    for k in range(len(u)):
        a, b = int(u[k]), int(v[k])
        pu, pv = people[a], people[b]
        if back is not None:
            reasons = facts.reasons(pop, k, 1) + back.reasons(pop, k, 1)
        else:
            reasons = facts.reasons(pop, k, 2)
        if purpose[k] >= 0.1 and tfidf is not None:
            terms = _shared_terms(tfidf, words, a, b)
            if terms:
                reasons.append(reason("similar_goals", terms=terms))
        if hours[k] > 0:
            reasons.append(reason("shared_hours", hours=round(float(hours[k]), 1)))
        shared = [lang for lang in pu.languages if lang in pv.languages]
        if shared:
            reasons.append(reason("shared_language", languages=shared[:2]))
        if pu.meeting_mode == pv.meeting_mode:
            reasons.append(reason("meeting_mode", mode=pu.meeting_mode))
            # Only a place both named and meet in: remote meetings have no place.
            if pu.meeting_mode != "remote" and pu.location and pu.location == pv.location:
                reasons.append(reason("same_location", location=pu.location))
        if program.diversity_dial >= 0.5:
            if pu.department != pv.department:
                reasons.append(reason("different_department", departments=[pv.department, pu.department]))
            elif pu.location and pv.location and pu.location != pv.location:
                reasons.append(reason("different_location", locations=[pv.location, pu.location]))
        elif pu.department == pv.department:
            reasons.append(reason("same_department", department=pu.department))
        if pu.preferences and pv.id in pu.preferences:
            reasons.append(reason("ranked", by=pu.id, ranked=pv.id, rank=pu.preferences.index(pv.id) + 1))
        if pv.preferences and pu.id in pv.preferences:
            reasons.append(reason("ranked", by=pv.id, ranked=pu.id, rank=pv.preferences.index(pu.id) + 1))
        out.append(reasons)
    return out


def explain_circle(pop: Population, members: np.ndarray, facilitator: int | None) -> list[Reason]:
    """Reasons for one circle: who is in it, its time-zone spread, seniority, language, facilitator."""
    people = pop.instance.people
    offsets = pop.utc_offset[members]
    reasons = [
        reason(
            "circle_departments",
            members=len(members),
            departments=sorted({people[i].department for i in members}),
        ),
        reason("circle_time_zones", span_hours=round(float(offsets.max() - offsets.min()), 1)),
        reason("circle_seniority", levels=sorted(set(pop.seniority[members].tolist()))),
    ]
    common = set.intersection(*(set(people[i].languages) for i in members)) if len(members) else set()
    if common:
        reasons.append(reason("shared_language", languages=sorted(common)))
    if facilitator is not None:
        reasons.append(reason("facilitator", person=pop.ids[facilitator]))
    return reasons


# ---------------------------------------------------------------------------------------------- unmatched


def unmatched_reasons(
    pop: Population,
    program: Program,
    people: np.ndarray,
    right: np.ndarray,
    free: np.ndarray,
    *,
    pairs: tuple[np.ndarray, np.ndarray] | None = None,
    best_score: np.ndarray | None = None,
) -> list[list[Reason]]:
    """Why each of `people` got nobody, true by construction.

    right: everyone on the other side (mentors with capacity, or the peers); free: their places
    left after the assignment. Eligibility is checked against the people in `right`, not against
    the candidates a run scored. A person is reported out-competed (`all_eligible_full`) only when
    at least one partner is eligible and every eligible partner is full; with none eligible, the
    reason counts the partners each hard rule left out. pairs: the assignment as (mentee, mentor)
    population indices, for the program's cap on mentees per mentor from one department;
    best_score: the best candidate score per person (finite: the person had an eligible candidate).
    """
    role = "peer" if kind_for(program) == "peer" else "mentor"
    if len(people) == 0:
        return []
    if len(right) == 0:
        return [[reason("none_with_capacity", role=role)] for _ in people]
    had_candidate = np.zeros(len(people), dtype=bool) if best_score is None else np.isfinite(best_score)
    # Everyone without a candidate, then people with one while the counting budget lasts.
    counted = ~had_candidate
    affordable = max(0, DIAGNOSIS_COUNT_BUDGET // len(right) - int(counted.sum()))
    counted[np.flatnonzero(had_candidate)[:affordable]] = True
    checks = _Checks(pop, program, role, pairs, best_score)
    has_room = free > 0
    out: dict[int, Reason] = {}
    for everyone in (True, False):
        subset = np.flatnonzero(counted if everyone else ~counted)
        cols, room = (right, has_room) if everyone else (right[has_room], has_room[has_room])
        if len(cols) == 0:  # nobody has a free place; these people had an eligible candidate
            out.update((k, checks.all_full(k, None)) for k in subset.tolist())
            continue
        block = max(1, DIAGNOSIS_BLOCK_PAIRS // len(cols))
        for lo in range(0, len(subset), block):
            ks = subset[lo : lo + block]
            out.update(
                zip(ks.tolist(), checks.reasons(ks, people[ks], cols, room, everyone=everyone), strict=True)
            )
    return [[out[k]] for k in range(len(people))]


class _Checks:
    """The hard rules for blocks of (unmatched person x partner), with the counts a reason needs."""

    def __init__(
        self,
        pop: Population,
        program: Program,
        role: str,
        pairs: tuple[np.ndarray, np.ndarray] | None,
        best_score: np.ndarray | None,
    ) -> None:
        self.pop, self.program, self.role, self.best_score = pop, program, role, best_score
        self.cap = program.max_mentees_per_department
        self.taken = _department_loads(pop, pairs) if self.cap and pairs is not None else None
        self.thresholds = skill_thresholds(pop, program)

    def all_full(self, k: int, eligible: int | None) -> Reason:
        best = self.best_score[k] if self.best_score is not None else np.inf
        return reason(
            "all_eligible_full",
            role=self.role,
            eligible=eligible,
            best_score=round(float(best), 4) if np.isfinite(best) else None,
        )

    def reasons(
        self, ks: np.ndarray, rows: np.ndarray, cols: np.ndarray, room: np.ndarray, *, everyone: bool
    ) -> list[Reason]:
        """The reason of each person rows[r] (ks[r]: position in the caller's list). cols: every
        partner (everyone) or only those with a free place; room: which of cols have one."""
        pop, role = self.pop, self.role
        # the rules broadcast a column of people against a row of partners: one (rows x cols) block
        shape = (len(rows), len(cols))
        masks = {
            name: np.broadcast_to(mask, shape)
            for name, mask in constraint_masks(pop, self.program, rows[:, None], cols[None, :]).items()
        }
        alive = masks.pop("distinct").copy()  # a peer is never their own partner, nor counted as one
        considered = np.count_nonzero(alive, axis=1)
        excluded: dict[str, np.ndarray] = {}
        remaining = considered
        for name in RULE_ORDER:
            if name in masks:
                alive &= masks[name]
                still = np.count_nonzero(alive, axis=1)
                excluded[name], remaining = remaining - still, still
        eligible = remaining
        open_ = alive & room
        eligible_free = np.count_nonzero(open_, axis=1)
        if self.taken is not None:
            keys, loads = self.taken
            pos, found = lookup_pairs(
                keys, cols[None, :] * len(pop.departments) + pop.department[rows][:, None]
            )
            held = np.where(found, np.append(loads, 0)[pos], 0)
            open_ &= held < self.cap
        eligible_open = np.count_nonzero(open_, axis=1)
        out = []
        for r, i in enumerate(rows.tolist()):
            count = int(eligible[r]) if everyone else None
            if everyone and eligible[r] == 0:
                out.append(self._none_eligible(i, int(considered[r]), excluded, r))
            elif eligible_free[r] == 0:
                out.append(self.all_full(int(ks[r]), count))
            elif eligible_open[r] == 0:
                department = pop.departments[pop.department[i]]
                out.append(
                    reason(
                        "department_cap",
                        role=role,
                        department=department,
                        cap=self.cap,
                        free=int(eligible_free[r]),
                    )
                )
            else:
                out.append(
                    reason("eligible_partner_free", role=role, eligible=count, free=int(eligible_open[r]))
                )
        return out

    def _none_eligible(self, i: int, considered: int, excluded: dict[str, np.ndarray], r: int) -> Reason:
        pop, role = self.pop, self.role
        if considered == 0:
            return reason("none_with_capacity", role=role)
        wanted = pop.want_skill[i] >= 0
        return reason(
            "no_eligible_partner",
            role=role,
            considered=int(considered),
            excluded=[{"rule": name, "count": int(count[r])} for name, count in excluded.items() if count[r]],
            skills=[pop.skills[int(s)] for s in pop.want_skill[i][wanted]],
            at_least=[int(t) for t in self.thresholds[i][wanted]],
        )


def _department_loads(pop: Population, pairs: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Mentees each mentor holds per department: sorted keys mentor * departments + department, counts."""
    mentee, mentor = pairs
    keys, counts = np.unique(mentor * len(pop.departments) + pop.department[mentee], return_counts=True)
    return keys, counts
