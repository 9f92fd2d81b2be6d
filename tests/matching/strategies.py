"""Small random instances for property tests, and a naive re-implementation of the hard rules."""

from __future__ import annotations

import dataclasses

from hypothesis import strategies as st

from mentora.matching.instance import Instance, Person, Program

SKILLS = ["kubernetes", "sql", "negotiation"]
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London"]
DEPARTMENTS = ["Engineering", "Sales", "Finance"]
WORDS = ["leadership", "cloud", "customers", "growth", "strategy", "data"]


@st.composite
def people_lists(draw: st.DrawFn, *, max_mentees: int = 6, max_mentors: int = 4, peers: bool = False) -> list:
    if peers:
        roles = ["peer"] * draw(st.integers(2, 9))
    else:
        roles = ["mentee"] * draw(st.integers(1, max_mentees)) + ["mentor"] * draw(
            st.integers(1, max_mentors)
        )
    roles = draw(st.permutations(roles))
    n = len(roles)
    ids = [f"x{i}" for i in range(n)]
    people = []
    for i, role in enumerate(roles):
        manager = draw(st.one_of(st.none(), st.integers(0, i - 1))) if i > 0 else None
        offered = draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(0, 5), max_size=3))
        wanted = draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 3), max_size=2))
        assessed = {s: draw(st.integers(0, 3)) for s in wanted if draw(st.booleans())}
        others = [ids[j] for j in range(n) if j != i]
        start = draw(st.sampled_from([7.0, 9.0, 11.0]))
        people.append(
            Person(
                id=ids[i],
                roles=frozenset({role}),
                seniority=draw(st.integers(1, 10)),
                timezone=draw(st.sampled_from(ZONES)),
                capacity=draw(st.integers(0, 3)) if role == "mentor" else 0,
                offered_skills=offered,
                wanted_skills=wanted,
                self_assessment=assessed,
                goals=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=4))),
                department=draw(st.sampled_from(DEPARTMENTS)),
                job_family=draw(st.sampled_from(["eng", "biz"])),
                manager_id=ids[manager] if manager is not None else None,
                hours_per_week=draw(st.sampled_from([0.5, 1.0, 3.0])),
                work_start=start,
                work_end=start + 8,
                languages=tuple(
                    draw(st.lists(st.sampled_from(["en", "de", "ja"]), min_size=1, max_size=2, unique=True))
                ),
                location=draw(st.sampled_from(["Berlin", "NYC", "Tokyo"])),
                meeting_mode=draw(st.sampled_from(["remote", "in_person", "hybrid"])),
                preferences=tuple(draw(st.lists(st.sampled_from(others), max_size=2, unique=True)))
                if others
                else (),
                blocks=frozenset(draw(st.lists(st.sampled_from(others), max_size=1)))
                if others
                else frozenset(),
                previous_partners=frozenset(draw(st.lists(st.sampled_from(others), max_size=1)))
                if others
                else frozenset(),
                under_sponsored=draw(st.booleans()),
                demographic_group=draw(st.one_of(st.none(), st.sampled_from(["a", "b"]))),
            )
        )
    return people


@st.composite
def instances(draw: st.DrawFn, *, fmt: str = "one_to_one", **kwargs) -> Instance:
    people = draw(people_lists(peers=fmt == "peer", **kwargs))
    program = Program(
        format=fmt,
        candidate_limit=None,
        min_tz_overlap_hours=draw(st.sampled_from([0.0, 2.0])),
        min_level_gap=draw(st.integers(0, 2)),
        diversity_dial=draw(st.sampled_from([0.0, 0.5, 1.0])),
        seed=draw(st.integers(0, 3)),
    )
    return Instance(program=program, people=tuple(people))


def naive_eligible(instance: Instance, mentee: Person, mentor: Person) -> bool:
    """The hard rules written the slow, obvious way, for comparison with the vectorised ones."""
    from mentora.matching.population import utc_offset_hours

    prog = instance.program
    by_id = {p.id: p for p in instance.people}

    def chain(p: Person) -> set[str]:
        out = set()
        while p.manager_id is not None:
            out.add(p.manager_id)
            p = by_id[p.manager_id]
        return out

    if mentee.id == mentor.id:
        return False
    if prog.format in ("one_to_one", "reverse") and mentor.capacity <= 0:
        return False
    diff = mentor.seniority - mentee.seniority
    if prog.format == "one_to_one" and diff < prog.min_seniority_gap:
        return False
    if prog.format == "reverse" and -diff < prog.min_seniority_gap:
        return False
    if prog.format == "peer" and abs(diff) > prog.peer_max_seniority_gap:
        return False
    if mentor.id in chain(mentee) or mentee.id in chain(mentor):
        return False
    if mentor.id in mentee.blocks or mentee.id in mentor.blocks:
        return False
    if mentor.id in mentee.previous_partners or mentee.id in mentor.previous_partners:
        return False
    if not set(mentee.languages) & set(mentor.languages):
        return False
    import datetime as dt

    # minute by minute over one UTC day (offsets on the reference date, a one-day cycle)
    day = dt.date.fromisoformat(prog.reference_date)

    def at_work(p: Person) -> set[int]:
        shift = round(utc_offset_hours(p.timezone, day) * 60)
        return {t for t in range(1440) if p.work_start * 60 <= (t + shift) % 1440 < p.work_end * 60}

    overlap = len(at_work(mentee) & at_work(mentor)) / 60
    if overlap < prog.min_tz_overlap_hours - 1e-9:
        return False

    def fits(learner: Person, teacher: Person) -> bool:
        if not learner.wanted_skills:
            return True
        return any(
            teacher.offered_skills.get(s, 0) >= max(learner.self_level(s) + prog.min_level_gap, 1)
            for s in learner.wanted_skills
        )

    if prog.format == "peer":
        return fits(mentee, mentor) or fits(mentor, mentee)
    return fits(mentee, mentor)


def with_group(instance: Instance, groups: list[str | None]) -> Instance:
    people = tuple(
        dataclasses.replace(p, demographic_group=g) for p, g in zip(instance.people, groups, strict=True)
    )
    return dataclasses.replace(instance, people=people)
