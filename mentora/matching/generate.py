"""Realistic synthetic instances: skills by job family, reporting trees per department, several
regions' time zones and languages, private self-assessments, a few preferences and blocks."""

from __future__ import annotations

import numpy as np

from mentora.matching.instance import CircleRules, Instance, Person, Program

JOB_FAMILIES: dict[str, list[str]] = {
    "engineering": [
        "python",
        "go",
        "kubernetes",
        "system design",
        "cloud architecture",
        "testing",
        "security",
        "devops",
        "frontend",
        "databases",
        "incident management",
        "code review",
    ],
    "data": [
        "sql",
        "statistics",
        "machine learning",
        "data engineering",
        "experimentation",
        "data visualisation",
        "forecasting",
        "python",
        "data governance",
        "mlops",
    ],
    "product": [
        "product discovery",
        "roadmapping",
        "user research",
        "pricing",
        "analytics",
        "go to market",
        "prioritisation",
        "product strategy",
    ],
    "design": [
        "interaction design",
        "visual design",
        "design systems",
        "user research",
        "prototyping",
        "accessibility",
        "service design",
    ],
    "sales": [
        "enterprise sales",
        "negotiation",
        "account management",
        "forecasting",
        "sales engineering",
        "partnerships",
        "pipeline management",
    ],
    "marketing": [
        "brand",
        "content marketing",
        "seo",
        "social media",
        "marketing analytics",
        "events",
        "product marketing",
    ],
    "finance": [
        "financial planning",
        "accounting",
        "treasury",
        "tax",
        "controlling",
        "investor relations",
        "procurement",
    ],
    "people": [
        "recruiting",
        "learning and development",
        "compensation",
        "employee relations",
        "organisation design",
        "diversity and inclusion",
    ],
    "operations": [
        "supply chain",
        "logistics",
        "lean",
        "quality management",
        "vendor management",
        "process improvement",
    ],
    "legal": ["contracts", "privacy", "compliance", "intellectual property", "employment law"],
}
GENERAL_SKILLS = [
    "leadership",
    "public speaking",
    "stakeholder management",
    "career planning",
    "coaching",
    "writing",
    "project management",
    "managing managers",
    "strategy",
    "change management",
]
DEPARTMENTS: dict[str, list[str]] = {
    "engineering": ["Platform Engineering", "Product Engineering", "Infrastructure"],
    "data": ["Data Science", "Analytics"],
    "product": ["Product Management"],
    "design": ["Design"],
    "sales": ["Sales EMEA", "Sales Americas", "Sales APAC"],
    "marketing": ["Marketing"],
    "finance": ["Finance"],
    "people": ["People"],
    "operations": ["Operations", "Customer Support"],
    "legal": ["Legal"],
}
FAMILY_WEIGHT = {
    "engineering": 0.28,
    "data": 0.1,
    "product": 0.07,
    "design": 0.05,
    "sales": 0.14,
    "marketing": 0.07,
    "finance": 0.07,
    "people": 0.05,
    "operations": 0.13,
    "legal": 0.04,
}
REGIONS = {
    "americas": [
        ("America/New_York", "New York", "es"),
        ("America/Chicago", "Chicago", "es"),
        ("America/Los_Angeles", "San Francisco", "es"),
        ("America/Sao_Paulo", "São Paulo", "pt"),
        ("America/Toronto", "Toronto", "fr"),
        ("America/Mexico_City", "Mexico City", "es"),
    ],
    "emea": [
        ("Europe/London", "London", "fr"),
        ("Europe/Berlin", "Berlin", "de"),
        ("Europe/Paris", "Paris", "fr"),
        ("Europe/Madrid", "Madrid", "es"),
        ("Africa/Lagos", "Lagos", "yo"),
        ("Asia/Dubai", "Dubai", "ar"),
    ],
    "apac": [
        ("Asia/Kolkata", "Bangalore", "hi"),
        ("Asia/Singapore", "Singapore", "zh"),
        ("Asia/Tokyo", "Tokyo", "ja"),
        ("Australia/Sydney", "Sydney", "en"),
    ],
}
REGION_WEIGHT = {"americas": 0.4, "emea": 0.4, "apac": 0.2}
ASPIRATIONS = [
    "people manager",
    "staff engineer",
    "principal",
    "team lead",
    "product leader",
    "specialist",
    "director",
    "founder",
    "consultant",
    "executive",
]
VALUES = [
    "customer impact",
    "sustainability",
    "inclusive teams",
    "innovation",
    "craft quality",
    "open source",
    "international growth",
    "operational excellence",
    "community",
    "work life balance",
]
DEMOGRAPHIC_GROUPS = ["group a", "group b", "group c", "group d"]
MODES = ["remote", "hybrid", "in_person"]


def _choice(rng: np.random.Generator, options: dict[str, float], size: int) -> np.ndarray:
    keys = list(options)
    p = np.array([options[k] for k in keys])
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=size, p=p / p.sum())]


