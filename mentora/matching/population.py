"""An instance compiled to numpy arrays: one row per person, codes instead of strings.

Everything that scoring and eligibility read lives here, as flat arrays, so that both can work
on millions of candidate edges at once. The demographic group is deliberately NOT compiled:
it is only read by the fairness report, straight from the Person objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

import numpy as np
import scipy.sparse as sp

from mentora.matching.instance import MEETING_MODES, Instance, Person, Program
from mentora.matching.text import tfidf_matrix

PRIORITY_WEIGHT = np.array([0.0, 1.0, 0.6, 0.3])  # index = priority 1 (high) .. 3 (low)
PRIORITY_NAME = {1: "high", 2: "medium", 3: "low"}
_DENSE_LEVEL_LIMIT = 300_000_000
WEEK_DAYS = 7
# Up to this many distinct (zone, working window) profiles, the overlap of every profile pair is
# tabulated once (profiles x profiles floats) and each edge is one look-up.
_OVERLAP_TABLE_PROFILES = 2_000


def _codes(values: list[str]) -> tuple[np.ndarray, list[str]]:
    labels, codes = np.unique(np.array(values, dtype=object).astype(str), return_inverse=True)
    return codes.astype(np.int32), list(labels)


def utc_offset_hours(tz: str, on: dt.date) -> float:
    """The zone's UTC offset at local noon on that date (noon is never inside a daylight-saving jump)."""
    moment = dt.datetime(on.year, on.month, on.day, 12, tzinfo=ZoneInfo(tz))
    offset = moment.utcoffset()
    return 0.0 if offset is None else offset.total_seconds() / 3600.0


def cycle_dates(program: Program) -> list[dt.date]:
    """Every date of the cycle, reference_date to cycle_end (the reference date alone without one)."""
    first = dt.date.fromisoformat(program.reference_date)
    last = dt.date.fromisoformat(program.cycle_end) if program.cycle_end else first
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


@dataclass(frozen=True)
class CycleOffsets:
    """Time-zone offsets over a cycle, reduced to what the weekly overlap needs.

    offsets[z, r]: UTC offset (hours) of zone z in regime r, a regime being one distinct combination of
    all zones' offsets on some date of the cycle. week_weights[m, r]: the share of days of regime r in
    one 7-day window of the cycle (all of the cycle when shorter than a week); only distinct windows are
    kept. The weekly overlap of a pair is the minimum over windows of the weighted daily overlaps.
    """

    offsets: np.ndarray  # float64 (zones, regimes)
    week_weights: np.ndarray  # float64 (windows, regimes)


def cycle_offsets(zones: list[str], dates: list[dt.date]) -> CycleOffsets:
    table = np.array([[utc_offset_hours(z, d) for d in dates] for z in zones], dtype=np.float64)
    table = table.reshape(len(zones), len(dates))
    regimes, regime_of_day = np.unique(table, axis=1, return_inverse=True)
    regime_of_day = regime_of_day.reshape(-1)
    days = min(WEEK_DAYS, len(dates))
    windows = np.lib.stride_tricks.sliding_window_view(regime_of_day, days)
    counts = np.stack([(windows == r).sum(axis=1) for r in range(regimes.shape[1])], axis=1)
    return CycleOffsets(offsets=regimes, week_weights=np.unique(counts, axis=0) / days)


def daily_overlap_hours(
    start_a: np.ndarray, length_a: np.ndarray, start_b: np.ndarray, length_b: np.ndarray, shift: np.ndarray
) -> np.ndarray:
    """Hours per day both are at work: a's window [start_a, start_a + length_a) in a's local time, b's
    window in b's local time, a's clock ahead of b's by `shift` hours (any value; windows repeat daily).

    In a's clock b's window starts at x = start_b + shift - start_a (mod 24) hours after a's start, so
    only b's window of the same day and of the day before can meet a's: exact for every pair of offsets.
    """
    x = np.mod(start_b + shift - start_a, 24.0)
    same_day = np.clip(np.minimum(length_a, x + length_b) - x, 0.0, None)
    day_before = np.clip(np.minimum(length_a, x - 24.0 + length_b), 0.0, None)
    return same_day + day_before


