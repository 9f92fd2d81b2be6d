"""Load a program's participants from the database and write them as the engine's JSON instance.

Load → dict, in a fixed number of queries whatever the program's size (no per-person query).
Person ids in the instance are `str(person.pk)`.

Who takes part: approved enrolments of active people. Mentors bring their enrolment capacity minus
their live relationships in this program (and minus their locked pairs); paused mentors and mentees
who already have a live relationship are left out, each with a reason (`BuiltInstance.excluded`).

Private data (the self-assessment, the consented demographic group) goes into the instance because
the engine reads it; it must never be shown to anyone but its owner.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Q, Subquery
from django.utils import timezone

from mentora.core.zones import zone_or_utc
from mentora.pairing.models import PairRule, PairRuleKind
from mentora.pairing.selectors import pair_closures
from mentora.people.models import MeetingMode, OfferedSkill, Person, SelfAssessedSkill, Skill, WantedSkill
from mentora.programs.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    IntakeAnswer,
    MatchingComponent,
    Program,
    ProgramFormat,
    QuestionKind,
)
from mentora.relationships.models import LIVE_STATUSES, Relationship, RelationshipStatus
from mentora.relationships.selectors import mentor_places

ENGINE_FORMATS = {ProgramFormat.ONE_TO_ONE: "one_to_one", ProgramFormat.REVERSE: "reverse"}

# Ours → the engine's: "video" is remote; "either" is the engine's hybrid (happy remote or in
# person, in person when both sit in the same place).
ENGINE_MEETING_MODES = {
    MeetingMode.IN_PERSON: "in_person",
    MeetingMode.VIDEO: "remote",
    MeetingMode.EITHER: "hybrid",
}

WEEKS_PER_MONTH = 52 / 12

# Run options a manager may set, with the engine's program field each one feeds.
OPTION_FIELDS = {
    "min_tz_overlap_hours": "min_tz_overlap_hours",
    "candidate_limit": "candidate_limit",
    "max_mentees_per_department": "max_mentees_per_department",
    "fairness_floor": "fairness_floor",
    "fairness_group": "fairness_group",
    "mode": "mode",
}

# Worked together before: these statuses mean the two really met.
PREVIOUS_STATUSES = (RelationshipStatus.ACTIVE, RelationshipStatus.ENDED)

Pair = tuple[int, int]  # (mentor pk, mentee pk)


class Exclusion:
    """Codes for why an enrolled person is not in the instance."""

    PAUSED = "paused"
    FULL = "full"
    ALREADY_MATCHED = "already_matched"
    LOCKED = "locked"
    INACTIVE = "inactive"


@dataclass
class BuiltInstance:
    instance: dict[str, Any]
    # Every participant including locked mentees, for scoring the locked pairs exactly.
    evaluation: dict[str, Any] | None  # None when not asked for (`build(evaluation=False)`)
    locked: list[tuple[str, str]] = field(default_factory=list)
    excluded: list[dict[str, Any]] = field(default_factory=list)


def compress_manager_chains(manager_of: dict[int, int | None], keep: Iterable[int]) -> dict[int, int | None]:
    """Each kept person's nearest ancestor that is also kept (None when there is none).

    A kept person A is an ancestor of a kept person B in the result exactly when A is an ancestor of B
    in the original reporting line, so the engine's reporting-line rule is unchanged.
    """
    keep = set(keep)
    memo: dict[int, int | None] = {}

    def nearest(person: int) -> int | None:
        path = []
        seen = set()
        node = manager_of.get(person)
        while node is not None and node not in keep and node not in memo and node not in seen:
            seen.add(node)  # guards against a cycle in bad data
            path.append(node)
            node = manager_of.get(node)
        if node is None or node in seen:
            found = None
        elif node in keep:
            found = node
        else:
            found = memo[node]
        for skipped in path:
            memo[skipped] = found
        return None if found == person else found

    return {person: nearest(person) for person in keep}


@functools.cache
def zone_key(time_zone: str) -> str:
    """The zone the engine reads for a person's `time_zone` (UTC when it names none, as `Person.zone`)."""
    return zone_or_utc(time_zone).key


