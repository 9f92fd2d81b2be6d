"""Circles: partition participants into groups of size [min_size, max_size] maximising the total
usefulness of pairs inside groups, under spread constraints (time-zone span, people per
department, distinct seniority levels, a facilitator per group) and forbidden pairs (people who
must never share a group: a hard rule like the others, never a penalty).

Method (numpy + OR-Tools CP-SAT, no Django):

1. Necessary conditions are checked up front (enough people, a group count that fits the sizes,
   the departments, the facilitators and the seniority mix); when one fails the answer is
   ``feasible=False`` with the reason.
2. Construction: people sorted by UTC offset are cut into contiguous blocks by a dynamic
   programme that respects sizes and the time-zone span (for those two constraints alone,
   contiguous blocks lose nothing, so failure there is a proof of infeasibility).  A penalty
   local search then repairs department, seniority, facilitator and forbidden-pair violations by
   moves and swaps between groups close in time zone.  On small instances that repair can't fix,
   CP-SAT either finds a feasible partition or proves that none exists.  Group counts are tried
   fewest first, and a count is left only when no valid partition into that many groups was
   found (proven so by CP-SAT up to _CPSAT_FEASIBILITY_N people).
3. Improvement: simulated annealing over moves and swaps proposed along usefulness edges, a block
   of steps at a time: numpy judges a whole block's proposals (usefulness to both groups, each
   group's rule counts kept up to date as people move, the Metropolis test) and only the few that
   pass are checked again exactly and applied; every accepted step keeps every group valid, so
   feasibility is never lost.
4. Tiny instances (``n <= _EXACT_N``) are solved to optimality with CP-SAT instead, for the
   fewest feasible groups.

Every budget is a count of work, never seconds: local-search steps, and CP-SAT's deterministic time
with one worker and a fixed seed.  ``effort`` multiplies them all.  So the same instance, seed and
effort give the same partition on any machine, however busy.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from mentora.matching.cpsat import deterministic_solver

__all__ = ["CircleSpec", "Circles", "form_circles"]

_EXACT_N = 14  # up to this many people, CP-SAT solves the whole problem exactly
_CPSAT_FEASIBILITY_N = 300  # up to this many, CP-SAT settles feasibility when repair fails
# Budgets at effort 1.  CP-SAT's are in its deterministic time (reproducible work units).
# Annealing steps: 400 per person, plus up to 1,000,000 more (3,000 per person) so that small and
# middle-sized programs converge too (tuned against bench/matching_circles.py's baseline).
_ANNEAL_STEPS = (400, 3_000, 1_000_000)
_BLOCK = 4_096  # annealing steps judged together (see _anneal)
# annealing temperature: x the mean usefulness at the start, and the end's as a share of the start's
_T_START, _T_END = 1.0, 0.03
_REPAIR_STEPS = (400, 10_000)  # repair steps per start: so many per person, plus a constant
_REPAIR_STARTS = 4  # all starts of one construction share this many starts' repair steps
_EXACT_DTIME = 10.0
_FEASIBILITY_DTIME = 5.0
_WINDOW_DTIME = 0.5
_WINDOWS = 10  # CP-SAT windows per construction
_FEASIBILITY_MODELS = 3  # whole-problem CP-SAT feasibility models per construction (one per group count)
_OUT_OF_WORK = "no feasible partition found within the work budget (a higher effort may find one)"


@dataclass(frozen=True)
class CircleSpec:
    min_size: int
    max_size: int
    max_tz_span_hours: float | None = None  # max difference of UTC offsets inside a group
    max_per_department: int | None = None
    min_distinct_seniority: int | None = None  # seniority mix: at least this many distinct levels per group
    require_facilitator: bool = False  # each group has >=1 member with can_facilitate


@dataclass(frozen=True)
class Circles:
    groups: list[list[int]]  # partition of 0..n-1 (every person in exactly one group)
    facilitators: list[int | None]  # chosen facilitator node per group, or None
    objective: float  # sum over groups of within-group edge weights (usefulness)
    baseline_objective: float | None  # random valid partition + local search baseline, when computed
    feasible: bool
    violations: list[str]  # human-readable, empty when feasible
    # True when no valid partition has fewer groups: proven by CP-SAT for every smaller count
    # that sizes, spans and the counting checks allow (or there was none).
    fewest_groups_proven: bool = False


# ---------------------------------------------------------------------------------------------
# problem data and group checks


class _Problem:
    def __init__(
        self,
        n: int,
        u: np.ndarray,
        v: np.ndarray,
        w: np.ndarray,
        spec: CircleSpec,
        tz: np.ndarray,
        dept: np.ndarray,
        sen: np.ndarray,
        fac: np.ndarray,
        forbidden: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        self.n, self.spec = n, spec
        self.tz = [float(t) for t in tz]
        # Departments and seniority as small ints (labels may be strings).
        self.dept = list(np.unique(dept, return_inverse=True)[1].tolist()) if n else []
        self.sen = list(np.unique(sen, return_inverse=True)[1].tolist()) if n else []
        self.fac = [bool(f) for f in fac]
        self.a, self.b = spec.min_size, spec.max_size
        self.span = spec.max_tz_span_hours
        self.dmax = spec.max_per_department
        self.kmin = spec.min_distinct_seniority
        self.u, self.v, self.w = u, v, w
        # Adjacency with summed weights (duplicate listings of a pair add up).
        nbr: list[dict[int, float]] = [{} for _ in range(n)]
        for a, b, x in zip(u.tolist(), v.tolist(), w.tolist(), strict=True):
            if a != b and x != 0.0:
                nbr[a][b] = nbr[a].get(b, 0.0) + x
                nbr[b][a] = nbr[b].get(a, 0.0) + x
        self.nbr = [list(d.items()) for d in nbr]
        self.wmap = nbr
        self.forbid: list[set[int]] = [set() for _ in range(n)]
        if forbidden is not None:
            for a, b in zip(forbidden[0].tolist(), forbidden[1].tolist(), strict=True):
                if a != b:
                    self.forbid[a].add(b)
                    self.forbid[b].add(a)
        self.has_forbidden = any(self.forbid)

    def forbidden_inside(self, members: list[int]) -> int:
        """How many forbidden pairs a group holds."""
        if not self.has_forbidden:
            return 0
        inside = set(members)
        return sum(len(self.forbid[p] & inside) for p in members) // 2

    def violation(self, members: list[int]) -> float:
        """0 for a valid group, otherwise a positive amount (used to steer the repair)."""
        k = len(members)
        bad = 0.0
        if k < self.a:
            bad += self.a - k
        elif k > self.b:
            bad += k - self.b
        if k == 0:
            return bad
        if self.span is not None:
            tzs = [self.tz[p] for p in members]
            excess = max(tzs) - min(tzs) - self.span
            if excess > 1e-9:
                bad += 1.0 + excess / 24.0
        if self.dmax is not None:
            depts = [self.dept[p] for p in members]
            if len(depts) > self.dmax:  # list.count beats a Counter on groups of a few people
                bad += sum(max(0, depts.count(d) - self.dmax) for d in set(depts))
        if self.kmin is not None:
            bad += max(0, self.kmin - len({self.sen[p] for p in members}))
        if self.spec.require_facilitator and not any(self.fac[p] for p in members):
            bad += 1.0
        return bad + self.forbidden_inside(members)

    def subset(self, people: list[int]) -> _Problem:
        """The same rules over some people only (usefulness dropped: used for feasibility)."""
        z = np.zeros(0, dtype=np.int64)
        local = {p: i for i, p in enumerate(people)}
        pairs = [(i, local[q]) for i, p in enumerate(people) for q in self.forbid[p] if q in local]
        return _Problem(
            len(people),
            z,
            z,
            np.zeros(0),
            self.spec,
            np.array([self.tz[p] for p in people]),
            np.array([self.dept[p] for p in people]),
            np.array([self.sen[p] for p in people]),
            np.array([self.fac[p] for p in people]),
            (
                np.array([a for a, _ in pairs], dtype=np.int64),
                np.array([b for _, b in pairs], dtype=np.int64),
            ),
        )

    def shape_ok(self, members: list[int]) -> bool:
        """Size and time-zone span only."""
        if not self.a <= len(members) <= self.b:
            return False
        if self.span is None:
            return True
        tzs = [self.tz[p] for p in members]
        return max(tzs) - min(tzs) <= self.span + 1e-9

    def valid(self, members: list[int]) -> bool:
        return self.violation(members) == 0.0

    def describe(self, gi: int, members: list[int]) -> list[str]:
        out = []
        k = len(members)
        if not self.a <= k <= self.b:
            out.append(f"group {gi} has {k} members, outside [{self.a}, {self.b}]")
        if k and self.span is not None:
            tzs = [self.tz[p] for p in members]
            if max(tzs) - min(tzs) > self.span + 1e-9:
                out.append(f"group {gi} spans {max(tzs) - min(tzs):g} h of UTC offsets (max {self.span:g})")
        if k and self.dmax is not None:
            c = Counter(self.dept[p] for p in members)
            worst = max(c.values())
            if worst > self.dmax:
                out.append(f"group {gi} has {worst} people from one department (max {self.dmax})")
        if k and self.kmin is not None:
            d = len({self.sen[p] for p in members})
            if d < self.kmin:
                out.append(f"group {gi} has {d} distinct seniority levels (min {self.kmin})")
        if k and self.spec.require_facilitator and not any(self.fac[p] for p in members):
            out.append(f"group {gi} has no facilitator")
        if k and self.forbidden_inside(members):
            out.append(
                f"group {gi} holds {self.forbidden_inside(members)} pair(s) who must not share a circle"
            )
        return out

    def gain(self, p: int, group: list[int]) -> float:
        wp = self.wmap[p]
        return sum(wp.get(q, 0.0) for q in group if q != p)

    def objective(self, groups: list[list[int]]) -> float:
        return float(sum(self.gain(p, g) for g in groups for p in g) / 2.0)


# ---------------------------------------------------------------------------------------------
# necessary conditions and group count


def _group_count(pb: _Problem) -> tuple[list[int], list[str]]:
    """Group counts that pass the counting conditions (best first), or the reasons none does."""
    n, a, b, spec = pb.n, pb.a, pb.b, pb.spec
    reasons: list[str] = []
    if a < 1 or b < a:
        return [], [f"invalid sizes [{a}, {b}]"]
    if n < a:
        return [], [f"only {n} people, fewer than the minimum group size {a}"]
    g_lo, g_hi = math.ceil(n / b), n // a
    if g_lo > g_hi:
        return [], [f"{n} people can't be split into groups of {a} to {b}"]
    if pb.dmax is not None:
        if pb.dmax < 1:
            return [], ["max_per_department must be at least 1"]
        c = Counter(pb.dept)
        d, cnt = max(c.items(), key=lambda kv: kv[1])
        need = math.ceil(cnt / pb.dmax)
        if need > g_hi:
            reasons.append(
                f"a department has {cnt} people: at most {pb.dmax} per group needs {need} groups, "
                f"but {n} people make at most {g_hi} groups of {a}+"
            )
        g_lo = max(g_lo, need)
    if spec.require_facilitator:
        f = sum(pb.fac)
        if f < g_lo:
            reasons.append(f"{f} people can facilitate but at least {g_lo} groups are needed")
        g_hi = min(g_hi, f)
    if pb.kmin is not None:
        levels = Counter(pb.sen)
        if pb.kmin > len(levels):
            reasons.append(
                f"{len(levels)} distinct seniority levels, fewer than the {pb.kmin} asked per group"
            )
        elif pb.kmin > b:
            reasons.append(f"{pb.kmin} distinct seniority levels can't fit in groups of at most {b}")
    if reasons:
        return [], reasons
    ok = []
    for g in range(g_lo, g_hi + 1):
        if pb.kmin is not None and sum(min(c, g) for c in Counter(pb.sen).values()) < pb.kmin * g:
            continue
        ok.append(g)
    if not ok:
        if pb.kmin is not None:
            return [], [
                f"not enough people per seniority level to give every group {pb.kmin} distinct levels"
            ]
        return [], [f"no group count in [{g_lo}, {g_hi}] fits the department and facilitator limits"]
    return ok, []


def _tz_dp(pb: _Problem, order: list[int]) -> tuple[list[int], list[int]]:
    """For each prefix of ``order`` (sorted by UTC offset): the min and max number of contiguous
    blocks with sizes in [a, b] and a valid span that cover it (hi = -1: none)."""
    n, a, b = pb.n, pb.a, pb.b
    tz = [pb.tz[p] for p in order]
    span = math.inf if pb.span is None else pb.span + 1e-9
    lo = [10**9] * (n + 1)
    hi = [-1] * (n + 1)
    lo[0] = hi[0] = 0
    for i in range(1, n + 1):
        for s in range(a, b + 1):
            j = i - s
            if j < 0:
                break
            if hi[j] >= 0 and tz[i - 1] - tz[j] <= span:
                lo[i] = min(lo[i], lo[j] + 1)
                hi[i] = max(hi[i], hi[j] + 1)
    return lo, hi


def _tz_blocks(
    pb: _Problem, order: list[int], g: int, lo: list[int], hi: list[int]
) -> list[list[int]] | None:
    """Exactly ``g`` contiguous blocks of ``order`` with sizes in [a, b] and a valid span, or None."""
    n, a, b = pb.n, pb.a, pb.b
    tz = [pb.tz[p] for p in order]
    span = math.inf if pb.span is None else pb.span + 1e-9
    if hi[n] < 0 or not lo[n] <= g <= hi[n]:
        return None
    blocks: list[list[int]] = []
    i, c = n, g
    while i > 0:
        for s in range(b, a - 1, -1):  # prefer big blocks (more pairs)
            j = i - s
            if j >= 0 and hi[j] >= 0 and lo[j] <= c - 1 <= hi[j] and tz[i - 1] - tz[j] <= span:
                blocks.append(order[j:i])
                i, c = j, c - 1
                break
        else:
            return None  # reachable counts are not an interval here: leave it to the repair
    return blocks[::-1]


def _even_blocks(order: list[int], g: int) -> list[list[int]]:
    n = len(order)
    cuts = [round(k * n / g) for k in range(g + 1)]
    return [order[cuts[k] : cuts[k + 1]] for k in range(g)]


# ---------------------------------------------------------------------------------------------
# local search


class _State:
    def __init__(self, pb: _Problem, groups: list[list[int]]) -> None:
        self.pb = pb
        self.members = [list(g) for g in groups]
        self.grp = [0] * pb.n
        for gi, g in enumerate(self.members):
            for p in g:
                self.grp[p] = gi

    def move(self, p: int, b_: int) -> None:
        a_ = self.grp[p]
        self.members[a_].remove(p)
        self.members[b_].append(p)
        self.grp[p] = b_

    def swap(self, p: int, q: int) -> None:
        a_, b_ = self.grp[p], self.grp[q]
        self.members[a_].remove(p)
        self.members[b_].remove(q)
        self.members[a_].append(q)
        self.members[b_].append(p)
        self.grp[p], self.grp[q] = b_, a_


def _near(rng: random.Random, pos: list[int], order: list[int], p: int, window: int) -> int:
    """A random person close to ``p`` in UTC-offset order."""
    i = pos[p] + rng.randint(-window, window)
    return order[min(max(i, 0), len(order) - 1)]


def _repair(
    pb: _Problem,
    st: _State,
    rng: random.Random,
    order: list[int],
    pos: list[int],
    steps: int,
) -> bool:
    """Penalty local search: moves and swaps (mostly between groups close in time zone), downhill
    or sideways, rarely uphill.  When the start already meets sizes and time-zone spans, those
    stay hard and only the other constraints are repaired.  True when every group is valid."""
    viol = [pb.violation(m) for m in st.members]
    hard = all(pb.shape_ok(m) for m in st.members)
    bad = [gi for gi, x in enumerate(viol) if x > 0]
    window = 3 * pb.b
    for step in range(steps):
        if not bad:
            return True
        if step % 512 == 0:
            bad = [gi for gi, x in enumerate(viol) if x > 0]
            if not bad:
                return True
        ga = bad[rng.randrange(len(bad))]
        if viol[ga] <= 0:
            bad.remove(ga)
            continue
        ma = st.members[ga]
        p = ma[rng.randrange(len(ma))]
        q = _near(rng, pos, order, p, window) if rng.random() < 0.9 else rng.randrange(pb.n)
        gb = st.grp[q]
        if gb == ga:
            continue
        mb = st.members[gb]
        if rng.random() < 0.3 and (len(ma) > pb.b or (len(ma) > pb.a and len(mb) < pb.b)):
            na = [x for x in ma if x != p]
            nb = [*mb, p]
            kind = 0
        elif len(mb) > pb.b and rng.random() < 0.5:
            na = [*ma, q]
            nb = [x for x in mb if x != q]
            kind = 1
        else:
            na = [q if x == p else x for x in ma]
            nb = [p if x == q else x for x in mb]
            kind = 2
        if hard and not (pb.shape_ok(na) and pb.shape_ok(nb)):
            continue
        va, vb = pb.violation(na), pb.violation(nb)
        delta = va + vb - viol[ga] - viol[gb]
        # Sideways steps often, uphill ones rarely: enough to walk out of local minima.
        if delta < 0 or (delta == 0 and rng.random() < 0.5) or (delta > 0 and rng.random() < 0.02 / delta):
            if kind == 0:
                st.move(p, gb)
            elif kind == 1:
                st.move(q, ga)
            else:
                st.swap(p, q)
            viol[ga], viol[gb] = va, vb
            for gx, vx in ((ga, va), (gb, vb)):
                if vx > 0 and gx not in bad:
                    bad.append(gx)
    return all(x == 0 for x in viol)


def _window_repair(pb: _Problem, st: _State, seed: int, windows: int, dtime: float) -> tuple[bool, int]:
    """Exact repair of what the local search left: for each invalid group, CP-SAT re-partitions
    it together with the groups nearest in time zone (growing windows), at most ``windows`` times,
    each within ``dtime``.  Returns (every group valid, windows left)."""
    for radius in (2, 4, 8):
        bad = [gi for gi, m in enumerate(st.members) if not pb.valid(m)]
        if not bad:
            return True, windows
        centre = [sum(pb.tz[p] for p in m) / len(m) if m else 0.0 for m in st.members]
        by_tz = sorted(range(len(st.members)), key=lambda gi: (centre[gi], gi))
        rank = {gi: i for i, gi in enumerate(by_tz)}
        for gi in bad:
            if pb.valid(st.members[gi]):
                continue  # fixed by an earlier window
            if windows <= 0:
                return False, 0
            windows -= 1
            i = rank[gi]
            window = by_tz[max(0, i - radius) : i + radius + 1]
            people = sorted(p for gx in window for p in st.members[gx])
            sub = pb.subset(people)
            groups, _ = _cpsat(sub, False, dtime, seed, len(window))
            if groups is None or len(groups) != len(window):
                continue
            for gx, g in zip(window, groups, strict=True):
                for x in g:
                    st.grp[people[x]] = gx
                st.members[gx] = [people[x] for x in g]
    return all(pb.valid(m) for m in st.members), windows


def _anneal(
    pb: _Problem,
    st: _State,
    rng: random.Random,
    order: list[int],
    pos: list[int],
    steps: int,
) -> None:
    """Simulated annealing over moves and swaps that keep every group valid.

    Steps go in blocks of _BLOCK.  A block's proposals are drawn and judged all at once with numpy
    against the state at the block's start: the usefulness of each person to both groups summed from
    the neighbour lists, the groups' rule counts, the Metropolis test.  Only the proposals that pass
    (a few percent: most of a block is rejected without a Python step) are judged again one by one
    on the current state, exactly, and applied; so every accepted step keeps every group valid, and
    a proposal made stale by an earlier step of its block is judged on the truth."""
    if steps <= 0 or not any(pb.nbr):
        return
    pos_w = [x for lst in pb.nbr for _, x in lst if x > 0]
    t0 = _T_START * (sum(pos_w) / len(pos_w)) if pos_w else 1.0
    t_end = t0 * _T_END
    counts = _GroupCounts(pb, st)
    n, a, b = pb.n, pb.a, pb.b
    grp, members = st.grp, st.members
    deg, first_nbr, nbr = counts.deg, counts.first_nbr, counts.nbr
    order_a, pos_a = np.asarray(order, dtype=np.int64), np.asarray(pos, dtype=np.int64)
    window = 3 * b
    gen = np.random.default_rng(rng.randrange(2**63))
    for first in range(0, steps, _BLOCK):
        m = min(_BLOCK, steps - first)
        temp = t0 * (t_end / t0) ** (first / steps)
        # p, and a person q whose group p is sent to: mostly a useful neighbour, else one close in time zone
        p_ = gen.integers(0, n, m)
        pick_nbr = (gen.random(m) < 0.85) & (deg[p_] > 0)
        q_nbr = nbr[np.minimum(first_nbr[p_] + (gen.random(m) * deg[p_]).astype(np.int64), len(nbr) - 1)]
        q_near = order_a[np.clip(pos_a[p_] + gen.integers(-window, window + 1, m), 0, n - 1)]
        q_ = np.where(pick_nbr, q_nbr, q_near)
        is_move = gen.random(m) < 0.5
        r_at = gen.random(m)
        threshold = temp * np.log1p(-gen.random(m))  # Metropolis: accepted when the change >= this
        ga_, gb_ = counts.grp_a[p_], counts.grp_a[q_]
        # a swap's partner r: a member of q's group other than q (q is the reason to go there)
        size_b = counts.size[gb_]
        slot = (r_at * size_b).astype(np.int64)
        r_ = counts.mem[gb_, slot]
        clash = r_ == q_
        r_[clash] = counts.mem[gb_[clash], (slot[clash] + 1) % size_b[clash]]
        is_move &= (counts.size[ga_] > a) & (size_b < b)
        ok = (ga_ != gb_) & (is_move | (size_b > 1)) & counts.admissible(p_, r_, ga_, gb_, is_move)
        sel = np.flatnonzero(ok)
        p_, r_, ga_, gb_, is_move, threshold = (x[sel] for x in (p_, r_, ga_, gb_, is_move, threshold))
        p_a, p_b, p_r = counts.usefulness(p_, ga_, gb_, r_)
        r_a, r_b, _ = counts.usefulness(r_, ga_, gb_, p_)
        change = np.where(is_move, p_b - p_a, p_b - p_a + r_a - r_b - 2.0 * p_r)
        keep = np.flatnonzero(change >= threshold - 1e-9)
        for p, r, ga, gb, move, th in zip(
            *(x[keep].tolist() for x in (p_, r_, ga_, gb_, is_move, threshold)), strict=True
        ):
            if grp[p] != ga:
                continue
            if move:
                if (
                    len(members[ga]) > a
                    and len(members[gb]) < b
                    and pb.gain(p, members[gb]) - pb.gain(p, members[ga]) >= th
                    and counts.can_move(p, ga, gb)
                ):
                    counts.shift(p, ga, gb)
            elif grp[r] == gb and counts.swap_change(p, r, ga, gb) >= th and counts.can_swap(p, r, ga, gb):
                counts.shift(p, ga, gb)
                counts.shift(r, gb, ga)


class _GroupCounts:
    """What the group rules read, per group, kept up to date through `shift`: department and
    seniority counts, distinct levels, facilitators, lowest and highest UTC offset, and the
    members; as Python lists for the exact checks of one step and as numpy arrays for judging a
    block of proposals at once (`admissible`, `usefulness`)."""

    def __init__(self, pb: _Problem, st: _State) -> None:
        self.pb, self.st = pb, st
        n_groups = len(st.members)
        self.n_dept = max(pb.dept, default=0) + 1
        self.n_sen = max(pb.sen, default=0) + 1
        self.dept_count = [0] * (n_groups * self.n_dept)
        self.sen_count = [0] * (n_groups * self.n_sen)
        self.distinct = [0] * n_groups
        self.fac_count = [0] * n_groups
        self.lo = [0.0] * n_groups
        self.hi = [0.0] * n_groups
        for g, members in enumerate(st.members):
            for p in members:
                self.dept_count[g * self.n_dept + pb.dept[p]] += 1
                k = g * self.n_sen + pb.sen[p]
                self.distinct[g] += self.sen_count[k] == 0
                self.sen_count[k] += 1
                self.fac_count[g] += pb.fac[p]
            self._span(g)
        self.dmax = pb.dmax if pb.dmax is not None else len(pb.dept) + 1
        self.kmin = pb.kmin or 0
        self.need_fac = pb.spec.require_facilitator
        self.span = math.inf if pb.span is None else pb.span + 1e-9
        # numpy mirrors, brought up to date for both groups of every shift
        self.dept_a, self.sen_a = np.asarray(pb.dept, dtype=np.int64), np.asarray(pb.sen, dtype=np.int64)
        self.fac_a, self.tz_a = np.asarray(pb.fac, dtype=bool), np.asarray(pb.tz, dtype=np.float64)
        self.grp_a = np.asarray(st.grp, dtype=np.int64)
        self.mem = np.full((n_groups, max(map(len, st.members), default=0) + pb.b), -1, dtype=np.int64)
        self.size = np.zeros(n_groups, dtype=np.int64)
        self.dept_count_a = np.zeros(n_groups * self.n_dept, dtype=np.int64)
        self.sen_count_a = np.zeros(n_groups * self.n_sen, dtype=np.int64)
        self.distinct_a = np.zeros(n_groups, dtype=np.int64)
        self.fac_count_a = np.zeros(n_groups, dtype=np.int64)
        self.lo_a, self.hi_a = np.zeros(n_groups), np.zeros(n_groups)
        for g in range(n_groups):
            self._mirror(g)
        lists = pb.nbr
        self.deg = np.array([len(lst) for lst in lists], dtype=np.int64)
        self.nbr = np.array([q for lst in lists for q, _ in lst], dtype=np.int64)
        self.nbr_w = np.array([x for lst in lists for _, x in lst], dtype=np.float64)
        self.first_nbr = np.cumsum(self.deg) - self.deg

    def _span(self, g: int) -> None:
        tz = self.pb.tz
        offsets = [tz[p] for p in self.st.members[g]]
        self.lo[g], self.hi[g] = (min(offsets), max(offsets)) if offsets else (0.0, 0.0)

    def _mirror(self, g: int) -> None:
        row = self.st.members[g]
        self.size[g] = len(row)
        self.mem[g, : len(row)] = row
        d, s = self.n_dept, self.n_sen
        self.dept_count_a[g * d : (g + 1) * d] = self.dept_count[g * d : (g + 1) * d]
        self.sen_count_a[g * s : (g + 1) * s] = self.sen_count[g * s : (g + 1) * s]
        self.distinct_a[g] = self.distinct[g]
        self.fac_count_a[g] = self.fac_count[g]
        self.lo_a[g], self.hi_a[g] = self.lo[g], self.hi[g]

    def admissible(
        self, p: np.ndarray, r: np.ndarray, ga: np.ndarray, gb: np.ndarray, is_move: np.ndarray
    ) -> np.ndarray:
        """Per proposal (p in ga goes to gb, alone or swapped with r in gb): False when it surely
        breaks a rule of either group.  Exact for departments, seniority and facilitators; the
        time-zone span only rejects what no departure can rescue; forbidden pairs are left to
        `can_move`/`can_swap`."""
        nd, ns = self.n_dept, self.n_sen
        dp, dr, sp, sr = self.dept_a[p], self.dept_a[r], self.sen_a[p], self.sen_a[r]
        dc, sc, distinct = self.dept_count_a, self.sen_count_a, self.distinct_a
        into_b = dc[gb * nd + dp] < self.dmax
        ok = np.where(is_move, into_b, (dp == dr) | (into_b & (dc[ga * nd + dr] < self.dmax)))
        if self.kmin:
            lose_a = sc[ga * ns + sp] == 1
            swap_ok = (sp == sr) | (
                (distinct[ga] - lose_a + (sc[ga * ns + sr] == 0) >= self.kmin)
                & (distinct[gb] - (sc[gb * ns + sr] == 1) + (sc[gb * ns + sp] == 0) >= self.kmin)
            )
            ok &= np.where(is_move, ~(lose_a & (distinct[ga] <= self.kmin)), swap_ok)
        if self.need_fac:
            fp, fr, fc = self.fac_a[p], self.fac_a[r], self.fac_count_a
            ok &= np.where(is_move, ~fp | (fc[ga] > 1), (fp == fr) | (fc[np.where(fp, ga, gb)] > 1))
        if self.span < math.inf:
            tp, tr, lo, hi = self.tz_a[p], self.tz_a[r], self.lo_a[gb], self.hi_a[gb]
            leaves_edge = ~is_move & ((tr == lo) | (tr == hi))  # r's leaving may narrow gb's range
            ok &= leaves_edge | ((hi - tp <= self.span) & (tp - lo <= self.span))
        return ok

    def usefulness(
        self, people: np.ndarray, ga: np.ndarray, gb: np.ndarray, other: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per row: each person's summed usefulness to the members of ga, of gb, and to `other`."""
        deg = self.deg[people]
        m = len(people)
        row = np.repeat(np.arange(m), deg)
        at = np.arange(int(deg.sum())) + np.repeat(self.first_nbr[people] - (np.cumsum(deg) - deg), deg)
        nb, w = self.nbr[at], self.nbr_w[at]
        g = self.grp_a[nb]
        return (
            np.bincount(row, weights=w * (g == ga[row]), minlength=m),
            np.bincount(row, weights=w * (g == gb[row]), minlength=m),
            np.bincount(row, weights=w * (nb == other[row]), minlength=m),
        )

    def swap_change(self, p: int, r: int, ga: int, gb: int) -> float:
        """The objective's change when p (in ga) and r (in gb) trade places, from the current groups."""
        pb, members = self.pb, self.st.members
        w_pr = pb.wmap[p].get(r, 0.0)
        return (
            pb.gain(p, members[gb])
            - w_pr
            - pb.gain(p, members[ga])
            + pb.gain(r, members[ga])
            - w_pr
            - pb.gain(r, members[gb])
        )

    def _fits(self, p: int, g: int, leaving: int) -> bool:
        """p may join group g once `leaving` (a member of g, or -1) has left: span and forbidden pairs."""
        pb = self.pb
        t = pb.tz[p]
        if not self.lo[g] <= t <= self.hi[g]:
            tz = pb.tz
            offsets = [tz[x] for x in self.st.members[g] if x != leaving]
            if max(offsets, default=t) - t > self.span or t - min(offsets, default=t) > self.span:
                return False
        grp = self.st.grp
        return not any(grp[x] == g and x != leaving for x in pb.forbid[p])

    def can_move(self, p: int, ga: int, gb: int) -> bool:
        """Sizes are the caller's; the other rules of both groups after p goes from ga to gb."""
        pb = self.pb
        if self.dept_count[gb * self.n_dept + pb.dept[p]] >= self.dmax:
            return False
        if self.kmin and self.sen_count[ga * self.n_sen + pb.sen[p]] == 1 and self.distinct[ga] <= self.kmin:
            return False
        if self.need_fac and pb.fac[p] and self.fac_count[ga] <= 1:
            return False
        return self._fits(p, gb, -1)

    def can_swap(self, p: int, r: int, ga: int, gb: int) -> bool:
        """Every rule of both groups after p (in ga) and r (in gb) trade places."""
        pb = self.pb
        dp, dr = pb.dept[p], pb.dept[r]
        if dp != dr and (
            self.dept_count[ga * self.n_dept + dr] >= self.dmax
            or self.dept_count[gb * self.n_dept + dp] >= self.dmax
        ):
            return False
        sp, sr = pb.sen[p], pb.sen[r]
        if self.kmin and sp != sr:
            for g, out, into in ((ga, sp, sr), (gb, sr, sp)):
                lost = self.sen_count[g * self.n_sen + out] == 1
                new = self.sen_count[g * self.n_sen + into] == 0
                if self.distinct[g] - lost + new < self.kmin:
                    return False
        if self.need_fac and pb.fac[p] != pb.fac[r] and self.fac_count[ga if pb.fac[p] else gb] <= 1:
            return False
        return self._fits(r, ga, p) and self._fits(p, gb, r)

    def shift(self, p: int, ga: int, gb: int) -> None:
        """Move p from group ga to group gb and bring every count up to date."""
        pb, st = self.pb, self.st
        st.members[ga].remove(p)
        st.members[gb].append(p)
        st.grp[p] = gb
        self.dept_count[ga * self.n_dept + pb.dept[p]] -= 1
        self.dept_count[gb * self.n_dept + pb.dept[p]] += 1
        k = ga * self.n_sen + pb.sen[p]
        self.sen_count[k] -= 1
        self.distinct[ga] -= self.sen_count[k] == 0
        k = gb * self.n_sen + pb.sen[p]
        self.distinct[gb] += self.sen_count[k] == 0
        self.sen_count[k] += 1
        self.fac_count[ga] -= pb.fac[p]
        self.fac_count[gb] += pb.fac[p]
        self._span(ga)
        self._span(gb)
        self.grp_a[p] = gb
        self._mirror(ga)
        self._mirror(gb)


