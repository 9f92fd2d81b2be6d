"""The participant's home in one call: the same data as the home page (`home_for`).

Times come with the offset of the caller's profile time zone (named in `time_zone`).
"""

import datetime

from ninja import Field, Router, Schema

from mentora.api.calls import api_viewer
from mentora.home.selectors import direct_reports_for, home_for

router = Router(tags=["home"])


class HomeRelationshipOut(Schema):
    id: int
    side: str
    status: str
    program_id: int
    program_name: str
    partner_id: int
    partner_name: str
    i_consented: bool
    space_url: str | None


class HomeMeetingOut(Schema):
    id: int
    relationship_id: int
    partner_name: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    duration_minutes: int
    place: str
    video_url: str
    url: str
    ics_url: str


class HomeGoalOut(Schema):
    id: int
    relationship_id: int
    partner_name: str
    mine: bool
    title: str
    progress: int
    target_date: datetime.date
    url: str


class HomeCheckinOut(Schema):
    id: int
    relationship_id: int
    partner_name: str
    program_name: str
    kind: str
    due_on: datetime.date
    url: str


class HomeRequestOut(Schema):
    id: int
    program_id: int
    program_name: str
    mentee_name: str
    requested_at: datetime.datetime
    url: str


class HomeEnrolmentOut(Schema):
    role: str
    status: str


class HomeProgramOut(Schema):
    id: int
    name: str
    status: str
    starts_on: datetime.date | None
    may_mentor: bool
    enrolments: list[HomeEnrolmentOut]
    url: str


class HomeOut(Schema):
    time_zone: str
    as_mentor: list[HomeRelationshipOut]
    as_mentee: list[HomeRelationshipOut]
    next_meeting: HomeMeetingOut | None
    goals: list[HomeGoalOut]
    checkins: list[HomeCheckinOut]
    requests: list[HomeRequestOut]
    my_programs: list[HomeProgramOut]
    open_programs: list[HomeProgramOut]


@router.get("/home", response=HomeOut, summary="My home: relationships, next meeting, goals, check-ins")
def me_home(request):
    return home_for(viewer=api_viewer(request))


class DirectReportOut(Schema):
    id: int
    full_name: str
    job_title: str
    taking_part: bool = Field(description="Approved in an open, matching or running program, in either role.")
    offered_count: int
    wanted_count: int


@router.get(
    "/reports", response=list[DirectReportOut], summary="My direct reports and whether they take part"
)
def me_reports(request):
    viewer = api_viewer(request)
    return direct_reports_for(person=viewer.person) if viewer.person is not None else []