def _answer_text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return "" if value is None else str(value)


def program_json(program: Program, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """The engine's `program` object: the program's weights and dial, overridden by a run's settings."""
    settings = settings or {}
    engine_format = ENGINE_FORMATS.get(program.format)
    if engine_format is None:
        raise ValueError(f"format {program.format!r} is not matched by runs")
    out: dict[str, Any] = {
        "format": engine_format,
        "weights": {**program.weights, **settings.get("weights", {})},
        "diversity_dial": settings.get("diversity_dial", program.similarity_diversity_dial),
        # shared working hours are counted over the whole cycle (its worst week, daylight saving included)
        "reference_date": program.starts_on.isoformat(),
        "cycle_end": program.ends_on.isoformat(),
    }
    for option, engine_field in OPTION_FIELDS.items():
        value = settings.get("options", {}).get(option)
        if value is not None:
            out[engine_field] = value
    return out


def build(
    *,
    program: Program,
    settings: dict[str, Any] | None = None,
    exclude_pairs: Iterable[Pair] = (),
    locked: Iterable[Pair] | None = None,
    forbidden: Iterable[Pair] | None = None,
    today: dt.date | None = None,
    evaluation: bool = True,
) -> BuiltInstance:
    """Build the instance and say who was left out (and the evaluation instance unless
    `evaluation` is False: the shortlist does not score locked pairs). `locked`/`forbidden`
    default to the program's pair rules; `exclude_pairs` are blocked as well. Pairs one side
    declined or ended in this program are always blocked (and never forced by a lock) unless a
    manager allowed them again; an allowed pair no longer counts as previous partners."""
    today = today or timezone.localdate()
    closures = pair_closures(program=program)
    if locked is None or forbidden is None:
        rules = list(PairRule.objects.filter(program=program).values_list("mentor_id", "mentee_id", "kind"))
        if locked is None:
            locked = [(a, b) for a, b, kind in rules if kind == PairRuleKind.LOCK]
        if forbidden is None:
            forbidden = [(a, b) for a, b, kind in rules if kind == PairRuleKind.FORBID]

    # Plain rows, not model objects: one query per table, whatever the program's size.
    approved = Enrolment.objects.filter(program=program, status=EnrolmentStatus.APPROVED)
    enrolments = list(approved.order_by("person_id", "role").values_list("pk", "person_id", "role"))
    in_program = Subquery(approved.values("person_id"))
    people_rows = {
        row["id"]: row
        for row in Person.objects.filter(pk__in=in_program).values(
            "id",
            "is_active",
            "seniority",
            "time_zone",
            "goals",
            "purpose",
            "job_family",
            "location",
            "meeting_mode",
            "availability_hours_per_month",
            department_name=F("department__name"),
            consented=ExpressionWrapper(
                Q(demographic_profile__consented_at__isnull=False), output_field=BooleanField()
            ),
            under_sponsored=F("demographic_profile__under_sponsored"),
            gender=F("demographic_profile__gender"),
        )
    }
    languages: dict[int, list[str]] = defaultdict(list)
    for person_id, code in (
        Person.languages.through.objects.filter(person_id__in=in_program)
        .order_by("language__name", "language_id")
        .values_list("person_id", "language__code")
    ):
        languages[person_id].append(code)
    offered: dict[int, dict[str, int]] = defaultdict(dict)
    for person_id, slug, level in (
        OfferedSkill.objects.filter(person_id__in=in_program)
        .order_by("pk")
        .values_list("person_id", "skill__slug", "level")
    ):
        offered[person_id][slug] = level
    wanted_skills: dict[int, dict[str, int]] = defaultdict(dict)
    for person_id, slug, priority in (
        WantedSkill.objects.filter(person_id__in=in_program)
        .order_by("pk")
        .values_list("person_id", "skill__slug", "priority")
    ):
        wanted_skills[person_id][slug] = priority
    self_assessed: dict[int, dict[str, int]] = defaultdict(dict)
    for person_id, slug, level in SelfAssessedSkill.objects.filter(
        assessment__person_id__in=in_program
    ).values_list("assessment__person_id", "skill__slug", "level"):
        self_assessed[person_id][slug] = level
    answers: dict[int, list[tuple[str, Any, str]]] = defaultdict(list)
    for enrolment_id, feeds, value, kind in IntakeAnswer.objects.filter(
        enrolment__program=program,
        question__feeds__in=[MatchingComponent.PURPOSE, MatchingComponent.GOAL_FIT],
    ).values_list("enrolment_id", "question__feeds", "value", "question__kind"):
        answers[enrolment_id].append((feeds, value, kind))
    picked_skill_ids = {
        skill_id
        for rows in answers.values()
        for feeds, value, kind in rows
        if kind == QuestionKind.SKILL_PICK and isinstance(value, list)
        for skill_id in value
    }
    skill_slugs = {}
    if picked_skill_ids:
        skills = Skill.objects.filter(pk__in=picked_skill_ids, organisation_id=program.organisation_id)
        skill_slugs = dict(skills.values_list("pk", "slug"))
    rooms = mentor_places(program=program, today=today)
    matched_mentees = set(
        Relationship.objects.filter(program=program, status__in=LIVE_STATUSES).values_list(
            "mentee_id", flat=True
        )
    )
    previous: dict[int, set[int]] = defaultdict(set)
    in_org = Q(mentor__organisation_id=program.organisation_id) | Q(
        mentee__organisation_id=program.organisation_id
    )
    for mentor_id, mentee_id in Relationship.objects.filter(in_org, status__in=PREVIOUS_STATUSES).values_list(
        "mentor_id", "mentee_id"
    ):
        if (mentor_id, mentee_id) in closures.allowed:
            continue
        previous[mentor_id].add(mentee_id)
        previous[mentee_id].add(mentor_id)
    manager_of = dict(
        Person.objects.filter(organisation_id=program.organisation_id).values_list("id", "manager_id")
    )

    excluded: list[dict[str, Any]] = []

    def exclude(person_id: int, role: str, code: str) -> None:
        excluded.append({"person": str(person_id), "role": role, "reason": code})

    # Who is in, in which roles, with which capacity.
    roles: dict[int, set[str]] = defaultdict(set)
    capacity: dict[int, int] = {}
    mentee_enrolment: dict[int, int] = {}  # person id → their mentee enrolment's id
    for enrolment_id, person_id, role in enrolments:
        if not people_rows[person_id]["is_active"]:
            exclude(person_id, role, Exclusion.INACTIVE)
            continue
        if role == EnrolmentRole.MENTOR:
            room = rooms[person_id]
            if room.paused_until:
                exclude(person_id, role, Exclusion.PAUSED)
                continue
            capacity[person_id] = room.free
        else:
            if person_id in matched_mentees:
                exclude(person_id, role, Exclusion.ALREADY_MATCHED)
                continue
            mentee_enrolment[person_id] = enrolment_id
        roles[person_id].add(role)

    # Locked pairs are decided: the mentee leaves the pool and the mentor keeps one place fewer.
    locked_pairs = []
    for mentor_pk, mentee_pk in locked:
        if (mentor_pk, mentee_pk) in closures.closed:
            continue
        is_mentor = EnrolmentRole.MENTOR in roles.get(mentor_pk, ())
        if is_mentor and mentee_pk in mentee_enrolment and capacity.get(mentor_pk, 0) > 0:
            locked_pairs.append((mentor_pk, mentee_pk))
            capacity[mentor_pk] -= 1
    locked_mentees = {mentee for _, mentee in locked_pairs}

    blocks: dict[int, set[int]] = defaultdict(set)
    for mentor_pk, mentee_pk in [*forbidden, *exclude_pairs, *closures.closed]:
        if mentor_pk in roles and mentee_pk in roles:
            blocks[mentee_pk].add(mentor_pk)

    def person_json(pk: int, with_roles: set[str], cap: int, others: set[int], managers: dict) -> dict:
        person = people_rows[pk]
        goals = [person["goals"], person["purpose"]]
        wanted = dict(wanted_skills.get(pk, {}))
        enrolment_id = mentee_enrolment.get(pk)
        for feeds, value, kind in answers.get(enrolment_id, []) if enrolment_id else []:
            if kind == QuestionKind.SKILL_PICK and feeds == MatchingComponent.GOAL_FIT:
                for skill_id in value if isinstance(value, list) else []:
                    if skill_id in skill_slugs:
                        wanted.setdefault(skill_slugs[skill_id], 1)
            elif feeds == MatchingComponent.PURPOSE:
                goals.append(_answer_text(value))
        out: dict[str, Any] = {
            "id": str(pk),
            "roles": sorted(with_roles),
            "seniority": person["seniority"],
            "timezone": zone_key(person["time_zone"]),
            "offered_skills": offered.get(pk, {}),
            "wanted_skills": wanted,
            "self_assessment": self_assessed.get(pk, {}),
            "goals": "\n".join(text for text in goals if text),
            "department": person["department_name"] or "",
            "job_family": person["job_family"],
            "manager_id": str(managers[pk]) if managers.get(pk) is not None else None,
            "availability": {
                "hours_per_week": round(person["availability_hours_per_month"] / WEEKS_PER_MONTH, 3)
            },
            "location": person["location"],
            "meeting_mode": ENGINE_MEETING_MODES.get(person["meeting_mode"], "hybrid"),
            "blocks": sorted(str(other) for other in blocks.get(pk, ()) if other in others),
            "previous_partners": sorted(str(other) for other in previous.get(pk, ()) if other in others),
        }
        if EnrolmentRole.MENTOR in with_roles:
            out["capacity"] = cap
        if languages.get(pk):
            out["languages"] = languages[pk]
        if person["consented"]:
            out["under_sponsored"] = person["under_sponsored"]
            if person["gender"]:
                out["demographic_group"] = person["gender"]
        return out

    def people_json(members: dict[int, set[str]]) -> list[dict[str, Any]]:
        managers = compress_manager_chains(manager_of, members)
        others = set(members)
        return [
            person_json(pk, member_roles, capacity.get(pk, 0), others, managers)
            for pk, member_roles in sorted(members.items())
        ]

    # In the solved instance, mentors without a free place take part only if they are also mentees.
    solve_roles: dict[int, set[str]] = {}
    for pk, member_roles in roles.items():
        kept = set(member_roles)
        if EnrolmentRole.MENTOR in kept and capacity.get(pk, 0) <= 0:
            kept.discard(EnrolmentRole.MENTOR)
            exclude(pk, EnrolmentRole.MENTOR, Exclusion.FULL)
        if pk in locked_mentees:
            kept.discard(EnrolmentRole.MENTEE)
            exclude(pk, EnrolmentRole.MENTEE, Exclusion.LOCKED)
        if kept:
            solve_roles[pk] = kept

    program_object = program_json(program, settings)
    # The evaluation instance restores the places the locks took, so each locked pair is eligible
    # on capacity; everything else matches the solved instance.
    evaluation_instance = None
    if evaluation:
        for mentor_pk, _ in locked_pairs:
            capacity[mentor_pk] += 1
        evaluation_instance = {"version": 1, "program": program_object, "people": people_json(roles)}
        for mentor_pk, _ in locked_pairs:
            capacity[mentor_pk] -= 1
    instance = {"version": 1, "program": program_object, "people": people_json(solve_roles)}
    return BuiltInstance(
        instance=instance,
        evaluation=evaluation_instance,
        locked=[(str(a), str(b)) for a, b in locked_pairs],
        excluded=excluded,
    )


def build_instance(
    *,
    program: Program,
    exclude_pairs: Iterable[Pair] = (),
    locked: Iterable[Pair] | None = None,
    forbidden: Iterable[Pair] | None = None,
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The engine's JSON instance for this program (see `build` for who is in it)."""
    return build(
        program=program,
        settings=settings,
        exclude_pairs=exclude_pairs,
        locked=locked,
        forbidden=forbidden,
        evaluation=False,
    ).instance