@dataclass
class Population:
    instance: Instance
    ids: list[str]
    index: dict[str, int]
    skills: list[str]
    skill_index: dict[str, int]
    seniority: np.ndarray
    capacity: np.ndarray
    department: np.ndarray
    departments: list[str]
    job_family: np.ndarray
    location: np.ndarray
    locations: list[str]
    meeting_mode: np.ndarray
    utc_offset: np.ndarray  # on the reference date
    zone: np.ndarray  # code into cycle.offsets
    cycle: CycleOffsets
    work_start: np.ndarray  # local hours
    work_end: np.ndarray
    hours: np.ndarray
    language_bits: np.ndarray  # (n, words) uint64
    first_language: np.ndarray
    languages: list[str]
    manager: np.ndarray  # -1 for roots
    under_sponsored: np.ndarray
    # offered skills as a sparse (person x skill) level matrix, and the entries as flat arrays
    offered: sp.csr_matrix
    # wanted skills, padded to (n, w): skill code (-1 = none), priority weight, self level
    want_skill: np.ndarray
    want_weight: np.ndarray
    want_self: np.ndarray
    want_priority: np.ndarray
    n_wanted: np.ndarray
    pair_keys_blocked: np.ndarray  # sorted int64 keys min*n+max
    pair_keys_previous: np.ndarray
    pref_keys: np.ndarray  # sorted keys chooser*n+chosen
    pref_score: np.ndarray  # 1 for first choice .. >0 for last
    pref_rank: np.ndarray
    roles: list[frozenset[str]]

    @property
    def n(self) -> int:
        return len(self.ids)

    @cached_property
    def level_dense(self) -> np.ndarray | None:
        if self.n * max(len(self.skills), 1) > _DENSE_LEVEL_LIMIT:
            return None
        return self.offered.toarray().astype(np.int8)

    def level(self, person: np.ndarray, skill: np.ndarray) -> np.ndarray:
        """Offered level of person[i] in skill[i] (0 when not offered); skill -1 gives 0."""
        valid = skill >= 0
        s = np.where(valid, skill, 0)
        dense = self.level_dense
        if dense is not None:
            out = dense[person, s].astype(np.int16)
        else:
            keys, levels = self._offered_lookup
            pos, found = lookup_pairs(keys, person.astype(np.int64) * len(self.skills) + s)
            out = np.where(found, levels[pos], 0).astype(np.int16)
        return np.where(valid, out, 0)

    @cached_property
    def _offered_lookup(self) -> tuple[np.ndarray, np.ndarray]:
        """Sorted keys person * len(skills) + skill of the offered entries, and their levels."""
        coo = self.offered.tocoo()
        keys = coo.row.astype(np.int64) * len(self.skills) + coo.col
        order = np.argsort(keys)
        return keys[order], coo.data[order].astype(np.int16)

    @cached_property
    def work_profile(self) -> tuple[np.ndarray, np.ndarray]:
        """(profile code per person, profile x profile weekly overlap table or None when too many)."""
        keys = np.stack([self.zone.astype(np.float64), self.work_start, self.work_end], axis=1)
        profiles, code = np.unique(keys, axis=0, return_inverse=True)
        code = code.reshape(-1)
        if len(profiles) > _OVERLAP_TABLE_PROFILES:
            return code, None
        a, b = np.divmod(np.arange(len(profiles) ** 2), len(profiles))
        zone, start, end = profiles[:, 0].astype(np.int64), profiles[:, 1], profiles[:, 2]
        table = self._weekly_overlap(zone[a], start[a], end[a], zone[b], start[b], end[b])
        return code, table.reshape(len(profiles), len(profiles))

    def _weekly_overlap(self, zone_a, start_a, end_a, zone_b, start_b, end_b) -> np.ndarray:
        offsets, weights = self.cycle.offsets, self.cycle.week_weights
        daily = np.stack(
            [
                daily_overlap_hours(
                    start_a,
                    end_a - start_a,
                    start_b,
                    end_b - start_b,
                    offsets[zone_a, r] - offsets[zone_b, r],
                )
                for r in range(offsets.shape[1])
            ],
            axis=-1,
        )
        return (daily @ weights.T).min(axis=-1)

    @cached_property
    def tfidf(self) -> tuple[sp.csr_matrix, list[str]]:
        """(L2-normalised TF-IDF matrix of goals, vocabulary)."""
        return tfidf_matrix([p.goals for p in self.instance.people])

    @cached_property
    def subtree_spans(self) -> tuple[np.ndarray, np.ndarray]:
        """(position in a depth-first walk of the manager forest, size of the subtree) per person:
        a manages b at some depth exactly when position[a] < position[b] < position[a] + size[a]."""
        managers = self.manager.tolist()
        children: list[list[int]] = [[] for _ in range(self.n)]
        roots = []
        for person, boss in enumerate(managers):
            (roots if boss < 0 else children[boss]).append(person)
        walk: list[int] = []  # people in walk order; the manager tree has no cycle (instance check)
        stack = roots[::-1]
        while stack:
            person = stack.pop()
            walk.append(person)
            stack.extend(reversed(children[person]))
        sizes = [1] * self.n
        for person in reversed(walk):  # every subtree is complete before its manager is reached
            if managers[person] >= 0:
                sizes[managers[person]] += sizes[person]
        position = np.empty(self.n, dtype=np.int64)
        position[np.array(walk, dtype=np.int64)] = np.arange(self.n)
        size = np.array(sizes, dtype=np.int64)
        return position, size

    def same_reporting_line(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """True where a is an ancestor of b or b of a (manager, skip-level or deeper)."""
        position, size = self.subtree_spans
        pa, pb = position[a], position[b]
        return ((pa < pb) & (pb < pa + size[a])) | ((pb < pa) & (pa < pb + size[b]))


def build_population(instance: Instance) -> Population:
    people: tuple[Person, ...] = instance.people
    n = len(people)
    ids = [p.id for p in people]
    index = {pid: i for i, pid in enumerate(ids)}
    ref = dt.date.fromisoformat(instance.program.reference_date)
    zones = sorted({p.timezone for p in people})
    zone_code = {z: i for i, z in enumerate(zones)}

    skills = sorted(
        {s for p in people for s in p.offered_skills} | {s for p in people for s in p.wanted_skills}
    )
    skill_index = {s: i for i, s in enumerate(skills)}

    rows, cols, vals = [], [], []
    for i, p in enumerate(people):
        for s, lvl in p.offered_skills.items():
            if lvl > 0:
                rows.append(i)
                cols.append(skill_index[s])
                vals.append(lvl)
    offered = sp.csr_matrix(
        (np.array(vals, dtype=np.int16), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
        shape=(n, max(len(skills), 1)),
    )

    w = max([len(p.wanted_skills) for p in people] + [1])
    want_skill = np.full((n, w), -1, dtype=np.int32)
    want_priority = np.zeros((n, w), dtype=np.int8)
    want_self = np.zeros((n, w), dtype=np.int8)
    for i, p in enumerate(people):
        for j, (s, prio) in enumerate(sorted(p.wanted_skills.items(), key=lambda kv: (kv[1], kv[0]))):
            want_skill[i, j] = skill_index[s]
            want_priority[i, j] = prio
            want_self[i, j] = p.self_level(s)
    want_weight = PRIORITY_WEIGHT[want_priority]

    tz_offset = {tz: utc_offset_hours(tz, ref) for tz in zones}
    utc_offset = np.array([tz_offset[p.timezone] for p in people], dtype=np.float64)

    lang_labels = sorted({lang for p in people for lang in p.languages})
    lang_index = {lang: i for i, lang in enumerate(lang_labels)}
    words = max(1, (len(lang_labels) + 63) // 64)
    bits = np.zeros((n, words), dtype=np.uint64)
    for i, p in enumerate(people):
        for lang in p.languages:
            k = lang_index[lang]
            bits[i, k // 64] |= np.uint64(1) << np.uint64(k % 64)
    first_language = np.array([lang_index[p.languages[0]] for p in people], dtype=np.int32)

    department, departments = _codes([p.department for p in people])
    job_family, _ = _codes([p.job_family for p in people])
    location, locations = _codes([p.location for p in people])
    mode_code = {m: i for i, m in enumerate(MEETING_MODES)}

    def pair_keys(attr: str) -> np.ndarray:
        keys = []
        for i, p in enumerate(people):
            for other in getattr(p, attr):
                j = index[other]
                keys.append(min(i, j) * n + max(i, j))
        return np.unique(np.array(keys, dtype=np.int64))

    pref_keys, pref_score, pref_rank = [], [], []
    for i, p in enumerate(people):
        k = len(p.preferences)
        for r, other in enumerate(p.preferences):
            pref_keys.append(i * n + index[other])
            pref_score.append(1.0 - r / k)
            pref_rank.append(r + 1)
    pk = np.array(pref_keys, dtype=np.int64)
    order = np.argsort(pk, kind="stable")

    return Population(
        instance=instance,
        ids=ids,
        index=index,
        skills=skills,
        skill_index=skill_index,
        seniority=np.array([p.seniority for p in people], dtype=np.int16),
        capacity=np.array([p.capacity for p in people], dtype=np.int64),
        department=department,
        departments=departments,
        job_family=job_family,
        location=location,
        locations=locations,
        meeting_mode=np.array([mode_code[p.meeting_mode] for p in people], dtype=np.int8),
        utc_offset=utc_offset,
        zone=np.array([zone_code[p.timezone] for p in people], dtype=np.int64),
        cycle=cycle_offsets(zones, cycle_dates(instance.program)),
        work_start=np.array([p.work_start for p in people], dtype=np.float64),
        work_end=np.array([p.work_end for p in people], dtype=np.float64),
        hours=np.array([p.hours_per_week for p in people], dtype=np.float64),
        language_bits=bits,
        first_language=first_language,
        languages=lang_labels,
        manager=np.array([index[p.manager_id] if p.manager_id else -1 for p in people], dtype=np.int64),
        under_sponsored=np.array([p.under_sponsored for p in people], dtype=bool),
        offered=offered,
        want_skill=want_skill,
        want_weight=want_weight,
        want_self=want_self,
        want_priority=want_priority,
        n_wanted=(want_skill >= 0).sum(axis=1),
        pair_keys_blocked=pair_keys("blocks"),
        pair_keys_previous=pair_keys("previous_partners"),
        pref_keys=pk[order],
        pref_score=np.array(pref_score, dtype=np.float64)[order],
        pref_rank=np.array(pref_rank, dtype=np.int64)[order],
        roles=[p.roles for p in people],
    )


def overlap_hours(pop: Population, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Shared working hours per day of each pair in the worst week of the cycle (minimum over every
    7-day window of the cycle of the hours both are at work, divided by 7), exact for any zones."""
    code, table = pop.work_profile
    if table is not None:
        return table[code[a], code[b]]
    return pop._weekly_overlap(
        pop.zone[a], pop.work_start[a], pop.work_end[a], pop.zone[b], pop.work_start[b], pop.work_end[b]
    )


def lookup_pairs(keys: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of query in sorted keys, and whether each was found."""
    if len(keys) == 0:
        return np.zeros(np.shape(query), dtype=np.int64), np.zeros(np.shape(query), dtype=bool)
    pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return pos, keys[pos] == query
