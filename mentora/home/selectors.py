"""The participant's home page in one glance: their relationships, next meeting, open goals, pending
check-ins, mentees' requests waiting for them and programs open to them.

`home_for` composes the apps' selectors with a fixed number of queries, however many relationships,
goals or meetings the person has. It copies out only what the home page shows: names, titles,
dates and progress; never a note, a check-in answer, a relationship's private end reason or anything
of the partner's profile beyond their name.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.urls import reverse

from mentora.checkins.selectors import checkins_pending_for
from mentora.core.roles import Viewer
from mentora.goals.selectors import goal_list_open_for_person
from mentora.meetings.selectors import meeting_get_next_for_person
from mentora.pairing.choose_selectors import requests_for_mentor
from mentora.people.models import Person
from mentora.people.selectors import direct_reports
from mentora.programs.models import EnrolmentStatus, ProgramStatus
from mentora.programs.selectors import people_taking_part, program_list_open_to
from mentora.relationships.models import LIVE_STATUSES, Relationship, RelationshipStatus
from mentora.relationships.selectors import relationship_list_for_person


@dataclass(frozen=True)
class HomeRelationship:
    id: int
    side: str  # "mentor" or "mentee": the viewer's side
    status: str
    status_label: str
    program_id: int
    program_name: str
    partner_id: int
    partner_name: str
    i_consented: bool
    space_url: str | None  # the pair's space, once the relationship is active

    @property
    def is_pending(self) -> bool:
        return self.status == RelationshipStatus.PENDING_CONSENT


@dataclass(frozen=True)
class HomeMeeting:
    id: int
    relationship_id: int
    partner_name: str
    starts_at: datetime.datetime  # in the viewer's time zone
    ends_at: datetime.datetime
    duration_minutes: int
    place: str
    video_url: str
    url: str
    ics_url: str


@dataclass(frozen=True)
class HomeGoal:
    id: int
    relationship_id: int
    partner_name: str
    mine: bool  # the viewer is the mentee, who owns the goal
    title: str
    progress: int
    target_date: datetime.date
    url: str


@dataclass(frozen=True)
class HomeCheckin:
    id: int
    relationship_id: int
    partner_name: str
    program_name: str
    kind: str
    kind_label: str
    due_on: datetime.date
    url: str


@dataclass(frozen=True)
class HomeRequest:
    id: int
    program_id: int
    program_name: str
    mentee_name: str
    requested_at: datetime.datetime
    url: str


@dataclass(frozen=True)
class HomeEnrolment:
    role: str
    role_label: str
    status: str
    status_label: str


@dataclass(frozen=True)
class HomeProgram:
    id: int
    name: str
    status: str
    status_label: str
    starts_on: datetime.date | None
    may_mentor: bool
    enrolments: list[HomeEnrolment]
    url: str


@dataclass(frozen=True)
class Home:
    time_zone: str
    as_mentor: list[HomeRelationship]
    as_mentee: list[HomeRelationship]
    next_meeting: HomeMeeting | None
    goals: list[HomeGoal]
    checkins: list[HomeCheckin]
    requests: list[HomeRequest]
    my_programs: list[HomeProgram]  # programs the viewer applied to or takes part in
    open_programs: list[HomeProgram]  # open programs they may still join

    @property
    def in_a_program(self) -> bool:
        return any(
            enrolment.status == EnrolmentStatus.APPROVED
            for program in self.my_programs
            for enrolment in program.enrolments
        )

    @property
    def has_relationships(self) -> bool:
        return bool(self.as_mentor or self.as_mentee)


def _relationship(relationship: Relationship, person) -> HomeRelationship:
    partner = relationship.partner_of(person)
    active = relationship.status == RelationshipStatus.ACTIVE
    return HomeRelationship(
        id=relationship.pk,
        side=relationship.side_of(person),
        status=relationship.status,
        status_label=str(relationship.get_status_display()),
        program_id=relationship.program_id,
        program_name=relationship.program.name,
        partner_id=partner.pk,
        partner_name=partner.full_name,
        i_consented=relationship.has_consented(person),
        space_url=reverse("workspace:pair", args=[relationship.pk]) if active else None,
    )


def _meeting(meeting, person, tz: zoneinfo.ZoneInfo) -> HomeMeeting:
    relationship = meeting.relationship
    return HomeMeeting(
        id=meeting.pk,
        relationship_id=relationship.pk,
        partner_name=relationship.partner_of(person).full_name,
        starts_at=meeting.starts_at.astimezone(tz),
        ends_at=meeting.ends_at.astimezone(tz),
        duration_minutes=meeting.duration_minutes,
        place=meeting.place,
        video_url=meeting.video_url,
        url=reverse("meetings:detail", args=[relationship.pk, meeting.pk]),
        ics_url=reverse("meetings:ics", args=[relationship.pk, meeting.pk]),
    )


def _program(item) -> HomeProgram:
    program = item.program
    return HomeProgram(
        id=program.pk,
        name=program.name,
        status=program.status,
        status_label=str(program.get_status_display()),
        starts_on=program.starts_on,
        may_mentor=item.may_mentor,
        enrolments=[
            HomeEnrolment(
                role=enrolment.role,
                role_label=str(enrolment.get_role_display()),
                status=enrolment.status,
                status_label=str(enrolment.get_status_display()),
            )
            for enrolment in item.enrolments
        ],
        url=reverse("programs:detail", args=[program.pk]),
    )


# The columns the home's rows copy out, for the selectors' querysets (`only`): they join the program
# and both people, whose every column (a profile's goals and purpose, a program's description)
# made most of the home's query-building and row-loading CPU (docs/performance.md).
PAIR = ("mentor_id", "mentee_id", "mentor__full_name", "mentee__full_name")
RELATIONSHIP_FIELDS = (
    *PAIR,
    "status",
    "program__name",
    "mentor_consented_at",
    "mentee_consented_at",
    "created_at",
)
REQUEST_FIELDS = ("program__name", "mentee__full_name", "created_at")
GOAL_FIELDS = (
    *(f"relationship__{name}" for name in PAIR),
    "title",
    "progress",
    "target_date",
)


def home_for(*, viewer: Viewer) -> Home | None:
    """Everything the participant's home page shows, or None for a user who is not a person."""
    person = viewer.person
    if person is None:
        return None
    tz = person.zone
    requests = list(
        requests_for_mentor(mentor=person)
        .select_related(None)
        .select_related("program", "mentee")
        .only(*REQUEST_FIELDS)
    )
    # A mentee's request waiting for the viewer is answered from "Requests waiting for you".
    request_ids = {request.pk for request in requests}
    relationships = [
        _relationship(relationship, person)
        for relationship in relationship_list_for_person(person=person)
        .filter(status__in=LIVE_STATUSES)
        .only(*RELATIONSHIP_FIELDS)
        if relationship.pk not in request_ids
    ]
    meeting = meeting_get_next_for_person(person=person)
    programs = [_program(item) for item in program_list_open_to(person=person)]
    return Home(
        time_zone=tz.key,
        as_mentor=[r for r in relationships if r.side == "mentor"],
        as_mentee=[r for r in relationships if r.side == "mentee"],
        next_meeting=_meeting(meeting, person, tz) if meeting else None,
        goals=[
            HomeGoal(
                id=goal.pk,
                relationship_id=goal.relationship_id,
                partner_name=goal.relationship.partner_of(person).full_name,
                mine=goal.relationship.mentee_id == person.pk,
                title=goal.title,
                progress=goal.progress,
                target_date=goal.target_date,
                url=reverse("workspace:pair", args=[goal.relationship_id]) + "#goals",
            )
            for goal in goal_list_open_for_person(person=person)
            .select_related(None)
            .select_related("relationship__mentor", "relationship__mentee")
            .only(*GOAL_FIELDS)
        ],
        checkins=[
            HomeCheckin(
                id=checkin.pk,
                relationship_id=checkin.relationship_id,
                partner_name=checkin.relationship.partner_of(person).full_name,
                program_name=checkin.relationship.program.name,
                kind=checkin.kind,
                kind_label=str(checkin.get_kind_display()),
                due_on=checkin.due_on,
                url=reverse("checkins:answer", args=[checkin.pk]),
            )
            for checkin in checkins_pending_for(person=person)
        ],
        requests=[
            HomeRequest(
                id=request.pk,
                program_id=request.program_id,
                program_name=request.program.name,
                mentee_name=request.mentee.full_name,
                requested_at=request.created_at.astimezone(tz),
                url=reverse("pairing:choose_requests", args=[request.program_id]),
            )
            for request in requests
        ],
        my_programs=[program for program in programs if program.enrolments],
        open_programs=[
            program for program in programs if not program.enrolments and program.status == ProgramStatus.OPEN
        ],
    )


@dataclass(frozen=True)
class DirectReport:
    id: int
    full_name: str
    job_title: str
    taking_part: bool  # approved in a live program, as mentor or mentee
    offered_count: int
    wanted_count: int


def direct_reports_for(*, person: Person) -> list[DirectReport]:
    """A line manager's direct reports, for their home page: whether each takes part in mentoring
    and how many skills they offer and want, never their answers or self-assessment."""
    reports = list(direct_reports(person=person))
    taking_part = people_taking_part(person_ids=[report.pk for report in reports])
    return [
        DirectReport(
            id=report.pk,
            full_name=report.full_name,
            job_title=report.job_title,
            taking_part=report.pk in taking_part,
            offered_count=report.offered_count,
            wanted_count=report.wanted_count,
        )
        for report in reports
    ]