# ---------------------------------------------------------------------------------------------
# CP-SAT (tiny instances exactly; small ones for feasibility)


def _cpsat(
    pb: _Problem, optimize: bool, dtime: float, seed: int, n_groups: int | None = None
) -> tuple[list[list[int]] | None, bool]:
    """(groups, proven): proven means optimal when optimising, infeasible when groups is None.
    With ``n_groups``, exactly that many groups.  ``dtime``: CP-SAT deterministic time."""
    n, a, b = pb.n, pb.a, pb.b
    kmax = n // a if n_groups is None else n_groups
    m = cp_model.CpModel()
    x = [[m.new_bool_var("") if k <= p else None for k in range(kmax)] for p in range(n)]
    y = [m.new_bool_var("") for _ in range(kmax)]
    for p in range(n):
        m.add_exactly_one(xv for xv in x[p] if xv is not None)
    for k in range(kmax):
        col = [x[p][k] for p in range(n) if x[p][k] is not None]
        if n_groups is not None:
            m.add(y[k] == 1)
        m.add(sum(col) >= a * y[k])
        m.add(sum(col) <= b * y[k])
        if k + 1 < kmax:
            m.add(y[k] >= y[k + 1])  # symmetry: used groups first
        if pb.span is not None:
            mins = [round(t * 60) for t in pb.tz]
            lo_k = m.new_int_var(min(mins), max(mins), "")
            hi_k = m.new_int_var(min(mins), max(mins), "")
            for p in range(n):
                if x[p][k] is not None:
                    m.add(lo_k <= mins[p]).only_enforce_if(x[p][k])
                    m.add(hi_k >= mins[p]).only_enforce_if(x[p][k])
            m.add(hi_k - lo_k <= math.floor(pb.span * 60 + 1e-6))
        if pb.dmax is not None:
            for d in set(pb.dept):
                lits = [x[p][k] for p in range(n) if pb.dept[p] == d and x[p][k] is not None]
                if len(lits) > pb.dmax:
                    m.add(sum(lits) <= pb.dmax)
        if pb.kmin is not None:
            hs = []
            for lvl in set(pb.sen):
                lits = [x[p][k] for p in range(n) if pb.sen[p] == lvl and x[p][k] is not None]
                if lits:
                    h = m.new_bool_var("")
                    m.add(h <= sum(lits))
                    hs.append(h)
            m.add(sum(hs) >= pb.kmin * y[k])
        if pb.spec.require_facilitator:
            m.add(sum(x[p][k] for p in range(n) if pb.fac[p] and x[p][k] is not None) >= y[k])
    for p in range(n):
        for q in pb.forbid[p]:
            if q < p:
                for k in range(min(q, kmax - 1) + 1):
                    m.add_bool_or([~x[p][k], ~x[q][k]])
    if optimize:
        scale = 1e6 / max(1e-12, max((abs(w) for lst in pb.nbr for _, w in lst), default=1.0))
        terms = []
        for p in range(n):
            for q, wq in pb.nbr[p]:
                if q <= p or wq == 0:
                    continue
                for k in range(min(p, q, kmax - 1) + 1):
                    if x[p][k] is None or x[q][k] is None:
                        continue
                    z = m.new_bool_var("")
                    m.add_implication(z, x[p][k])
                    m.add_implication(z, x[q][k])
                    if wq < 0:
                        m.add_bool_or([z, ~x[p][k], ~x[q][k]])
                    terms.append(round(wq * scale) * z)
        if terms:
            m.maximize(sum(terms))
    solver = deterministic_solver(work=dtime, seed=seed)
    status = solver.solve(m)
    if status == cp_model.INFEASIBLE:
        return None, True
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    groups = [
        [p for p in range(n) if x[p][k] is not None and solver.boolean_value(x[p][k])] for k in range(kmax)
    ]
    return [g for g in groups if g], status == cp_model.OPTIMAL


