"""Reads for mentee choice: a mentee's ranked shortlist, mentors' public profiles, and the
requests waiting for a mentor's answer.

A mentor's profile here holds public fields only (never the self-assessment, the demographic
profile or intake answers): see `MentorProfile`. Reasons come from the engine as codes and are
worded for the mentee by `mentora.pairing.reasons` (her own self-assessed levels included: they are
hers) before they leave this module.
"""

import functools
import threading
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from mentora.core.queries import aggregate_subquery
from mentora.core.roles import Viewer
from mentora.matching.eligibility import eligible
from mentora.matching.instance import parse_instance
from mentora.matching.shortlist import Shortlister
from mentora.pairing.instance_builder import build_instance
from mentora.pairing.models import PairAllowance, PairRule, PairRuleKind, ShortlistExposure
from mentora.pairing.reasons import Audience, ShownReason, render_reasons
from mentora.pairing.selectors import program_skill_names
from mentora.people.models import (
    DemographicProfile,
    OfferedSkill,
    Person,
    SelfAssessedSkill,
    SelfAssessment,
    Skill,
    WantedSkill,
)
from mentora.programs.models import (
    LIVE_PROGRAM_STATUSES,
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    IntakeAnswer,
    MatchingMode,
    Program,
)
from mentora.programs.permissions import can_manage_program
from mentora.relationships.models import LIVE_STATUSES, Relationship, RelationshipOrigin, RelationshipStatus
from mentora.relationships.selectors import MentorPlaces, MentorRoom, mentor_places, mentor_rooms

CHOOSE_MODES = (MatchingMode.MENTEE_CHOICE, MatchingMode.BOTH)
SHORTLIST_SIZE = 5
MAX_SHORTLIST_SIZE = 20
# A mentor already seen by more than SPREAD x (free places) other waiting mentees is discounted.
EXPOSURE_SPREAD = 2.0


# ---- programs and enrolments -----------------------------------------------------------------


def is_choose_program(program: Program) -> bool:
    return program.matching_mode in CHOOSE_MODES


def program_get_for_participant(*, viewer: Viewer, program_id: int) -> Program:
    """A program of the viewer's organisation in which the viewer takes part (any role, approved);
    404 for everyone else, so nothing leaks about other programs or organisations."""
    if viewer.person is None:
        raise Http404
    program = Program.objects.filter(
        pk=program_id,
        organisation_id=viewer.organisation_id,
        status__in=LIVE_PROGRAM_STATUSES,
        enrolments__person=viewer.person,
        enrolments__status=EnrolmentStatus.APPROVED,
    ).first()
    if program is None:
        raise Http404
    return program


def approved_enrolment(*, program: Program, person: Person, role: str) -> Enrolment | None:
    return Enrolment.objects.filter(
        program=program, person=person, role=role, status=EnrolmentStatus.APPROVED
    ).first()


def matched_by_manager(*, program: Program, mentee: Person) -> bool:
    """A program manager locked this mentee to a mentor (in a program with both matching and
    choice): the mentee does not choose."""
    return PairRule.objects.filter(program=program, mentee=mentee, kind=PairRuleKind.LOCK).exists()


def choose_programs_for(*, person: Person | None) -> dict[str, list]:
    """The viewer's programs with mentee choice: where they choose (as mentee) and where they are
    chosen (as mentor, with the number of requests waiting for them)."""
    if person is None:
        return {"as_mentee": [], "as_mentor": []}
    enrolments = (
        Enrolment.objects.filter(
            person=person,
            status=EnrolmentStatus.APPROVED,
            program__matching_mode__in=CHOOSE_MODES,
            program__status__in=LIVE_PROGRAM_STATUSES,
        )
        .select_related("program")
        .order_by("program__starts_on", "program__name")
    )
    waiting = dict(
        requests_waiting_for(mentor=person)
        .values("program")
        .annotate(n=Count("pk"))
        .values_list("program", "n")
    )
    live = {
        relationship.program_id: relationship
        for relationship in Relationship.objects.filter(
            mentee=person, status__in=LIVE_STATUSES
        ).select_related("mentor")
    }
    as_mentee, as_mentor = [], []
    for enrolment in enrolments:
        if enrolment.role == EnrolmentRole.MENTEE:
            as_mentee.append({"program": enrolment.program, "relationship": live.get(enrolment.program_id)})
        else:
            as_mentor.append(
                {
                    "program": enrolment.program,
                    "enrolment": enrolment,
                    "waiting": waiting.get(enrolment.program_id, 0),
                }
            )
    return {"as_mentee": as_mentee, "as_mentor": as_mentor}


# ---- public mentor profiles ------------------------------------------------------------------


