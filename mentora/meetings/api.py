"""Meeting endpoints in a pair's space, the .ics download and the calendar feed address.
Same services as the pages.

`starts_at` is ISO 8601. With an offset (`2031-03-30T10:00:00+01:00`, or `Z`) it is taken as is;
without one it is read as a wall-clock time in `time_zone` (an IANA name such as Europe/London),
or in the caller's profile time zone when `time_zone` is left out. Times come back in UTC.
"""

import datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from mentora.api.calls import api_viewer
from mentora.api.pagination import Mapped, Pages
from mentora.api.schemas import Id, UpdatedSince, changed_since
from mentora.meetings import ical, selectors, services
from mentora.meetings.models import Meeting, MeetingStatus
from mentora.meetings.times import local_to_utc, zone
from mentora.workspace.access import Pair
from mentora.workspace.api import api_pair

router = Router(tags=["meetings"])
calendar_router = Router(tags=["meetings"])


class PrepOut(Schema):
    agenda: str
    questions: str
    version: int
    updated_at: datetime.datetime | None


class MeetingOut(Schema):
    id: int
    relationship_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    duration_minutes: int
    place: str
    video_url: str
    status: MeetingStatus
    version: int
    sequence: int
    actual_duration_minutes: int | None
    topics: str
    logged_at: datetime.datetime | None
    my_rating: int | None
    prep: PrepOut


class MeetingIn(Schema):
    starts_at: datetime.datetime
    time_zone: str | None = None
    duration_minutes: int
    place: str = ""
    video_url: str = ""


class PastMeetingIn(Schema):
    starts_at: datetime.datetime
    time_zone: str | None = None
    duration_minutes: int
    place: str = ""
    topics: str = ""
    rating: int | None = None


class MeetingChangeIn(MeetingIn):
    version: int


class MeetingVersionIn(Schema):
    version: int


class LogIn(Schema):
    version: int
    outcome: Literal["happened", "cancelled"]
    actual_duration_minutes: int | None = None
    topics: str = ""
    rating: int | None = None


class PrepIn(Schema):
    version: int
    agenda: str = ""
    questions: str = ""


class FeedOut(Schema):
    url: str | None


def _prep(meeting: Meeting) -> dict:
    prep = getattr(meeting, "prep", None)
    if prep is None:
        return {"agenda": "", "questions": "", "version": 0, "updated_at": None}
    return {
        "agenda": prep.agenda,
        "questions": prep.questions,
        "version": prep.version,
        "updated_at": prep.updated_at,
    }


def _out(meeting: Meeting, pair: Pair) -> dict:
    fields = [name for name in MeetingOut.model_fields if name not in ("ends_at", "my_rating", "prep")]
    out = {name: getattr(meeting, name) for name in fields}
    out.update(ends_at=meeting.ends_at, my_rating=meeting.rating_of(pair.side), prep=_prep(meeting))
    return out


def _starts_at(payload: MeetingIn | PastMeetingIn, pair: Pair) -> datetime.datetime:
    if payload.time_zone:
        zone(payload.time_zone)
    return local_to_utc(payload.starts_at, payload.time_zone or pair.person.time_zone)


def _slot(payload: MeetingIn, pair: Pair) -> dict:
    return {
        "starts_at": _starts_at(payload, pair),
        "duration_minutes": payload.duration_minutes,
        "place": payload.place,
        "video_url": payload.video_url,
    }


def _meeting(request, relationship_id: int, meeting_id: int) -> tuple[Pair, Meeting]:
    pair = api_pair(request, relationship_id)
    return pair, selectors.meeting_get_for_pair(pair=pair, meeting_id=meeting_id)


def _fresh(pair: Pair, meeting: Meeting) -> dict:
    return _out(selectors.meeting_get_for_pair(pair=pair, meeting_id=meeting.pk), pair)


@router.get("/{int:relationship_id}/meetings", response=list[MeetingOut], summary="The pair's meetings")
@paginate(Pages)
def meeting_list(request, relationship_id: Id, updated_since: UpdatedSince = None):
    pair = api_pair(request, relationship_id)
    meetings = changed_since(
        selectors.meeting_list_for_relationship(relationship=pair.relationship), updated_since
    )
    return Mapped(meetings, lambda meeting: _out(meeting, pair))


@router.post("/{int:relationship_id}/meetings", response={201: MeetingOut}, summary="Schedule a meeting")
def meeting_schedule(request, relationship_id: Id, payload: MeetingIn):
    pair = api_pair(request, relationship_id)
    meeting = services.meeting_schedule(
        relationship=pair.relationship, person=pair.person, **_slot(payload, pair)
    )
    return Status(201, _fresh(pair, meeting))