def generate_instance(
    *,
    mentees: int = 0,
    mentors: int = 0,
    peers: int = 0,
    seed: int = 0,
    program_format: str | None = None,
    candidate_limit: int | None = 40,
) -> Instance:
    """mentees + mentors + peers people in one organisation; format defaults to one_to_one, or peer when
    only peers are asked for."""
    rng = np.random.default_rng(seed)
    n = mentees + mentors + peers
    role = np.array(["mentee"] * mentees + ["mentor"] * mentors + ["peer"] * peers, dtype=object)
    family = _choice(rng, FAMILY_WEIGHT, n)
    dept = np.array([DEPARTMENTS[f][rng.integers(len(DEPARTMENTS[f]))] for f in family], dtype=object)
    seniority = np.where(
        role == "mentee",
        rng.choice(np.arange(1, 7), size=n, p=[0.2, 0.25, 0.25, 0.15, 0.1, 0.05]),
        np.where(
            role == "mentor",
            rng.choice(np.arange(4, 11), size=n, p=[0.1, 0.2, 0.2, 0.2, 0.15, 0.1, 0.05]),
            rng.integers(2, 8, size=n),
        ),
    )
    region = _choice(rng, REGION_WEIGHT, n)
    # regional sales teams live in their region
    for r, name in (("emea", "Sales EMEA"), ("americas", "Sales Americas"), ("apac", "Sales APAC")):
        region[dept == name] = r
    site = np.array([rng.integers(len(REGIONS[r])) for r in region])

    # reporting tree per department: the more senior manage the less senior, spans of about 6
    manager = np.full(n, -1)
    ids = [f"p{i:07d}" for i in range(n)]
    for d in np.unique(dept):
        members = np.flatnonzero(dept == d)
        order = members[np.lexsort((rng.random(len(members)), -seniority[members]))]
        ranks = np.arange(len(order))
        manager[order[1:]] = order[(ranks[1:] - 1) // 6]

    people = []
    unders = rng.random(n) < 0.1
    consent = rng.random(n) < 0.6
    group = rng.integers(len(DEMOGRAPHIC_GROUPS), size=n)
    modes = rng.choice(3, size=n, p=[0.7, 0.2, 0.1])
    mentor_idx = np.flatnonzero(role == "mentor")
    for i in range(n):
        fam = family[i]
        own = JOB_FAMILIES[fam]
        tz, city, local_lang = REGIONS[region[i]][site[i]]
        langs = (
            ["en"] if local_lang == "en" else (["en", local_lang] if rng.random() < 0.85 else [local_lang])
        )
        offered: dict[str, int] = {}
        wanted: dict[str, int] = {}
        self_assessment: dict[str, int] = {}
        if role[i] in ("mentor", "peer"):
            k = int(rng.integers(3, 7))
            for s in rng.choice(own, size=min(k - 1, len(own)), replace=False):
                offered[str(s)] = int(rng.integers(3, 6)) if role[i] == "mentor" else int(rng.integers(2, 5))
            g = GENERAL_SKILLS[int(rng.integers(len(GENERAL_SKILLS)))]
            offered[g] = int(rng.integers(2, 6))
            if rng.random() < 0.15:  # a cross-family skill
                other = JOB_FAMILIES[str(rng.choice(list(JOB_FAMILIES)))]
                offered.setdefault(str(other[int(rng.integers(len(other)))]), int(rng.integers(2, 5)))
        if role[i] in ("mentee", "peer"):
            k = int(rng.choice([1, 2, 3], p=[0.3, 0.45, 0.25]))
            for j in range(k):
                pool = own if rng.random() < 0.7 else GENERAL_SKILLS
                s = str(pool[int(rng.integers(len(pool)))])
                if s in offered or s in wanted:
                    continue
                wanted[s] = j + 1
                self_assessment[s] = int(rng.integers(0, 3))
        goal_skills = ", ".join(list(wanted)[:2] or list(offered)[:2])
        goals = (
            f"I want to become a {ASPIRATIONS[int(rng.integers(len(ASPIRATIONS)))]} and care about "
            f"{VALUES[int(rng.integers(len(VALUES)))]}; focus on {goal_skills}"
        )
        start = float(rng.choice([7.0, 8.0, 9.0, 10.0]))
        prefs: tuple[str, ...] = ()
        blocks: frozenset[str] = frozenset()
        previous: frozenset[str] = frozenset()
        if role[i] == "mentee" and len(mentor_idx):
            r = rng.random()
            if r < 0.05:
                prefs = tuple(
                    ids[j] for j in rng.choice(mentor_idx, size=min(3, len(mentor_idx)), replace=False)
                )
            elif r < 0.06:
                blocks = frozenset({ids[int(rng.choice(mentor_idx))]})
            elif r < 0.08:
                previous = frozenset({ids[int(rng.choice(mentor_idx))]})
        people.append(
            Person(
                id=ids[i],
                roles=frozenset(
                    {role[i]} | ({"facilitator"} if role[i] == "peer" and rng.random() < 0.25 else set())
                ),
                seniority=int(seniority[i]),
                timezone=tz,
                capacity=int(rng.choice([1, 2, 3, 4], p=[0.3, 0.35, 0.25, 0.1]))
                if role[i] == "mentor"
                else 0,
                offered_skills=offered,
                wanted_skills=wanted,
                self_assessment=self_assessment,
                goals=goals,
                department=str(dept[i]),
                job_family=fam,
                manager_id=ids[manager[i]] if manager[i] >= 0 else None,
                hours_per_week=float(rng.choice([1.0, 2.0, 3.0, 4.0])),
                work_start=start,
                work_end=start + 8.0,
                languages=tuple(langs),
                location=city,
                meeting_mode=MODES[modes[i]],
                preferences=prefs,
                blocks=blocks,
                previous_partners=previous,
                under_sponsored=bool(unders[i]),
                demographic_group=DEMOGRAPHIC_GROUPS[group[i]] if consent[i] else None,
            )
        )
    fmt = program_format or ("peer" if peers and not (mentees or mentors) else "one_to_one")
    program = Program(
        format=fmt,
        seed=seed,
        candidate_limit=candidate_limit,
        circles=CircleRules(
            min_size=5,
            max_size=7,
            max_tz_span_hours=6.0,
            max_per_department=3,
            min_distinct_seniority=2,
            require_facilitator=False,
        ),
    )
    return Instance(program=program, people=tuple(people))