@dataclass(frozen=True)
class MentorProfile:
    """What a mentee may read about a mentor of their program. Public fields only."""

    person_id: int
    full_name: str
    job_title: str
    department: str
    location: str
    time_zone: str
    meeting_mode: str
    meeting_mode_label: str
    languages: list[str]
    offered_skills: list[tuple[str, int]]
    goals: str
    capacity: int
    free: int
    paused_until: date | None

    @property
    def headline(self) -> str:
        return " · ".join(part for part in (self.job_title, self.department, self.location) if part)

    @property
    def is_paused(self) -> bool:
        return self.paused_until is not None

    @property
    def is_full(self) -> bool:
        return self.free <= 0


def _public_people(person_ids) -> dict[int, Person]:
    """Only the public relations are loaded; the private tables are never joined here."""
    return (
        Person.objects.select_related("department")
        .prefetch_related(
            "languages", Prefetch("offered_skills", queryset=OfferedSkill.objects.select_related("skill"))
        )
        .in_bulk(list(person_ids))
    )


def _profile(person: Person, room: MentorRoom | MentorPlaces) -> MentorProfile:
    return MentorProfile(
        person_id=person.pk,
        full_name=person.full_name,
        job_title=person.job_title,
        department=person.department.name if person.department else "",
        location=person.location,
        time_zone=person.time_zone,
        meeting_mode=person.meeting_mode,
        meeting_mode_label=str(person.get_meeting_mode_display()),
        languages=[language.name for language in person.languages.all()],
        offered_skills=sorted(
            ((offer.skill.name, offer.level) for offer in person.offered_skills.all()),
            key=lambda item: (-item[1], item[0]),
        ),
        goals=person.goals,
        capacity=room.capacity,
        free=room.free,
        paused_until=room.paused_until,
    )


def program_get_for_profiles(*, viewer: Viewer, program_id: int) -> Program:
    """A program whose mentors' profiles the viewer may read: they take part in it (approved), or
    manage it. 404 for everyone else."""
    if viewer.person is None:
        raise Http404
    program = Program.objects.filter(pk=program_id, organisation_id=viewer.organisation_id).first()
    if program is None:
        raise Http404
    takes_part = program.status in LIVE_PROGRAM_STATUSES and (
        Enrolment.objects.filter(
            program=program, person=viewer.person, status=EnrolmentStatus.APPROVED
        ).exists()
    )
    if not (takes_part or can_manage_program(viewer, program)):
        raise Http404
    return program


def mentor_profile_get(*, program: Program, mentor_id: int) -> MentorProfile:
    """A mentor's public profile (for a program from `program_get_for_profiles`); 404 when the
    person is not an approved, active mentor of the program."""
    rooms = mentor_rooms(program=program)
    if mentor_id not in rooms:
        raise Http404
    person = _public_people([mentor_id])[mentor_id]
    return _profile(person, rooms[mentor_id])


# ---- the compiled engine input, cached per program ------------------------------------------


_cache: dict[int, tuple[tuple, Shortlister]] = {}
_cache_lock = threading.RLock()


def shortlister_cache_clear() -> None:
    with _cache_lock:
        _cache.clear()


