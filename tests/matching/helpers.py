"""Named people for example-based tests, in the style of the rest of the suite."""

from __future__ import annotations

from mentora.matching.instance import Instance, Person, Program


def person(pid: str, role: str, **kw) -> Person:
    defaults = {
        "roles": frozenset({role}),
        "seniority": 7 if role == "mentor" else 3,
        "timezone": "Europe/Berlin",
        "capacity": 1 if role == "mentor" else 0,
        "department": "Engineering",
        "job_family": "engineering",
        "languages": ("en",),
        "location": "Berlin",
    }
    defaults.update(kw)
    return Person(id=pid, **defaults)


def alice(**kw) -> Person:
    """A mentee who wants Kubernetes, high priority, and admits to level 1."""
    kw = {
        "wanted_skills": {"kubernetes": 1},
        "self_assessment": {"kubernetes": 1},
        "goals": "grow into a platform team lead",
        **kw,
    }
    return person("alice", "mentee", **kw)


def bob(**kw) -> Person:
    """A mentor at level 5 in Kubernetes, in Sales so he brings another perspective."""
    kw = {
        "offered_skills": {"kubernetes": 5},
        "department": "Sales",
        "goals": "team lead of platform people",
        **kw,
    }
    return person("bob", "mentor", **kw)


def instance(*people: Person, **program) -> Instance:
    program.setdefault("candidate_limit", None)
    return Instance(program=Program(**program), people=tuple(people))