# ---------------------------------------------------------------------------------------------
# public entry point


def _facilitators(pb: _Problem, groups: list[list[int]]) -> list[int | None]:
    """Per group, the facilitator who is most useful to the rest of the group (ties: lowest id)."""
    out: list[int | None] = []
    for g in groups:
        cands = [p for p in g if pb.fac[p]]
        out.append(max(cands, key=lambda p: (pb.gain(p, g), -p)) if cands else None)
    return out


def _improve(
    pb: _Problem,
    groups: list[list[int]],
    rng: random.Random,
    order: list[int],
    pos: list[int],
    effort: float,
) -> list[list[int]]:
    st = _State(pb, groups)
    per_person, extra_per_person, extra_cap = _ANNEAL_STEPS
    steps = per_person * pb.n + min(extra_per_person * pb.n, extra_cap)
    _anneal(pb, st, rng, order, pos, round(effort * steps))
    return [sorted(g) for g in st.members]


@dataclass
class _Found:
    groups: list[list[int]] | None  # a valid partition, or None
    fewest_proven: bool  # no valid partition has fewer groups (proven)
    impossible_proven: bool  # groups is None and no valid partition exists (proven)
    optimal: bool = False  # groups is proven optimal (exact CP-SAT)


def _partition(
    pb: _Problem,
    counts: list[int],
    rng: random.Random,
    order: list[int],
    pos: list[int],
    effort: float,
    seed: int,
    random_start: bool,
) -> _Found:
    """A valid partition with the fewest groups found: group counts are tried in increasing
    order, and a count is left only when its attempt failed (a CP-SAT proof up to
    _CPSAT_FEASIBILITY_N people; past that, the work budget ran out).  Starts are blocks by time
    zone, or time zone with random tie-breaks for the usefulness-blind baseline."""
    n = pb.n
    lo, hi = _tz_dp(pb, order)
    # Outside [lo, hi] no partition meets sizes and spans (contiguous blocks are without loss there).
    possible = [g for g in counts if lo[n] <= g <= hi[n]]
    tries = possible[: 3 if random_start else 12]
    smaller_proven = True  # every count tried so far is proven impossible
    if n <= _EXACT_N and not random_start:
        for g in tries:
            groups, proven = _cpsat(pb, True, effort * _EXACT_DTIME, seed, g)
            if groups is not None:
                return _Found(groups, smaller_proven, False, optimal=proven)
            if not proven:
                smaller_proven = False
                break
        else:
            return _Found(None, False, len(tries) == len(possible))
    per_start = round(effort * (_REPAIR_STEPS[0] * n + _REPAIR_STEPS[1]))
    steps_left = _REPAIR_STARTS * per_start
    windows = _WINDOWS
    models = _FEASIBILITY_MODELS if n <= _CPSAT_FEASIBILITY_N and not random_start else 0
    for g in tries:
        if random_start:
            keys = [rng.random() for _ in range(n)]
            perm = sorted(range(n), key=lambda p: (pb.tz[p], keys[p]))
            start = _tz_blocks(pb, perm, g, lo, hi) or _even_blocks(perm, g)
        else:
            start = _tz_blocks(pb, order, g, lo, hi) or _even_blocks(order, g)
        st = _State(pb, start)
        steps = min(per_start, steps_left)
        steps_left -= steps
        valid = _repair(pb, st, rng, order, pos, steps)
        if not valid and windows > 0:
            valid, windows = _window_repair(pb, st, rng.randrange(2**31), windows, effort * _WINDOW_DTIME)
        if valid:
            return _Found([sorted(m) for m in st.members], smaller_proven, False)
        if models > 0:
            models -= 1
            groups, proven = _cpsat(pb, False, effort * _FEASIBILITY_DTIME, seed, g)
            if groups is not None:
                return _Found(groups, smaller_proven, False)
            if proven:
                continue
        smaller_proven = False
    return _Found(None, False, smaller_proven and len(tries) == len(possible))