def shortlist_version(*, program: Program) -> tuple:
    """One query (`_version_query`) whose answer changes whenever the compiled shortlist input
    would be wrong: someone enrols or is decided on, a person of the organisation edits their
    profile or self-assessment or demographics, skill or language rows are added or removed (the
    profile form and imports replace them), a skill is merged, intake answers, pair rules or
    allowances change, a pair becomes active, ends or is declined (previous partners, closed
    pairs), the program is edited, or a day passes (pauses end). Rows are counted and their newest
    id read, so a row deleted and another added changes it too.

    The skill and language rows are counted over every organisation: joining them to their people
    cost more than the rare recompilation another organisation's edit causes. Places are not in
    it: they are read live on every call (`relationships.selectors.mentor_places`), and a mentor with a
    free place whom the compiled input lacks (full or paused then) forces a new compilation."""
    sql, params = _version_query(program.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return (timezone.localdate(), *row)


@functools.lru_cache(maxsize=512)
def _version_query(program_id: int) -> tuple[str, tuple]:
    """The SQL of `shortlist_version` for one program, composed once: composing its thirty
    subqueries cost more CPU than running them."""
    organisation = OuterRef("organisation_id")
    in_program = OuterRef("pk")
    closing = [RelationshipStatus.ACTIVE, RelationshipStatus.ENDED, RelationshipStatus.DECLINED]
    tables = {
        "enrolments": Enrolment.objects.filter(program=in_program),
        "people": Person.objects.filter(organisation_id=organisation),
        "offered": OfferedSkill.objects.all(),
        "wanted": WantedSkill.objects.all(),
        "languages": Person.languages.through.objects.all(),
        "ratings": SelfAssessedSkill.objects.all(),
        "demographics": DemographicProfile.objects.all(),
        "answers": IntakeAnswer.objects.filter(enrolment__program=in_program),
        "rules": PairRule.objects.filter(program=in_program),
        "allowances": PairAllowance.objects.filter(program=in_program),
        "merged": Skill.objects.filter(organisation_id=organisation, merged_into__isnull=False),
        "partners": Relationship.objects.filter(program__organisation_id=organisation, status__in=closing),
    }
    annotations = {}
    for name, rows in tables.items():
        annotations[f"{name}_count"] = aggregate_subquery(rows, "COUNT")
        annotations[f"{name}_last"] = aggregate_subquery(rows, "MAX")
    newest = {
        "decided": (Enrolment.objects.filter(program=in_program), "decided_at"),
        "profiles": (Person.objects.filter(organisation_id=organisation), "updated_at"),
        "assessed": (SelfAssessment.objects.all(), "updated_at"),
        "consented": (DemographicProfile.objects.all(), "consented_at"),
        "ended": (Relationship.objects.filter(program=in_program), "ended_at"),
        "declined": (Relationship.objects.filter(program=in_program), "declined_at"),
    }
    for name, (rows, column) in newest.items():
        annotations[f"{name}_at"] = aggregate_subquery(rows, "MAX", column)
    program_row = Program.objects.filter(pk=program_id).annotate(**annotations)
    return program_row.values_list("updated_at", *annotations).query.sql_with_params()


def program_shortlister(*, program: Program, version: tuple | None = None) -> Shortlister:
    """The engine's Shortlister over the program's instance, compiled once and reused while
    `shortlist_version` stays the same. Compiling costs about a tenth of a second per thousand
    participants; a shortlist from it, milliseconds.

    A pair one side declined or ended is blocked (see `instance_builder.build`), so that mentor is
    not offered to that mentee again unless a manager allowed the pair again.
    """
    version = version or shortlist_version(program=program)
    cached = _cache.get(program.pk)
    if cached is not None and cached[0] == version:
        return cached[1]
    # One compilation at a time in this process: requests arriving meanwhile wait and reuse it.
    with _cache_lock:
        cached = _cache.get(program.pk)
        if cached is not None and cached[0] == version:
            return cached[1]
        # the builder's output is typed by construction and tested against the schema
        shortlister = Shortlister(
            parse_instance(build_instance(program=program), trusted=True), spread=EXPOSURE_SPREAD
        )
        _cache[program.pk] = (version, shortlister)
    return shortlister


def _current_shortlister(*, program: Program) -> tuple[Shortlister, dict[str, int], dict[int, MentorPlaces]]:
    """The compiled shortlister, the places to treat as taken so that its free places equal
    today's (the compiled capacity minus what is free now), and every mentor's places. Recompiled
    when a mentor has a free place the compiled input does not know of (a place freed, or a pause
    ended)."""
    version = shortlist_version(program=program)
    places = mentor_places(program=program)
    shortlister = program_shortlister(program=program, version=version)
    known = shortlister.mentor_ids
    if any(room.free > 0 and str(person_id) not in known for person_id, room in places.items()):
        with _cache_lock:
            _cache.pop(program.pk, None)
        shortlister = program_shortlister(program=program, version=version)
    pop = shortlister.pop
    assigned = {
        str(person_id): int(pop.capacity[pop.index[str(person_id)]]) - room.free
        for person_id, room in places.items()
        if str(person_id) in pop.index
    }
    return shortlister, assigned, places


def engine_allows(*, program: Program, mentee: Person, mentor: Person) -> bool | None:
    """The engine's hard rules for this pair (reporting line, blocks, language, time zones, skills,
    seniority). None when the compiled instance leaves one of them out: the mentee was already
    paired, or the mentor has no free place."""
    shortlister, _, _ = _current_shortlister(program=program)
    pop = shortlister.pop
    u, v = pop.index.get(str(mentee.pk)), pop.index.get(str(mentor.pk))
    if u is None or v is None or not (shortlister.right == v).any():
        return None
    return bool(eligible(pop, shortlister.program, np.array([u]), np.array([v]))[0])


# ---- the shortlist ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ShortlistItem:
    rank: int
    mentor: MentorProfile
    score: float
    reasons: list[ShownReason]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True)
class Shortlist:
    items: list[ShortlistItem] = field(default_factory=list)
    empty_reasons: list[ShownReason] = field(default_factory=list)


