"""The matching instance: people, a program's rules, and parsing/validation of the JSON format.

The format is documented in docs/instance-format.md and mentora/matching/schema/instance.schema.json.
Every validation error names the field and, where there is one, the person, so that a program
manager can fix the import without reading code.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import reprlib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.exceptions import best_match

FORMAT_VERSION = 1
ROLES = ("mentor", "mentee", "peer", "facilitator")
FORMATS = ("one_to_one", "reverse", "peer", "circles")
MODES = ("optimal", "stable")
MEETING_MODES = ("remote", "in_person", "hybrid")
COMPONENTS = ("goal_fit", "purpose", "diversity", "practical", "preference")
CONSTRAINTS = (
    "reporting_line",
    "blocks",
    "previous_partners",
    "seniority",
    "language",
    "timezone",
    "skill_match",
)
FAIRNESS_FLOORS = ("worst_group", "under_sponsored")
FAIRNESS_GROUPS = ("department", "seniority", "demographic_group", "under_sponsored")
RANKING_SOURCES = ("scores", "preferences")
MAX_LEVEL = 5
MAX_SENIORITY = 10
MIN_EFFORT, MAX_EFFORT = 0.1, 10.0
MAX_CYCLE_DAYS = 3 * 366
DEFAULT_SELF_LEVEL = 1


class InstanceError(ValueError):
    """A malformed instance. The message names the field and, when known, the person."""

    def __init__(self, message: str, *, field: str | None = None, person: str | None = None) -> None:
        where = []
        if person is not None:
            where.append(f"person {person!r}")
        if field is not None:
            where.append(f"field {field!r}")
        prefix = (", ".join(where) + ": ") if where else ""
        super().__init__(prefix + message)
        self.field = field
        self.person = person


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    roles: frozenset[str]
    seniority: int
    timezone: str
    capacity: int = 0
    offered_skills: dict[str, int] = field(default_factory=dict)
    wanted_skills: dict[str, int] = field(default_factory=dict)
    self_assessment: dict[str, int] = field(default_factory=dict)
    goals: str = ""
    department: str = ""
    job_family: str = ""
    manager_id: str | None = None
    hours_per_week: float = 2.0
    work_start: float = 9.0
    work_end: float = 17.0
    languages: tuple[str, ...] = ("en",)
    location: str = ""
    meeting_mode: str = "remote"
    preferences: tuple[str, ...] = ()
    blocks: frozenset[str] = frozenset()
    previous_partners: frozenset[str] = frozenset()
    under_sponsored: bool = False
    demographic_group: str | None = None

    def self_level(self, skill: str) -> int:
        """The mentee's private self-assessed level, else their stated level, else a beginner's."""
        if skill in self.self_assessment:
            return self.self_assessment[skill]
        return self.offered_skills.get(skill, DEFAULT_SELF_LEVEL)


@dataclass(frozen=True, slots=True)
class CircleRules:
    min_size: int = 5
    max_size: int = 7
    max_tz_span_hours: float | None = None
    max_per_department: int | None = None
    min_distinct_seniority: int | None = None
    require_facilitator: bool = False


DEFAULT_WEIGHTS = {"goal_fit": 0.4, "purpose": 0.15, "diversity": 0.15, "practical": 0.2, "preference": 0.1}


@dataclass(frozen=True, slots=True)
class Program:
    format: str = "one_to_one"
    mode: str = "optimal"
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    diversity_dial: float = 0.7
    constraints: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(CONSTRAINTS, True))
    min_seniority_gap: int = 1
    peer_max_seniority_gap: int = 2
    min_level_gap: int = 2
    min_tz_overlap_hours: float = 2.0
    candidate_limit: int | None = 40
    max_mentees_per_department: int | None = None
    max_cardinality_first: bool = False
    fairness_floor: str | None = None
    fairness_group: str = "department"
    under_sponsored_boost: float = 0.25
    ranking_source: str = "scores"
    reference_date: str = "2025-01-15"
    # Last date of the cycle: working-hours overlap is taken over reference_date..cycle_end, so a
    # cycle across a daylight-saving change counts its worst week. None: the reference date alone.
    cycle_end: str | None = None
    seed: int = 0
    # Multiplies the peer and circle solvers' work budgets (steps, LP iterations, CP-SAT deterministic
    # time): never a wall-clock limit, so the same instance and seed give the same result on any machine.
    effort: float = 1.0
    circles: CircleRules = field(default_factory=CircleRules)

    def constraint(self, name: str) -> bool:
        return self.constraints.get(name, True)


@dataclass(frozen=True, slots=True)
class Instance:
    program: Program
    people: tuple[Person, ...]

    def with_program(self, **changes: Any) -> Instance:
        return replace(self, program=replace(self.program, **changes))


# ---------------------------------------------------------------------------------------------- parsing


def _expect(cond: bool, message: str, *, field: str, person: str | None = None) -> None:
    if not cond:
        raise InstanceError(message, field=field, person=person)


# The checks below word their message only when they fail: formatting it for every value (the
# repr of a long goals text) was most of the parsing time at thousands of people.


def _int(value: Any, *, field: str, person: str | None, lo: int | None = None, hi: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InstanceError(f"must be an integer, got {value!r}", field=field, person=person)
    if lo is not None and value < lo:
        raise InstanceError(f"must be >= {lo}, got {value}", field=field, person=person)
    if hi is not None and value > hi:
        raise InstanceError(f"must be <= {hi}, got {value}", field=field, person=person)
    return value


def _num(
    value: Any, *, field: str, person: str | None, lo: float | None = None, hi: float | None = None
) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise InstanceError(f"must be a number, got {value!r}", field=field, person=person)
    if lo is not None and value < lo:
        raise InstanceError(f"must be >= {lo}, got {value}", field=field, person=person)
    if hi is not None and value > hi:
        raise InstanceError(f"must be <= {hi}, got {value}", field=field, person=person)
    return float(value)


def _str(value: Any, *, field: str, person: str | None, allow_empty: bool = True) -> str:
    if not isinstance(value, str):
        raise InstanceError(f"must be a string, got {value!r}", field=field, person=person)
    if not allow_empty and not value.strip():
        raise InstanceError("must not be empty", field=field, person=person)
    return value


def _str_list(value: Any, *, field: str, person: str | None) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise InstanceError(f"must be a list of strings, got {value!r}", field=field, person=person)
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            _str(item, field=f"{field}[{i}]", person=person, allow_empty=False)
    return tuple(value)


def _skill_map(value: Any, *, field: str, person: str | None, lo: int, hi: int) -> dict[str, int]:
    if not isinstance(value, dict):
        raise InstanceError(
            f"must be an object of skill -> integer, got {value!r}", field=field, person=person
        )
    for skill, level in value.items():
        _expect(bool(skill.strip()), "skill names must not be empty", field=field, person=person)
        if not isinstance(level, int) or isinstance(level, bool) or not lo <= level <= hi:
            _int(level, field=f"{field}.{skill}", person=person, lo=lo, hi=hi)
    return dict(value)


_TZ_CACHE: dict[str, bool] = {}


def _timezone(value: Any, *, person: str) -> str:
    name = _str(value, field="timezone", person=person, allow_empty=False)
    if name not in _TZ_CACHE:
        try:
            ZoneInfo(name)
            _TZ_CACHE[name] = True
        except (ZoneInfoNotFoundError, ValueError):
            _TZ_CACHE[name] = False
    _expect(_TZ_CACHE[name], f"unknown IANA time zone {name!r}", field="timezone", person=person)
    return name


_PERSON_KEYS = {f.name for f in fields(Person)} | {"availability"}
_PERSON_KEYS -= {"hours_per_week", "work_start", "work_end"}


def parse_person(raw: Any, index: int) -> Person:
    _expect(isinstance(raw, dict), "each person must be an object", field=f"people[{index}]")
    pid = raw.get("id")
    if not isinstance(pid, str) or not pid.strip():
        raise InstanceError(f"must be a non-empty string, got {pid!r}", field=f"people[{index}].id")
    unknown = set(raw) - _PERSON_KEYS
    if unknown:
        raise InstanceError(f"unknown field(s) {sorted(unknown)}", field=sorted(unknown)[0], person=pid)
    _expect("roles" in raw, "is required", field="roles", person=pid)
    roles = _str_list(raw["roles"], field="roles", person=pid)
    _expect(bool(roles), "must name at least one role", field="roles", person=pid)
    for r in roles:
        if r not in ROLES:
            raise InstanceError(
                f"unknown role {r!r} (expected one of {list(ROLES)})", field="roles", person=pid
            )
    _expect("seniority" in raw, "is required", field="seniority", person=pid)
    _expect("timezone" in raw, "is required", field="timezone", person=pid)
    avail = raw.get("availability", {})
    _expect(isinstance(avail, dict), "must be an object", field="availability", person=pid)
    unknown = set(avail) - {"hours_per_week", "work_start", "work_end"}
    if unknown:
        raise InstanceError(f"unknown field(s) {sorted(unknown)}", field="availability", person=pid)
    work_start = _num(avail.get("work_start", 9), field="availability.work_start", person=pid, lo=0, hi=24)
    work_end = _num(avail.get("work_end", 17), field="availability.work_end", person=pid, lo=0, hi=24)
    _expect(work_end > work_start, "must be after work_start", field="availability.work_end", person=pid)
    capacity = _int(
        raw.get("capacity", 1 if "mentor" in roles else 0), field="capacity", person=pid, lo=0, hi=1000
    )
    mode = raw.get("meeting_mode", "remote")
    if mode not in MEETING_MODES:
        message = f"must be one of {list(MEETING_MODES)}, got {mode!r}"
        raise InstanceError(message, field="meeting_mode", person=pid)
    manager = raw.get("manager_id")
    if manager is not None:
        _str(manager, field="manager_id", person=pid, allow_empty=False)
        _expect(manager != pid, "a person cannot be their own manager", field="manager_id", person=pid)
    group = raw.get("demographic_group")
    if group is not None:
        _str(group, field="demographic_group", person=pid)
    under = raw.get("under_sponsored", False)
    _expect(isinstance(under, bool), "must be true or false", field="under_sponsored", person=pid)
    languages = _str_list(raw.get("languages", ["en"]), field="languages", person=pid)
    _expect(bool(languages), "must name at least one language", field="languages", person=pid)
    return Person(
        id=pid,
        roles=frozenset(roles),
        seniority=_int(raw["seniority"], field="seniority", person=pid, lo=1, hi=MAX_SENIORITY),
        timezone=_timezone(raw["timezone"], person=pid),
        capacity=capacity,
        offered_skills=_skill_map(
            raw.get("offered_skills", {}), field="offered_skills", person=pid, lo=0, hi=MAX_LEVEL
        ),
        wanted_skills=_skill_map(raw.get("wanted_skills", {}), field="wanted_skills", person=pid, lo=1, hi=3),
        self_assessment=_skill_map(
            raw.get("self_assessment", {}), field="self_assessment", person=pid, lo=0, hi=MAX_LEVEL
        ),
        goals=_str(raw.get("goals", ""), field="goals", person=pid),
        department=_str(raw.get("department", ""), field="department", person=pid),
        job_family=_str(raw.get("job_family", ""), field="job_family", person=pid),
        manager_id=manager,
        hours_per_week=_num(
            avail.get("hours_per_week", 2), field="availability.hours_per_week", person=pid, lo=0, hi=168
        ),
        work_start=work_start,
        work_end=work_end,
        languages=languages,
        location=_str(raw.get("location", ""), field="location", person=pid),
        meeting_mode=mode,
        preferences=_str_list(raw.get("preferences", []), field="preferences", person=pid),
        blocks=frozenset(_str_list(raw.get("blocks", []), field="blocks", person=pid)),
        previous_partners=frozenset(
            _str_list(raw.get("previous_partners", []), field="previous_partners", person=pid)
        ),
        under_sponsored=under,
        demographic_group=group,
    )


_PROGRAM_KEYS = {f.name for f in fields(Program)}


def _optional_int(raw: dict, key: str, *, lo: int) -> int | None:
    value = raw.get(key)
    return None if value is None else _int(value, field=f"program.{key}", person=None, lo=lo)


def _date(value: str, *, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InstanceError(f"must be an ISO date (YYYY-MM-DD), got {value!r}", field=field) from None


def parse_program(raw: Any) -> Program:
    _expect(isinstance(raw, dict), "must be an object", field="program")
    unknown = set(raw) - _PROGRAM_KEYS
    _expect(not unknown, f"unknown field(s) {sorted(unknown)}", field="program")
    fmt = raw.get("format", "one_to_one")
    _expect(fmt in FORMATS, f"must be one of {list(FORMATS)}, got {fmt!r}", field="program.format")
    mode = raw.get("mode", "optimal")
    _expect(mode in MODES, f"must be one of {list(MODES)}, got {mode!r}", field="program.mode")
    weights = dict(DEFAULT_WEIGHTS)
    raw_weights = raw.get("weights", {})
    _expect(isinstance(raw_weights, dict), "must be an object", field="program.weights")
    for key, value in raw_weights.items():
        _expect(
            key in COMPONENTS,
            f"unknown component {key!r} (expected {list(COMPONENTS)})",
            field="program.weights",
        )
        weights[key] = _num(value, field=f"program.weights.{key}", person=None, lo=0)
    _expect(sum(weights.values()) > 0, "at least one weight must be positive", field="program.weights")
    constraints = dict.fromkeys(CONSTRAINTS, True)
    raw_constraints = raw.get("constraints", {})
    _expect(isinstance(raw_constraints, dict), "must be an object", field="program.constraints")
    for key, value in raw_constraints.items():
        _expect(
            key in CONSTRAINTS,
            f"unknown constraint {key!r} (expected {list(CONSTRAINTS)})",
            field="program.constraints",
        )
        _expect(isinstance(value, bool), "must be true or false", field=f"program.constraints.{key}")
        constraints[key] = value
    floor = raw.get("fairness_floor")
    _expect(
        floor is None or floor in FAIRNESS_FLOORS,
        f"must be null or one of {list(FAIRNESS_FLOORS)}",
        field="program.fairness_floor",
    )
    group = raw.get("fairness_group", "department")
    _expect(
        group in FAIRNESS_GROUPS, f"must be one of {list(FAIRNESS_GROUPS)}", field="program.fairness_group"
    )
    ranking = raw.get("ranking_source", "scores")
    _expect(
        ranking in RANKING_SOURCES, f"must be one of {list(RANKING_SOURCES)}", field="program.ranking_source"
    )
    mcf = raw.get("max_cardinality_first", False)
    _expect(isinstance(mcf, bool), "must be true or false", field="program.max_cardinality_first")
    circles_raw = raw.get("circles", {})
    _expect(isinstance(circles_raw, dict), "must be an object", field="program.circles")
    unknown = set(circles_raw) - {f.name for f in fields(CircleRules)}
    _expect(not unknown, f"unknown field(s) {sorted(unknown)}", field="program.circles")
    min_size = _int(circles_raw.get("min_size", 5), field="program.circles.min_size", person=None, lo=2)
    max_size = _int(
        circles_raw.get("max_size", 7), field="program.circles.max_size", person=None, lo=min_size
    )
    span = circles_raw.get("max_tz_span_hours")
    req_fac = circles_raw.get("require_facilitator", False)
    _expect(isinstance(req_fac, bool), "must be true or false", field="program.circles.require_facilitator")
    circles = CircleRules(
        min_size=min_size,
        max_size=max_size,
        max_tz_span_hours=None
        if span is None
        else _num(span, field="program.circles.max_tz_span_hours", person=None, lo=0),
        max_per_department=_optional_int(circles_raw, "max_per_department", lo=1),
        min_distinct_seniority=_optional_int(circles_raw, "min_distinct_seniority", lo=1),
        require_facilitator=req_fac,
    )
    ref = _str(raw.get("reference_date", "2025-01-15"), field="program.reference_date", person=None)
    first = _date(ref, field="program.reference_date")
    cycle_end = raw.get("cycle_end")
    if cycle_end is not None:
        last = _date(_str(cycle_end, field="program.cycle_end", person=None), field="program.cycle_end")
        _expect(last >= first, "must not be before reference_date", field="program.cycle_end")
        _expect(
            (last - first).days < MAX_CYCLE_DAYS,
            f"the cycle must be shorter than {MAX_CYCLE_DAYS} days",
            field="program.cycle_end",
        )
    return Program(
        format=fmt,
        mode=mode,
        weights=weights,
        diversity_dial=_num(
            raw.get("diversity_dial", 0.7), field="program.diversity_dial", person=None, lo=0, hi=1
        ),
        constraints=constraints,
        min_seniority_gap=_int(
            raw.get("min_seniority_gap", 1),
            field="program.min_seniority_gap",
            person=None,
            lo=0,
            hi=MAX_SENIORITY,
        ),
        peer_max_seniority_gap=_int(
            raw.get("peer_max_seniority_gap", 2),
            field="program.peer_max_seniority_gap",
            person=None,
            lo=0,
            hi=MAX_SENIORITY,
        ),
        min_level_gap=_int(
            raw.get("min_level_gap", 2), field="program.min_level_gap", person=None, lo=0, hi=MAX_LEVEL
        ),
        min_tz_overlap_hours=_num(
            raw.get("min_tz_overlap_hours", 2), field="program.min_tz_overlap_hours", person=None, lo=0, hi=24
        ),
        candidate_limit=_optional_int(raw, "candidate_limit", lo=1) if "candidate_limit" in raw else 40,
        max_mentees_per_department=_optional_int(raw, "max_mentees_per_department", lo=1),
        max_cardinality_first=mcf,
        fairness_floor=floor,
        fairness_group=group,
        under_sponsored_boost=_num(
            raw.get("under_sponsored_boost", 0.25),
            field="program.under_sponsored_boost",
            person=None,
            lo=0,
            hi=10,
        ),
        ranking_source=ranking,
        reference_date=ref,
        cycle_end=cycle_end,
        seed=_int(raw.get("seed", 0), field="program.seed", person=None, lo=0),
        effort=_num(raw.get("effort", 1), field="program.effort", person=None, lo=MIN_EFFORT, hi=MAX_EFFORT),
        circles=circles,
    )


SCHEMA_PATH = Path(__file__).with_name("schema") / "instance.schema.json"
# Fields an older version read, refused with a pointer to what replaced them (before the schema
# would call them merely unknown).
_RETIRED_PROGRAM_FIELDS = {
    "time_limit_s": "time_limit_s is no longer read: results must not depend on the machine's speed; "
    "use effort (a multiplier of the deterministic work budgets, default 1)",
}
_SHORT = reprlib.Repr()  # values quoted in messages stay short, however large the input
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlong = 40, 40, 40


@functools.cache
def _schema_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _schema_message(error: ValidationError) -> tuple[list[str | int], str]:
    """(path of the field at fault, a one-line message) for one schema error."""
    path = list(error.absolute_path)
    kind, expected, got = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = [name for name in expected if name not in got]
        return [*path, missing[0]], "is required"
    if kind == "additionalProperties":
        unknown = sorted(set(got) - set(error.schema.get("properties", {})))
        return [*path, unknown[0]], f"unknown field(s) {unknown}"
    if kind == "type":
        wanted = " or ".join(expected) if isinstance(expected, list) else expected
        return path, f"must be of type {wanted}, got {_SHORT.repr(got)}"
    if kind in ("enum", "const"):
        allowed = expected if kind == "enum" else [expected]
        return path, f"must be one of {allowed}, got {_SHORT.repr(got)}"
    if kind == "minimum":
        return path, f"must be >= {expected}, got {_SHORT.repr(got)}"
    if kind == "maximum":
        return path, f"must be <= {expected}, got {_SHORT.repr(got)}"
    if kind == "minLength":
        return path, "must not be empty"
    if kind == "minItems":
        return path, f"must have at least {expected} item(s)"
    if kind == "format":
        return path, f"must be a {expected} (an ISO date is YYYY-MM-DD), got {_SHORT.repr(got)}"
    return path, " ".join(error.message.split())[:200]


def check_schema(raw: Any) -> None:
    """Check a decoded document against the shipped JSON Schema: the one statement of the format's
    types, ranges and field names, so the parser below only adds what a schema cannot say."""
    program = raw.get("program") if isinstance(raw, dict) else None
    if isinstance(program, dict):
        for name, why in _RETIRED_PROGRAM_FIELDS.items():
            _expect(name not in program, why, field=f"program.{name}")
    error = best_match(_schema_validator().iter_errors(raw))
    if error is None:
        return
    path, message = _schema_message(error)
    person = None
    if len(path) >= 2 and path[0] == "people" and isinstance(path[1], int):
        entry = raw["people"][path[1]]
        pid = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(pid, str) and pid.strip() and path[2:] != ["id"]:
            person, path = pid, path[2:]
    name = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")
    raise InstanceError(message, field=name or "(root)", person=person)


def parse_instance(raw: Any, *, trusted: bool = False) -> Instance:
    """Validate a decoded JSON document and build an Instance, or raise InstanceError.

    `trusted` skips the JSON Schema check (most of the parsing time at thousands of people) for a
    document the app's own builder wrote; its tests check that output against the schema, so the two
    cannot drift. Files and CLI input are never trusted."""
    if not trusted:
        check_schema(raw)
    _expect(isinstance(raw, dict), "the instance must be a JSON object", field="(root)")
    unknown = set(raw) - {"version", "program", "people"}
    _expect(not unknown, f"unknown field(s) {sorted(unknown)}", field="(root)")
    version = raw.get("version", FORMAT_VERSION)
    _expect(
        version == FORMAT_VERSION,
        f"unsupported version {version!r} (expected {FORMAT_VERSION})",
        field="version",
    )
    program = parse_program(raw.get("program", {}))
    _expect("people" in raw and isinstance(raw["people"], list), "must be a list of people", field="people")
    people = tuple(parse_person(p, i) for i, p in enumerate(raw["people"]))
    validate_references(people)
    return Instance(program=program, people=people)


def validate_references(people: tuple[Person, ...]) -> None:
    """Ids are unique, every reference names a known person, and the manager tree has no cycle."""
    ids: dict[str, int] = {}
    for p in people:
        _expect(p.id not in ids, "duplicate id", field="id", person=p.id)
        ids[p.id] = 0
    for p in people:
        if p.manager_id is not None:
            _expect(p.manager_id in ids, f"unknown manager {p.manager_id!r}", field="manager_id", person=p.id)
        for name in ("preferences", "blocks", "previous_partners"):
            for other in getattr(p, name):
                _expect(other in ids, f"unknown person {other!r}", field=name, person=p.id)
            # a self-reference would become a self-edge (a forbidden pair no circle can avoid)
            _expect(
                p.id not in getattr(p, name), "must not name the person themselves", field=name, person=p.id
            )
        repeated = sorted({other for other in p.preferences if p.preferences.count(other) > 1})
        _expect(
            not repeated,
            f"lists {repeated[0]!r} more than once" if repeated else "",
            field="preferences",
            person=p.id,
        )
    manager = {p.id: p.manager_id for p in people}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = known to reach a root
    for p in people:
        path = []
        node: str | None = p.id
        while node is not None and state.get(node) != 2:
            if state.get(node) == 1:
                raise InstanceError("the manager chain forms a cycle", field="manager_id", person=node)
            state[node] = 1
            path.append(node)
            node = manager[node]
        for n in path:
            state[n] = 2


class JsonFileError(ValueError):
    """A file that can't be read as a JSON document; the message says why in one line."""