def form_circles(
    n: int,
    u: np.ndarray,
    v: np.ndarray,
    w: np.ndarray,
    *,
    spec: CircleSpec,
    utc_offset_hours: np.ndarray,
    department: np.ndarray,
    seniority: np.ndarray,
    can_facilitate: np.ndarray,
    forbidden: tuple[np.ndarray, np.ndarray] | None = None,
    seed: int = 0,
    effort: float = 1.0,
    compute_baseline: bool = False,
) -> Circles:
    """Partition people 0..n-1 into circles; see the module docstring for the method.

    ``forbidden``: two arrays of people, pairwise, who must never share a circle."""
    if not (math.isfinite(effort) and effort > 0):
        raise ValueError(f"effort must be a positive number, got {effort!r}")
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    w = np.asarray(w, dtype=np.float64)
    if not (len(u) == len(v) == len(w)):
        raise ValueError("u, v, w must have one length")
    if len(u) and (min(u.min(), v.min()) < 0 or max(u.max(), v.max()) >= n):
        raise ValueError(f"edge endpoints must be in 0..{n - 1}")
    if not np.all(np.isfinite(w)):
        raise ValueError("weights must be finite")
    if forbidden is not None:
        forbidden = (np.asarray(forbidden[0], dtype=np.int64), np.asarray(forbidden[1], dtype=np.int64))
        fu, fv = forbidden
        if len(fu) != len(fv):
            raise ValueError("forbidden must be two arrays of one length")
        if len(fu) and (min(fu.min(), fv.min()) < 0 or max(fu.max(), fv.max()) >= n):
            raise ValueError(f"forbidden pairs must be in 0..{n - 1}")
    attrs = {
        "utc_offset_hours": utc_offset_hours,
        "department": department,
        "seniority": seniority,
        "can_facilitate": can_facilitate,
    }
    for name, arr in attrs.items():
        if len(arr) != n:
            raise ValueError(f"{name} has {len(arr)} entries for {n} people")
    pb = _Problem(
        n,
        u,
        v,
        w,
        spec,
        np.asarray(utc_offset_hours, dtype=np.float64),
        np.asarray(department),
        np.asarray(seniority),
        np.asarray(can_facilitate, dtype=bool),
        forbidden,
    )
    if n == 0:
        return Circles([], [], 0.0, None if not compute_baseline else 0.0, True, [])
    counts, reasons = _group_count(pb)
    order = sorted(range(n), key=lambda p: (pb.tz[p], p))
    pos = [0] * n
    for i, p in enumerate(order):
        pos[p] = i
    if not reasons:
        lo, hi = _tz_dp(pb, order)
        if hi[n] < 0:
            # Sizes and span alone already fail; contiguous blocks are without loss for those two.
            reasons.append(
                f"UTC offsets can't be split into groups of {pb.a} to {pb.b} spanning at most {pb.span:g} h"
            )
        elif not any(lo[n] <= g <= hi[n] for g in counts):
            reasons.append(
                f"time-zone spans need {lo[n]} to {hi[n]} groups, but the other limits allow "
                f"{counts[0]} to {counts[-1]}"
            )
    if reasons:
        return _infeasible(pb, order, reasons)

    rng = random.Random(seed)
    found = _partition(pb, counts, rng, order, pos, effort, seed, random_start=False)
    if found.groups is None:
        proven = "no partition meets every constraint (proven by CP-SAT)"
        return _infeasible(pb, order, [proven if found.impossible_proven else _OUT_OF_WORK])
    groups = found.groups if found.optimal else _improve(pb, found.groups, rng, order, pos, effort)
    baseline = None
    if compute_baseline:
        # The same budgets, from a usefulness-blind valid partition.
        brng = random.Random(seed + 1)
        start = _partition(pb, counts, brng, order, pos, effort, seed, random_start=True).groups
        if start is not None:
            baseline = pb.objective(_improve(pb, start, brng, order, pos, effort))
    groups = sorted((sorted(g) for g in groups), key=lambda g: g[0])
    violations = [msg for gi, g in enumerate(groups) for msg in pb.describe(gi, g)]
    return Circles(
        groups,
        _facilitators(pb, groups),
        pb.objective(groups),
        baseline,
        not violations,
        violations,
        fewest_groups_proven=found.fewest_proven,
    )


def _infeasible(pb: _Problem, order: list[int], reasons: list[str]) -> Circles:
    """Best-effort partition (blocks by time zone) with the reasons no valid one exists."""
    n = pb.n
    g = max(1, min(n // max(1, pb.a), math.ceil(n / max(1, pb.b)))) if n else 0
    groups = [sorted(b) for b in _even_blocks(order, g)] if n else []
    groups = [b for b in groups if b]
    return Circles(groups, _facilitators(pb, groups), pb.objective(groups), None, False, reasons)