def exposure_counts(*, program: Program, mentee: Person) -> dict[str, int]:
    """For each mentor: how many other mentees, still without a mentor, have been shown them."""
    waiting = ~Exists(
        Relationship.objects.filter(program=program, mentee=OuterRef("mentee"), status__in=LIVE_STATUSES)
    )
    rows = (
        ShortlistExposure.objects.filter(program=program)
        .exclude(mentee=mentee)
        .filter(waiting)
        .values("mentor")
        .annotate(n=Count("mentee"))
        .values_list("mentor", "n")
    )
    return {str(mentor_id): n for mentor_id, n in rows}


def declined_mentor_ids(*, program: Program, mentee: Person) -> set[int]:
    """Mentors who said no to this mentee in this program."""
    return set(
        Relationship.objects.filter(
            program=program, mentee=mentee, status=RelationshipStatus.DECLINED, declined_by=F("mentor")
        ).values_list("mentor_id", flat=True)
    )


def shortlist_for(*, program: Program, mentee: Person, k: int = SHORTLIST_SIZE) -> Shortlist:
    """The mentee's top-k mentors with free places, best first, exposure spread across mentors."""
    shortlister, assigned, places = _current_shortlister(program=program)
    mentee_id = str(mentee.pk)
    if mentee_id not in shortlister.pop.index:
        return Shortlist()
    entries = shortlister.shortlist(
        mentee_id, k=k, exposure=exposure_counts(program=program, mentee=mentee), assigned=assigned
    )
    names = program_skill_names(program=program)
    if not entries:
        why = shortlister.why_empty(mentee_id, assigned=assigned)
        return Shortlist(empty_reasons=render_reasons(why, audience=Audience.MENTEE, skill_names=names))
    mentor_ids = [int(entry.mentor) for entry in entries]
    people = _public_people(mentor_ids)
    return Shortlist(
        items=[
            ShortlistItem(
                rank=rank,
                mentor=_profile(people[int(entry.mentor)], places[int(entry.mentor)]),
                score=entry.score,
                reasons=render_reasons(entry.reasons, audience=Audience.MENTEE, skill_names=names),
            )
            for rank, entry in enumerate(entries, start=1)
        ]
    )


# ---- requests --------------------------------------------------------------------------------


def open_request_of(*, program: Program, mentee: Person) -> Relationship | None:
    """The mentee's live pairing in this program (a pending request or an active relationship)."""
    return (
        Relationship.objects.filter(program=program, mentee=mentee, status__in=LIVE_STATUSES)
        .select_related("mentor")
        .first()
    )


def requests_waiting_for(*, mentor: Person) -> QuerySet:
    """Mentees' requests the mentor has not answered yet."""
    return Relationship.objects.filter(
        mentor=mentor,
        origin=RelationshipOrigin.MENTEE_REQUEST,
        status=RelationshipStatus.PENDING_CONSENT,
        mentor_consented_at__isnull=True,
    )


def requests_for_mentor(*, mentor: Person, program: Program | None = None) -> QuerySet:
    requests = requests_waiting_for(mentor=mentor).select_related("program", "mentee__department")
    if program is not None:
        requests = requests.filter(program=program)
    return requests.order_by("created_at", "id")


def _request_get(*, viewer: Viewer, request_id: int, side: str) -> Relationship:
    """A mentee's request in which the viewer is `side` ("mentor" or "mentee"); 404 for anyone else."""
    request = (
        Relationship.objects.filter(
            pk=request_id, origin=RelationshipOrigin.MENTEE_REQUEST, **{side: viewer.person}
        )
        .select_related("program", "mentor", "mentee")
        .first()
        if viewer.person
        else None
    )
    if request is None:
        raise Http404
    return request


def request_get_for_mentor(*, viewer: Viewer, request_id: int) -> Relationship:
    """A mentee's request addressed to the viewer; 404 for anyone else, the mentee included."""
    return _request_get(viewer=viewer, request_id=request_id, side="mentor")


@dataclass(frozen=True)
class RequestingMentee:
    """What a mentee shares with the mentor they ask (the request form says so): the public profile's
    name and job, their goals and purpose, and the skills they want to grow. Never the self-assessment,
    demographics or seniority."""

    request: Relationship
    wanted_skills: list[WantedSkill]


def requesting_mentee_get(*, viewer: Viewer, request_id: int) -> RequestingMentee:
    """The mentee of a live request addressed to the viewer (waiting or accepted); 404 for anyone else,
    the mentee included, and once the request was withdrawn or declined."""
    request = _request_get(viewer=viewer, request_id=request_id, side="mentor")
    if request.status not in LIVE_STATUSES:
        raise Http404
    wanted = list(
        WantedSkill.objects.filter(person_id=request.mentee_id)
        .select_related("skill")
        .order_by("priority", "skill__name")
    )
    return RequestingMentee(request=request, wanted_skills=wanted)


def request_get_for_mentee(*, viewer: Viewer, request_id: int) -> Relationship:
    return _request_get(viewer=viewer, request_id=request_id, side="mentee")
