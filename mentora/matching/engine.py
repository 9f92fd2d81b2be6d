"""From an instance to a result: candidate edges, scores, the solver for the program's format, reasons
and the fairness audit. `solve` returns the result as a JSON-ready dict (docs/matching.md)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mentora.matching import fairness
from mentora.matching.eligibility import (
    candidate_pairs,
    constraint_masks,
    eligible,
    kind_for,
    sides,
    unique_sorted,
)
from mentora.matching.explain import explain_circle, explain_pairs, unmatched_reasons
from mentora.matching.flow import Assignment, Duals, assign, cardinality_bonus, scaled
from mentora.matching.instance import COMPONENTS, Instance, InstanceError, Program
from mentora.matching.population import Population, build_population, lookup_pairs
from mentora.matching.pricing import Pricer, concat_edges
from mentora.matching.scoring import SCORE_SCALE, Edges, group_positions, score_edges, top_per_group
from mentora.matching.stable import (
    blocking_report,
    deferred_acceptance,
    preference_keys,
    stable_floor_not_applied,
)

FLOOR_ROUNDS = 8
PARK_BELOW = 20_000  # integer-scaled score (0.02): a candidate edge this far below its price leaves the flow
FIRST_SOLVE_PER_MENTEE = 10  # candidates per mentee in the first solve (the rest wait in the pricer's pool)
MENTOR_KEEP = (3, 5)  # each mentor keeps at least max(3 x capacity, 5) of their best candidates


@dataclass
class Prepared:
    pop: Population
    program: Program
    left: np.ndarray
    right: np.ndarray
    edges: Edges
    timings: dict[str, float] = field(default_factory=dict)


class _Timer:
    """Wall-clock seconds per stage; CPU seconds of this process too (under "cpu_<stage>")."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings
        self.t = time.perf_counter()
        self.cpu = time.process_time()

    def lap(self, name: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.timings[name] = round(self.timings.get(name, 0.0) + now - self.t, 4)
        self.timings[f"cpu_{name}"] = round(self.timings.get(f"cpu_{name}", 0.0) + cpu - self.cpu, 4)
        self.t, self.cpu = now, cpu


def reporting_line_pairs(pop: Population) -> tuple[np.ndarray, np.ndarray]:
    """Every (person, ancestor) pair of the manager forest."""
    us, vs = [], []
    node = np.arange(pop.n)
    anc = pop.manager.copy()
    while (anc >= 0).any():
        has = anc >= 0
        us.append(node[has])
        vs.append(anc[has])
        anc = np.where(has, pop.manager[np.where(has, anc, 0)], -1)
    if not us:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(us), np.concatenate(vs)


CIRCLE_RULES = ("reporting_line", "blocks", "previous_partners")


def circle_forbidden(pop: Population, program: Program, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Pairs that must not share a circle. A common language is reported per circle, not enforced:
    the incompatible pairs would be too many to list as edges."""
    masks = constraint_masks(pop, program, u, v)
    bad = np.zeros(len(u), dtype=bool)
    for name in CIRCLE_RULES:
        if name in masks:
            bad |= ~masks[name]
    return bad


def circle_forbidden_pairs(pop: Population, program: Program) -> tuple[np.ndarray, np.ndarray]:
    """Every pair that must not share a circle (reporting line at any depth, blocks, previous
    partners, as the program's switches say): a hard rule of the grouping."""
    n = pop.n
    ru, rv = reporting_line_pairs(pop)
    keys = [np.minimum(ru, rv) * n + np.maximum(ru, rv), pop.pair_keys_blocked, pop.pair_keys_previous]
    k = unique_sorted(np.concatenate(keys))
    u, v = k // n, k % n
    bad = circle_forbidden(pop, program, u, v)
    return u[bad], v[bad]


def build_edges(pop: Population, program: Program, left: np.ndarray, right: np.ndarray) -> Edges:
    """Scored candidate edges, each person's best kept (the optimal mode prices the rest back in)."""
    limit = program.candidate_limit
    u, v = candidate_pairs(pop, program, left, right, limit=limit, seed=program.seed)
    if program.format == "circles":
        # pairs that must not share a circle are no usefulness edges: the grouping forbids them
        ok = ~circle_forbidden(pop, program, u, v)
    elif limit is None:
        ok = eligible(pop, program, u, v)
    else:
        ok = slice(None)  # candidate_pairs kept eligible pairs only
    edges = score_edges(pop, program, u[ok], v[ok])
    if limit is not None and len(edges):
        if kind_for(program) == "peer":
            keep = top_per_group(edges.u, edges.score, limit) | top_per_group(edges.v, edges.score, limit)
        else:
            per_mentor = np.minimum(np.maximum(MENTOR_KEEP[0] * pop.capacity, MENTOR_KEEP[1]), 4 * limit)
            keep = top_per_group(edges.u, edges.score, limit) | top_per_group(
                edges.v, edges.score, per_mentor
            )
        return edges.subset(keep)
    return edges


def prepare(instance: Instance) -> Prepared:
    """Compile the instance and build its scored candidate edges (reusable for many shortlists)."""
    timings: dict[str, float] = {}
    timer = _Timer(timings)
    pop = build_population(instance)
    timer.lap("compile")
    left, right = sides(pop, instance.program)
    edges = build_edges(pop, instance.program, left, right)
    timer.lap("candidates_and_scoring")
    return Prepared(pop, instance.program, left, right, edges, timings)


# ---------------------------------------------------------------------------------------------- rankings


def rankings(prep: Prepared, li: np.ndarray, ri: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(position of each edge in its mentee's list, rank of the mentee in its mentor's list).

    By score (ties by index), or with ranking_source="preferences" the stated rankings first and
    the remaining acceptable partners after them by score.
    """
    e, pop = prep.edges, prep.pop
    if prep.program.ranking_source == "preferences":
        ranks = np.append(pop.pref_rank, np.iinfo(np.int64).max // 4)  # unranked partners come last
        pos, found = lookup_pairs(pop.pref_keys, e.u * pop.n + e.v)
        mentee_primary = ranks[np.where(found, pos, len(ranks) - 1)]
        pos, found = lookup_pairs(pop.pref_keys, e.v * pop.n + e.u)
        mentor_primary = ranks[np.where(found, pos, len(ranks) - 1)]
    else:
        mentee_primary = np.zeros(len(e), dtype=np.int64)
        mentor_primary = np.zeros(len(e), dtype=np.int64)
    # ties broken by the partner's index (edges are sorted by (mentee, mentor), and the sorts are stable)
    return group_positions(li, e.score, mentee_primary), group_positions(ri, e.score, mentor_primary)


# ---------------------------------------------------------------------------------------------- result parts


def _components_json(row: np.ndarray) -> dict[str, float]:
    return {c: round(float(x), 4) for c, x in zip(COMPONENTS, row, strict=True)}


def _participant_scores(n_local: int, idx: np.ndarray, score: np.ndarray) -> np.ndarray:
    out = np.full(n_local, np.nan)
    out[idx] = score
    return out


def _diagnose(prep: Prepared, people: np.ndarray, chosen: np.ndarray, free: np.ndarray) -> list[dict]:
    """Reasons for each unmatched participant (people: population indices; chosen: the chosen
    edges; free: places left per person of prep.right)."""
    best = np.full(prep.pop.n, -np.inf)
    np.maximum.at(best, prep.edges.u, prep.edges.score)
    if kind_for(prep.program) == "peer":
        np.maximum.at(best, prep.edges.v, prep.edges.score)
    reasons = unmatched_reasons(
        prep.pop,
        prep.program,
        people,
        prep.right,
        free,
        pairs=(prep.edges.u[chosen], prep.edges.v[chosen]),
        best_score=best[people],
    )
    return [{"id": prep.pop.ids[i], "reasons": why} for i, why in zip(people.tolist(), reasons, strict=True)]


def _raise_floor(
    prep: Prepared,
    solve_with: Callable[[np.ndarray], np.ndarray],
    base: np.ndarray,
    owner: list[np.ndarray],
    participants: np.ndarray,
) -> tuple[np.ndarray, dict[str, Any]]:
    """Re-solve with boosted weights to lift the worst-off group; report the cost in total score.

    owner: arrays of participant-local indices, one per edge end that counts as "the person served".
    """
    program, pop, score = prep.program, prep.pop, prep.edges.score
    base_total = float(score[base].sum())

    def per_person(chosen: np.ndarray) -> np.ndarray:
        out = np.zeros(len(participants))
        for o in owner:
            out[o[chosen]] = score[chosen]
        return out

    if program.fairness_floor == "under_sponsored":
        flag = pop.under_sponsored[participants]
        boost = np.zeros(len(score))
        for o in owner:
            boost = np.maximum(boost, flag[o].astype(np.float64))
        chosen = solve_with(score * (1.0 + program.under_sponsored_boost * boost))
        before, after = per_person(base)[flag], per_person(chosen)[flag]
        detail = {
            "under_sponsored_people": int(flag.sum()),
            "under_sponsored_match_rate_before": round(float((before > 0).mean()), 4) if flag.any() else None,
            "under_sponsored_match_rate_after": round(float((after > 0).mean()), 4) if flag.any() else None,
            "under_sponsored_mean_score_before": round(float(before.mean()), 4) if flag.any() else None,
            "under_sponsored_mean_score_after": round(float(after.mean()), 4) if flag.any() else None,
        }
    else:
        labels = fairness.group_labels(pop, participants, program.fairness_group)
        groups = sorted({x for x in labels if x is not None})
        if not groups:
            raise InstanceError(
                f"a worst_group floor needs a participant with a {program.fairness_group}; "
                f"none of the {len(participants)} participants has one",
                field="program.fairness_group",
            )
        gid = np.array([groups.index(x) if x is not None else -1 for x in labels])
        lam = np.zeros(len(groups) + 1)

        def worst(chosen: np.ndarray) -> tuple[float, int]:
            means = fairness.group_means(labels, per_person(chosen))
            g = min(means, key=lambda k: (means[k], k))
            return means[g], groups.index(g)

        start_worst, _ = worst(base)
        chosen, best_worst = base, start_worst
        current = base
        for _ in range(FLOOR_ROUNDS):
            _, g = worst(current)
            lam[g] += 0.25
            mult = np.ones(len(score))
            for o in owner:
                mult = np.maximum(mult, 1.0 + lam[gid[o]])
            current = solve_with(score * mult)
            value, _ = worst(current)
            if value > best_worst + 1e-12:
                best_worst, chosen = value, current
        detail = {
            "group_by": program.fairness_group,
            "worst_group_mean_before": round(start_worst, 4),
            "worst_group_mean_after": round(best_worst, 4),
        }
    after_total = float(score[chosen].sum())
    cost = base_total - after_total
    return chosen, {
        "method": program.fairness_floor,
        "total_score_without_floor": round(base_total, 4),
        "total_score_with_floor": round(after_total, 4),
        "cost_in_total_score": round(cost, 4),
        "cost_percent": round(100.0 * cost / base_total, 3) if base_total else 0.0,
        **detail,
    }


# ---------------------------------------------------------------------------------------------- modes


def _certified_optimum(
    prep: Prepared, flow: Callable[..., Assignment], pricing_rounds: int | None
) -> tuple[np.ndarray, dict[str, Any]]:
    """Solve on the candidate edges, price every eligible pair against the duals, add the improving
    ones and re-solve, until none is left (a proof of the optimum over all eligible pairs) or the
    caller's budget of pricing rounds is spent (then a proven LP bound instead)."""
    pop, program = prep.pop, prep.program
    bonus = cardinality_bonus(len(prep.left)) if program.max_cardinality_first else 0
    rounds = priced = enumerated = added = 0
    pricer = Pricer(pop, program, prep.left, prep.right, bonus=bonus)
    parked = []
    if pricer.margin:
        # the first solve takes each mentee's best few candidates; the pricing brings back any other
        later = ~top_per_group(prep.edges.u, prep.edges.score, FIRST_SOLVE_PER_MENTEE)
        if later.any():
            parked.append(prep.edges.subset(later))
            pricer.park(parked[-1])
            prep.edges = prep.edges.subset(~later)
    while True:
        result = flow(prep.edges.score, with_duals=True)
        duals = result.duals
        assert duals is not None
        keys = prep.edges.u * pop.n + prep.edges.v  # edges are sorted by (mentee, mentor)
        found = pricer.price(duals, keys)
        rounds += 1
        priced += found.priced
        enumerated += found.enumerated
        proven = len(found.added) == 0
        if proven or (pricing_rounds is not None and rounds >= pricing_rounds):
            break
        added += len(found.added)
        # edges far below their price leave the flow (smaller re-solves) for the pricer's pool, which
        # prices them every round and brings back any that would improve
        far = ~result.chosen & (scaled(prep.edges.score) + bonus < _edge_price(prep, duals) - PARK_BELOW)
        if pricer.margin and far.any():
            parked.append(prep.edges.subset(far))
            pricer.park(prep.edges.subset(far))
            prep.edges = prep.edges.subset(~far)
        merged = concat_edges([prep.edges, found.added])
        prep.edges = merged.subset(np.lexsort((merged.v, merged.u)))
    chosen_keys = prep.edges.u[result.chosen] * pop.n + prep.edges.v[result.chosen]
    if parked:
        # every candidate edge stays in the result's graph (reasons, rankings, blocking pairs)
        back = concat_edges(parked)
        back = back.subset(~lookup_pairs(prep.edges.u * pop.n + prep.edges.v, back.u * pop.n + back.v)[1])
        merged = concat_edges([prep.edges, back])
        prep.edges = merged.subset(np.lexsort((merged.v, merged.u)))
    chosen = lookup_pairs(np.sort(chosen_keys), prep.edges.u * pop.n + prep.edges.v)[1]
    total = int(scaled(prep.edges.score[chosen]).sum())
    # with the cardinality bonus the duals bound (bonus x pairs + score); the score part is what we report
    bound = duals.objective + found.bound_gap - bonus * int(chosen.sum())
    certificate = {
        "proven_optimal": proven,
        "pricing_rounds": rounds,
        "edges_enumerated": enumerated,
        "edges_priced": priced,
        "edges_added": added,
        "largest_reduced_cost": found.largest_reduced_cost,
        "score_scale": SCORE_SCALE,
        "total_scaled": total,
        "bound_scaled": total if proven else bound,
    }
    if bonus and not proven:
        # one more pair may be possible: the score bound alone says nothing about that trade
        certificate["bound_scaled"] = None
    return chosen, certificate


def _edge_price(prep: Prepared, duals: Duals) -> np.ndarray:
    """The duals each candidate edge must beat."""
    program = prep.program
    return duals.price(
        np.searchsorted(prep.left, prep.edges.u),
        np.searchsorted(prep.right, prep.edges.v),
        prep.pop.department[prep.edges.u] if program.max_mentees_per_department else None,
    )


def _bound_fields(total_scaled: int, bound_scaled: int | None) -> dict[str, Any]:
    """objective.exact, upper_bound and gap_percent from integer-scaled totals."""
    if bound_scaled is None:
        return {"exact": False, "upper_bound": None, "gap_percent": None}
    gap = bound_scaled - total_scaled
    return {
        "exact": gap <= 0,
        "upper_bound": round(bound_scaled / SCORE_SCALE, 6),
        "gap_percent": round(100.0 * max(gap, 0) / bound_scaled, 4) if bound_scaled > 0 else 0.0,
    }


def _solve_mentoring(prep: Prepared, timer: _Timer, pricing_rounds: int | None) -> dict[str, Any]:
    pop, program = prep.pop, prep.program
    capacity = pop.capacity[prep.right]
    left_dept = pop.department[prep.left]

    def flow(weights: np.ndarray, *, with_duals: bool = False) -> Assignment:
        return assign(
            np.searchsorted(prep.left, prep.edges.u),
            np.searchsorted(prep.right, prep.edges.v),
            weights,
            capacity,
            left_group=left_dept if program.max_mentees_per_department else None,
            group_cap=program.max_mentees_per_department,
            max_cardinality_first=program.max_cardinality_first,
            n_left=len(prep.left),
            with_duals=with_duals,
        )

    certificate = None
    if program.mode == "optimal":
        chosen, certificate = _certified_optimum(prep, flow, pricing_rounds)
    li = np.searchsorted(prep.left, prep.edges.u)
    ri = np.searchsorted(prep.right, prep.edges.v)
    e = prep.edges
    left_pos, right_rank = rankings(prep, li, ri)
    floor = None
    caps = {"left_group": left_dept, "group_cap": program.max_mentees_per_department}
    if program.mode == "stable":
        chosen = deferred_acceptance(li, ri, left_pos, right_rank, capacity, **caps)
        solver = "deferred acceptance (mentee-proposing, hospital/residents)"
        timer.lap("solve")
        if program.fairness_floor:
            floor = stable_floor_not_applied(program.fairness_floor)
    else:
        solver = "ortools.min_cost_flow"
        timer.lap("solve")
        if program.fairness_floor:
            chosen, floor = _raise_floor(prep, lambda w: flow(w).chosen, chosen, [li], prep.left)
            timer.lap("fairness_floor")
    stated_first = program.ranking_source == "preferences"
    left_key, right_key = preference_keys(pop, e.u, e.v, e.units, stated_first=stated_first)
    blocking, blocking_scope = blocking_report(
        pop, program, prep.left, prep.right, li, ri, left_key, right_key, capacity, chosen, **caps
    )
    timer.lap("blocking_pairs")
    idx = np.flatnonzero(chosen)
    reasons = explain_pairs(pop, program, e.u[idx], e.v[idx], e.components[idx])
    pairs = [
        {
            "mentor": pop.ids[e.v[k]],
            "mentee": pop.ids[e.u[k]],
            "score": round(float(e.score[k]), 4),
            "components": _components_json(e.components[k]),
            "reasons": why,
        }
        for k, why in zip(idx, reasons, strict=True)
    ]
    timer.lap("explain")
    matched_left = np.zeros(len(prep.left), dtype=bool)
    matched_left[li[chosen]] = True
    load = np.bincount(ri[chosen], minlength=len(prep.right))
    unmatched = _diagnose(prep, prep.left[~matched_left], chosen, capacity - load)
    timer.lap("diagnose")
    report = fairness.fairness_report(
        pop, prep.left, _participant_scores(len(prep.left), li[chosen], e.score[chosen]), load
    )
    if floor is not None:
        report["floor"] = floor
    timer.lap("fairness")
    return {
        "pairs": pairs,
        "unmatched": unmatched,
        "mentors_with_free_capacity": [
            {"id": pop.ids[prep.right[j]], "free": int(capacity[j] - load[j])}
            for j in np.flatnonzero(load < capacity)
        ],
        "objective": {
            "total_score": round(float(e.score[chosen].sum()), 6),
            "pairs": len(pairs),
            "blocking_pairs": blocking,
            "blocking_pairs_over": blocking_scope,
            # a fairness floor trades total score: then the certified optimum is the bound
            **(
                _bound_fields(int(scaled(e.score[chosen]).sum()), certificate["bound_scaled"])
                if certificate
                else {"exact": False, "upper_bound": None, "gap_percent": None}
            ),
        },
        **({"certificate": certificate} if certificate else {}),
        "solver": {"name": solver},
        "fairness": report,
    }


def _solve_peer(prep: Prepared, timer: _Timer) -> dict[str, Any]:
    from mentora.matching.peer import max_weight_matching

    pop, program, e = prep.pop, prep.program, prep.edges
    peers = prep.left
    a = np.searchsorted(peers, e.u)
    b = np.searchsorted(peers, e.v)
    last: dict[str, Any] = {}

    def match(weights: np.ndarray) -> np.ndarray:
        keep = weights > 0
        idx = np.flatnonzero(keep)
        # six decimals keep the peer solver's integer scaling lossless, so "exact" means exact
        res = max_weight_matching(
            len(peers),
            a[keep],
            b[keep],
            np.round(weights[keep], 6),
            effort=program.effort,
            seed=program.seed,
        )
        last["res"] = res
        chosen = np.zeros(len(weights), dtype=bool)
        chosen[idx[np.asarray(res.edge_index, dtype=np.int64)]] = True
        return chosen

    chosen = match(e.score)
    base = last["res"]
    timer.lap("solve")
    floor = None
    if program.fairness_floor:
        chosen, floor = _raise_floor(prep, match, chosen, [a, b], peers)
        timer.lap("fairness_floor")
    idx = np.flatnonzero(chosen)
    reasons = explain_pairs(pop, program, e.u[idx], e.v[idx], e.components[idx])
    pairs = [
        {
            "people": [pop.ids[e.u[k]], pop.ids[e.v[k]]],
            "score": round(float(e.score[k]), 4),
            "components": _components_json(e.components[k]),
            "reasons": why,
        }
        for k, why in zip(idx, reasons, strict=True)
    ]
    timer.lap("explain")
    matched = np.zeros(len(peers), dtype=bool)
    matched[a[chosen]] = True
    matched[b[chosen]] = True
    unmatched = _diagnose(prep, peers[~matched], chosen, (~matched).astype(np.int64))
    timer.lap("diagnose")
    per = np.full(len(peers), np.nan)
    per[a[chosen]] = e.score[chosen]
    per[b[chosen]] = e.score[chosen]
    report = fairness.fairness_report(pop, peers, per)
    if floor is not None:
        report["floor"] = floor
    timer.lap("fairness")
    total = float(e.score[chosen].sum())
    ub = float(base.upper_bound)
    # a fairness floor may trade total score: then the result is below the proven optimum
    below_optimum = int(scaled(e.score[chosen]).sum()) < round(float(base.objective) * SCORE_SCALE)
    return {
        "pairs": pairs,
        "unmatched": unmatched,
        "objective": {
            "total_score": round(total, 6),
            "pairs": len(pairs),
            "upper_bound": round(ub, 6),
            "gap_percent": round(100.0 * max(ub - min(total, float(base.objective)), 0.0) / ub, 4)
            if ub > 0
            else 0.0,
            "exact": bool(base.exact) and not below_optimum,
        },
        "solver": {"name": f"peer.max_weight_matching ({base.solver})"},
        "fairness": report,
    }


def _solve_circles(prep: Prepared, timer: _Timer) -> dict[str, Any]:
    from mentora.matching.circles import CircleSpec, form_circles

    pop, program, e = prep.pop, prep.program, prep.edges
    rules = program.circles
    spec = CircleSpec(
        min_size=rules.min_size,
        max_size=rules.max_size,
        max_tz_span_hours=rules.max_tz_span_hours,
        max_per_department=rules.max_per_department,
        min_distinct_seniority=rules.min_distinct_seniority,
        require_facilitator=rules.require_facilitator,
    )
    can_facilitate = np.array(["facilitator" in r for r in pop.roles], dtype=bool)
    fu, fv = circle_forbidden_pairs(pop, program)
    res = form_circles(
        pop.n,
        e.u,
        e.v,
        e.score,
        spec=spec,
        utc_offset_hours=pop.utc_offset,
        department=pop.department,
        seniority=pop.seniority.astype(np.int64),
        can_facilitate=can_facilitate,
        forbidden=(fu, fv),
        seed=program.seed,
        effort=program.effort,
        compute_baseline=True,
    )
    timer.lap("solve")
    group_of = np.full(pop.n, -1)
    for g, members in enumerate(res.groups):
        group_of[np.asarray(members, dtype=np.int64)] = g
    inside = group_of[e.u] == group_of[e.v]
    # Re-checked here, independently of the grouping: no forbidden pair shares a circle.
    forbidden = group_of[fu] == group_of[fv]
    violations = list(res.violations)
    for k in np.flatnonzero(forbidden)[:50]:
        violations.append(f"{pop.ids[fu[k]]} and {pop.ids[fv[k]]} share a circle but must not be paired")
    groups = []
    warnings: list[str] = []
    per = np.zeros(pop.n)
    for g, members in enumerate(res.groups):
        m = np.asarray(sorted(members), dtype=np.int64)
        sel = inside & (group_of[e.u] == g)
        fac = res.facilitators[g]
        reasons = explain_circle(pop, m, fac)
        if not any(r["code"] == "shared_language" for r in reasons):
            warnings.append(f"circle {g + 1} has no language every member speaks")
        within = float(e.score[sel].sum())
        per[m] = within / max(len(m) - 1, 1)
        groups.append(
            {
                "members": [pop.ids[i] for i in m],
                "facilitator": pop.ids[fac] if fac is not None else None,
                "score": round(within, 4),
                "reasons": reasons,
            }
        )
    timer.lap("explain")
    report = fairness.fairness_report(pop, np.arange(pop.n), per)
    timer.lap("fairness")
    return {
        "groups": groups,
        "unmatched": [],
        "objective": {
            "total_score": round(float(res.objective), 6),
            "baseline_objective": None
            if res.baseline_objective is None
            else round(float(res.baseline_objective), 6),
            "groups": len(groups),
            "fewest_groups_proven": res.fewest_groups_proven,
            "feasible": bool(res.feasible) and not forbidden.any(),
            "violations": violations,
            "warnings": warnings,
        },
        "solver": {"name": "circles.form_circles"},
        "fairness": report,
    }


def solve(instance: Instance, *, pricing_rounds: int | None = None) -> dict[str, Any]:
    """Solve the instance for its program's format and mode; return the result document.

    pricing_rounds: a budget for the optimal many-to-one mode (None: price until the optimum over all
    eligible pairs is proven; else stop after that many rounds and report a proven bound).
    """
    started = time.perf_counter()
    prep = prepare(instance)
    return solve_prepared(prep, started=started, pricing_rounds=pricing_rounds)


def solve_prepared(
    prep: Prepared, *, started: float | None = None, pricing_rounds: int | None = None
) -> dict[str, Any]:
    started = time.perf_counter() if started is None else started
    timings = dict(prep.timings)
    timer = _Timer(timings)
    program = prep.program
    if program.format == "peer":
        body = _solve_peer(prep, timer)
    elif program.format == "circles":
        body = _solve_circles(prep, timer)
    else:
        body = _solve_mentoring(prep, timer, pricing_rounds)
    timings["total"] = round(time.perf_counter() - started, 4)
    body["solver"].update(
        {
            "candidate_edges": len(prep.edges),
            "candidate_limit": program.candidate_limit,
            "exhaustive": program.candidate_limit is None,
            "timings_s": timings,
        }
    )
    return {"format": program.format, "mode": program.mode, **body}


def preference_lists(prep: Prepared) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]]:
    """The rankings the stable mode uses, as id lists (mentee -> mentors, mentor -> mentees) and capacities.

    Used to hand exactly the same preferences to another hospital/residents implementation.
    """
    pop, e = prep.pop, prep.edges
    li = np.searchsorted(prep.left, e.u)
    ri = np.searchsorted(prep.right, e.v)
    left_pos, right_rank = rankings(prep, li, ri)
    mentee: dict[str, list[str]] = {}
    for k in np.lexsort((left_pos, li)):
        mentee.setdefault(pop.ids[e.u[k]], []).append(pop.ids[e.v[k]])
    mentor: dict[str, list[str]] = {}
    for k in np.lexsort((right_rank, ri)):
        mentor.setdefault(pop.ids[e.v[k]], []).append(pop.ids[e.u[k]])
    capacity = {pop.ids[j]: int(pop.capacity[j]) for j in prep.right if pop.ids[j] in mentor}
    return mentee, mentor, capacity
