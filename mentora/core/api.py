"""The participant's home in one call: the same data as the home page (`home_for`).

Times come with the offset of the caller's profile time zone (named in `time_zone`).
"""

import datetime

from ninja import Router, Schema

from mentora.api.calls import api_viewer
from mentora.core.selectors import home_for

router = Router(tags=["home"])


class RelationshipOut(Schema):
    id: int
    side: str
    status: str
    program_id: int
    program_name: str
    partner_id: int
    partner_name: str
    i_consented: bool
    space_url: str | None


class MeetingOut(Schema):
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


class GoalOut(Schema):
    id: int
    relationship_id: int
    partner_name: str
    mine: bool
    title: str
    progress: int
    target_date: datetime.date
    url: str


class CheckinOut(Schema):
    id: int
    relationship_id: int
    partner_name: str
    program_name: str
    kind: str
    due_on: datetime.date
    url: str


class RequestOut(Schema):
    id: int
    program_id: int
    program_name: str
    mentee_name: str
    requested_at: datetime.datetime
    url: str


class EnrolmentOut(Schema):
    role: str
    status: str


class ProgramOut(Schema):
    id: int
    name: str
    status: str
    starts_on: datetime.date | None
    may_mentor: bool
    enrolments: list[EnrolmentOut]
    url: str


class HomeOut(Schema):
    time_zone: str
    as_mentor: list[RelationshipOut]
    as_mentee: list[RelationshipOut]
    next_meeting: MeetingOut | None
    goals: list[GoalOut]
    checkins: list[CheckinOut]
    requests: list[RequestOut]
    my_programs: list[ProgramOut]
    open_programs: list[ProgramOut]


@router.get("/home", response=HomeOut, summary="My home: relationships, next meeting, goals, check-ins")
def me_home(request):
    return home_for(viewer=api_viewer(request))