@router.post(
    "/{int:relationship_id}/meetings/past",
    response={201: MeetingOut},
    summary="Log a meeting that happened without being scheduled (since the start, not in the future)",
)
def meeting_record_past(request, relationship_id: Id, payload: PastMeetingIn):
    pair = api_pair(request, relationship_id)
    meeting = services.meeting_record_past(
        relationship=pair.relationship,
        person=pair.person,
        starts_at=_starts_at(payload, pair),
        duration_minutes=payload.duration_minutes,
        place=payload.place,
        topics=payload.topics,
        rating=payload.rating,
    )
    return Status(201, _fresh(pair, meeting))


@router.get("/{int:relationship_id}/meetings/{int:meeting_id}", response=MeetingOut, summary="One meeting")
def meeting_get(request, relationship_id: Id, meeting_id: Id):
    pair, meeting = _meeting(request, relationship_id, meeting_id)
    return _out(meeting, pair)


@router.put(
    "/{int:relationship_id}/meetings/{int:meeting_id}",
    response={200: MeetingOut},
    summary="Reschedule a meeting (409 `stale` if it changed since `version`)",
)
def meeting_reschedule(request, relationship_id: Id, meeting_id: Id, payload: MeetingChangeIn):
    pair, meeting = _meeting(request, relationship_id, meeting_id)
    services.meeting_reschedule(
        meeting=meeting, person=pair.person, version=payload.version, **_slot(payload, pair)
    )
    return _fresh(pair, meeting)


@router.post(
    "/{int:relationship_id}/meetings/{int:meeting_id}/cancel",
    response={200: MeetingOut},
    summary="Cancel a meeting",
)
def meeting_cancel(request, relationship_id: Id, meeting_id: Id, payload: MeetingVersionIn):
    pair, meeting = _meeting(request, relationship_id, meeting_id)
    services.meeting_cancel(meeting=meeting, person=pair.person, version=payload.version)
    return _fresh(pair, meeting)


@router.post(
    "/{int:relationship_id}/meetings/{int:meeting_id}/log",
    response={200: MeetingOut},
    summary="Log a meeting afterwards: outcome, duration, topics and my rating",
)
def meeting_log(request, relationship_id: Id, meeting_id: Id, payload: LogIn):
    pair, meeting = _meeting(request, relationship_id, meeting_id)
    services.meeting_log(meeting=meeting, person=pair.person, **payload.dict())
    return _fresh(pair, meeting)


@router.get(
    "/{int:relationship_id}/meetings/{int:meeting_id}/prep", response=PrepOut, summary="The preparation"
)
def prep_get(request, relationship_id: Id, meeting_id: Id):
    return _prep(_meeting(request, relationship_id, meeting_id)[1])


@router.put(
    "/{int:relationship_id}/meetings/{int:meeting_id}/prep",
    response={200: PrepOut},
    summary="Save the agenda and questions (the mentee; `version` 0 the first time)",
)
def prep_save(request, relationship_id: Id, meeting_id: Id, payload: PrepIn):
    pair, meeting = _meeting(request, relationship_id, meeting_id)
    services.meeting_prep_save(meeting=meeting, person=pair.person, **payload.dict())
    return _prep(selectors.meeting_get_for_pair(pair=pair, meeting_id=meeting.pk))


@router.get(
    "/{int:relationship_id}/meetings/{int:meeting_id}/ics",
    summary="The meeting as iCalendar (text/calendar)",
    openapi_extra={"responses": {200: {"content": {"text/calendar": {}}, "description": "RFC 5545"}}},
)
def meeting_ics(request, relationship_id: Id, meeting_id: Id):
    pair, meeting = _meeting(request, relationship_id, meeting_id)
    content = ical.calendar_bytes([meeting], person=pair.person)
    return HttpResponse(content, content_type="text/calendar; charset=utf-8")


def _feed_url(person) -> dict:
    return {"url": selectors.calendar_feed_url(person=person)}


def _person(request):
    return api_viewer(request).person


@calendar_router.get(
    "/feed", response=FeedOut, summary="My calendar subscription address (null until I make one)"
)
def feed_get(request):
    return _feed_url(_person(request))


@calendar_router.post(
    "/feed/reset", response=FeedOut, summary="Make my calendar address, revoking the one I had"
)
def feed_reset(request):
    person = _person(request)
    services.calendar_feed_reset(person=person)
    return _feed_url(person)