_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_json_file(path: str | Path) -> Any:
    """Decode a UTF-8 JSON file, or raise JsonFileError saying what is wrong with it."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise JsonFileError(f"can't be read: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = " (it looks like UTF-16 or UTF-32)" if data.startswith(_UTF16_32_BOMS) else ""
        raise JsonFileError(
            f"is not UTF-8 text{hint}: byte 0x{data[exc.start]:02x} at offset {exc.start}; save it as UTF-8"
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonFileError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    except RecursionError as exc:
        raise JsonFileError("invalid JSON: nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer longer than Python converts (sys.int_info)
        raise JsonFileError(f"invalid JSON: {' '.join(str(exc).split())[:200]}") from exc


def load_instance(path: str | Path) -> Instance:
    """Read and validate an instance file."""
    try:
        raw = read_json_file(path)
    except JsonFileError as exc:
        raise InstanceError(str(exc)) from exc
    return parse_instance(raw)


def person_to_json(p: Person) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": p.id,
        "roles": sorted(p.roles),
        "seniority": p.seniority,
        "timezone": p.timezone,
        "capacity": p.capacity,
        "offered_skills": p.offered_skills,
        "wanted_skills": p.wanted_skills,
        "self_assessment": p.self_assessment,
        "goals": p.goals,
        "department": p.department,
        "job_family": p.job_family,
        "manager_id": p.manager_id,
        "availability": {
            "hours_per_week": p.hours_per_week,
            "work_start": p.work_start,
            "work_end": p.work_end,
        },
        "languages": list(p.languages),
        "location": p.location,
        "meeting_mode": p.meeting_mode,
        "preferences": list(p.preferences),
        "blocks": sorted(p.blocks),
        "previous_partners": sorted(p.previous_partners),
        "under_sponsored": p.under_sponsored,
    }
    if p.demographic_group is not None:
        out["demographic_group"] = p.demographic_group
    return out


def program_to_json(prog: Program) -> dict[str, Any]:
    out: dict[str, Any] = {f.name: getattr(prog, f.name) for f in fields(Program) if f.name != "circles"}
    out["circles"] = {f.name: getattr(prog.circles, f.name) for f in fields(CircleRules)}
    return out


def instance_to_json(instance: Instance) -> dict[str, Any]:
    return {
        "version": FORMAT_VERSION,
        "program": program_to_json(instance.program),
        "people": [person_to_json(p) for p in instance.people],
    }
