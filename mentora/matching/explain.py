"""Human-readable reasons: why a pair scores as it does, and why someone was left unmatched."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from mentora.matching.eligibility import constraint_masks, kind_for, skill_thresholds
from mentora.matching.instance import COMPONENTS, Program
from mentora.matching.population import PRIORITY_NAME, Population, overlap_hours

_MODE_WORDS = {"remote": "remote", "in_person": "in-person", "hybrid": "hybrid"}


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
        self.skill = pop.want_skill[learner]
        self.level = np.stack([pop.level(teacher, self.skill[:, j]) for j in range(w)], axis=1)
        self.ok = (self.skill >= 0) & (self.level >= skill_thresholds(pop, program)[learner])
        self.priority = pop.want_priority[learner]
        self.mine = pop.want_self[learner]
        # best slots first: highest priority, then highest level
        self.order = np.lexsort((-self.level, self.priority, ~self.ok), axis=1) if w else self.skill

    def reasons(self, pop: Population, k: int, who: str, you: str, limit: int) -> list[str]:
        out = []
        for j in self.order[k][:limit]:
            if not self.ok[k, j]:
                break
            prio = PRIORITY_NAME[int(self.priority[k, j])]
            out.append(
                f"{who} is level {int(self.level[k, j])} in {pop.skills[int(self.skill[k, j])]}, which {you} "
                f"rank {prio} priority ({you} are at {int(self.mine[k, j])})"
            )
        return out


def explain_pairs(
    pop: Population, program: Program, u: np.ndarray, v: np.ndarray, components: np.ndarray
) -> list[list[str]]:
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
            reasons = facts.reasons(pop, k, pv.id, pu.id, 1) + back.reasons(pop, k, pu.id, pv.id, 1)
        else:
            reasons = facts.reasons(pop, k, "Mentor", "you", 2)
        if purpose[k] >= 0.1 and tfidf is not None:
            terms = _shared_terms(tfidf, words, a, b)
            if terms:
                reasons.append("Similar goals: " + ", ".join(terms))
        if hours[k] > 0:
            reasons.append(f"{hours[k]:.0f} h of overlapping working hours")
        shared = [lang for lang in pu.languages if lang in pv.languages]
        if shared:
            reasons.append("Shared language: " + ", ".join(shared[:2]))
        if pu.meeting_mode == pv.meeting_mode:
            # Only a place both named: people without a location would read "meetings in ".
            shared_place = pu.meeting_mode != "remote" and pu.location and pu.location == pv.location
            where = f" in {pu.location}" if shared_place else ""
            reasons.append(f"Both prefer {_MODE_WORDS[pu.meeting_mode]} meetings{where}")
        if program.diversity_dial >= 0.5:
            if pu.department != pv.department:
                reasons.append(
                    f"Different department ({pv.department} and {pu.department}): a fresh perspective"
                )
            elif pu.location and pv.location and pu.location != pv.location:
                reasons.append(f"Different location ({pv.location} and {pu.location})")
        elif pu.department == pv.department:
            reasons.append(f"Same department ({pu.department})")
        if pu.preferences and pv.id in pu.preferences:
            reasons.append(f"{pu.id} ranked {pv.id} #{pu.preferences.index(pv.id) + 1}")
        if pv.preferences and pu.id in pv.preferences:
            reasons.append(f"{pv.id} ranked {pu.id} #{pv.preferences.index(pu.id) + 1}")
        out.append(reasons)
    return out


_CONSTRAINT_PHRASE = {
    "distinct": "other than yourself",
    "capacity": "with free capacity",
    "seniority": "at a suitable seniority",
    "timezone": "in an overlapping time zone",
    "language": "who shares one of your languages",
    "reporting_line": "outside your reporting line",
    "blocks": "whom nobody blocked",
    "previous_partners": "you have not worked with before",
    "skill_match": "",
}


def unmatched_reasons(
    pop: Population, program: Program, i: int, right: np.ndarray, n_candidates: int, best_score: float | None
) -> list[str]:
    """Why person i got nobody. Names the constraint that removed the last eligible partner."""
    role = "peer" if kind_for(program) == "peer" else "mentor"
    if n_candidates > 0:
        best = f" (best candidate score {best_score:.2f})" if best_score is not None else ""
        return [
            f"All {n_candidates} eligible {role}s considered went to pairs with a higher total score{best}",
        ]
    if len(right) == 0:
        return [f"The program has no {role}s with free capacity"]
    v = right[right != i]
    u = np.full(len(v), i)
    masks = constraint_masks(pop, program, u, v)
    alive = np.ones(len(v), dtype=bool)
    subject = f"no eligible {role}"
    skill_mask = masks.pop("skill_match", None)
    if skill_mask is not None and pop.n_wanted[i] > 0:
        thr = skill_thresholds(pop, program)[i]
        j = 0
        s = int(pop.want_skill[i, j])
        subject = f"no eligible {role} with {pop.skills[s]} \u2265 {int(thr[j])}"
        alive &= skill_mask
        if not alive.any():
            return [f"{subject[0].upper()}{subject[1:]} (or any other skill you want at the needed level)"]
    phrases = []
    for name, mask in masks.items():
        survivors = alive & mask
        if np.array_equal(survivors, alive):
            continue
        phrase = _CONSTRAINT_PHRASE[name]
        if name == "timezone":
            phrase += f" (\u2265 {program.min_tz_overlap_hours:g} h shared working hours)"
        phrases.append(phrase)
        alive = survivors
        if not alive.any():
            return [f"{subject[0].upper()}{subject[1:]} {' and '.join(phrases)}".strip()]
    return [f"Every eligible {role} was taken"]
