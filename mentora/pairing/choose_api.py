"""Mentee choice endpoints: my shortlist, a mentor's public profile, requesting a mentor; for mentors,
the requests waiting for them, accept/decline, and their capacity and pause. Same selectors and
services as the pages, the API's one error shape; anything out of the caller's reach is a 404.
"""

from datetime import date, datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mentora.api.calls import api_viewer
from mentora.api.schemas import Id, PersonRefOut
from mentora.core.refusals import Refusal
from mentora.pairing import choose_selectors as selectors
from mentora.pairing import choose_services as services
from mentora.pairing.api import ReasonOut
from mentora.people.models import Person
from mentora.programs.models import EnrolmentRole
from mentora.programs.services import mentor_availability_set
from mentora.relationships.models import RelationshipStatus

router = Router(tags=["mentee choice"])


def _mentee_program(request, program_id: int):
    viewer = api_viewer(request)
    program = selectors.program_get_for_participant(viewer=viewer, program_id=program_id)
    if selectors.approved_enrolment(program=program, person=viewer.person, role=EnrolmentRole.MENTEE) is None:
        raise Http404
    return program, viewer.person


# ---- schemas ---------------------------------------------------------------------------------


class MentorSkillOut(Schema):
    skill: str
    level: int


class MentorPublicOut(Schema):
    """Public fields only: never the self-assessment, demographics or intake answers."""

    id: int
    full_name: str
    job_title: str
    department: str
    location: str
    time_zone: str
    meeting_mode: str
    languages: list[str]
    offered_skills: list[MentorSkillOut]
    goals: str
    capacity: int
    free_places: int
    paused_until: date | None


def _mentor_out(profile: selectors.MentorProfile) -> dict:
    return {
        "id": profile.person_id,
        "full_name": profile.full_name,
        "job_title": profile.job_title,
        "department": profile.department,
        "location": profile.location,
        "time_zone": profile.time_zone,
        "meeting_mode": profile.meeting_mode,
        "languages": profile.languages,
        "offered_skills": [{"skill": name, "level": level} for name, level in profile.offered_skills],
        "goals": profile.goals,
        "capacity": profile.capacity,
        "free_places": profile.free,
        "paused_until": profile.paused_until,
    }


class ShortlistEntryOut(Schema):
    rank: int
    score: float
    reasons: list[ReasonOut]
    mentor: MentorPublicOut


class MentorRequestOut(Schema):
    id: int
    program_id: int
    mentor: PersonRefOut
    mentee: PersonRefOut
    status: RelationshipStatus
    note: str
    created_at: datetime
    mentor_consented_at: datetime | None
    started_at: datetime | None
    declined_at: datetime | None


class ShortlistOut(Schema):
    entries: list[ShortlistEntryOut]
    empty_reasons: list[ReasonOut] = Field(description="Why nobody is shortlisted, when nobody is.")
    open_request: MentorRequestOut | None = Field(
        description="My pending request or active relationship here; no shortlist while it is live."
    )
    matched_by_manager: bool = Field(
        False, description="A program manager matched me with a mentor: no shortlist, no requests."
    )


class RequestIn(Schema):
    mentor_id: Id
    note: str = Field("", max_length=services.NOTE_MAX_LENGTH)


class MyAvailabilityIn(Schema):
    capacity: int
    paused_until: date | None = Field(
        None, description="Not taking new mentees until this date; null to resume."
    )


class AvailabilityOut(Schema):
    capacity: int
    paused_until: date | None


# ---- mentee side -----------------------------------------------------------------------------


@router.get("/programs/{int:program_id}/shortlist", response=ShortlistOut, summary="My ranked shortlist")
def shortlist(
    request, program_id: Id, k: int = Query(selectors.SHORTLIST_SIZE, ge=1, le=selectors.MAX_SHORTLIST_SIZE)
):
    program, mentee = _mentee_program(request, program_id)
    if not selectors.is_choose_program(program):
        raise Refusal(
            _("In this program, mentors are proposed by the program's managers rather than chosen."),
            code="not_choose_mode",
        )
    open_request = selectors.open_request_of(program=program, mentee=mentee)
    if open_request is not None:
        return {"entries": [], "empty_reasons": [], "open_request": open_request}
    if selectors.matched_by_manager(program=program, mentee=mentee):
        return {
            "entries": [],
            "empty_reasons": [
                {"code": "matched_by_manager", "params": {}, "text": str(services.MATCHED_BY_MANAGER)}
            ],
            "open_request": None,
            "matched_by_manager": True,
        }
    result = selectors.shortlist_for(program=program, mentee=mentee, k=k)
    services.shortlist_exposure_record(
        program=program, mentee=mentee, mentor_ids=[item.mentor.person_id for item in result.items]
    )
    return {
        "entries": [
            {
                "rank": item.rank,
                "score": round(item.score, 4),
                "reasons": item.reasons,
                "mentor": _mentor_out(item.mentor),
            }
            for item in result.items
        ],
        "empty_reasons": result.empty_reasons,
        "open_request": None,
    }


@router.get(
    "/programs/{int:program_id}/mentors/{int:mentor_id}",
    response=MentorPublicOut,
    summary="A mentor's public profile (the program's participants and managers)",
)
def mentor_profile(request, program_id: Id, mentor_id: Id):
    viewer = api_viewer(request)
    program = selectors.program_get_for_profiles(viewer=viewer, program_id=program_id)
    return _mentor_out(selectors.mentor_profile_get(program=program, mentor_id=mentor_id))


@router.post(
    "/programs/{int:program_id}/requests",
    response={201: MentorRequestOut},
    summary="Ask a mentor",
)
def create_request(request, program_id: Id, payload: RequestIn):
    program, mentee = _mentee_program(request, program_id)
    mentor = get_object_or_404(Person, pk=payload.mentor_id, organisation_id=program.organisation_id)
    relationship = services.mentor_request_create(
        program=program, mentee=mentee, mentor=mentor, note=payload.note
    )
    return Status(201, relationship)


@router.post(
    "/requests/{int:request_id}/withdraw",
    response={200: MentorRequestOut},
    summary="Withdraw my request",
)
def withdraw(request, request_id: Id):
    viewer = api_viewer(request)
    mentor_request = selectors.request_get_for_mentee(viewer=viewer, request_id=request_id)
    return services.mentor_request_withdraw(request=mentor_request, mentee=viewer.person)


# ---- mentor side -----------------------------------------------------------------------------


@router.get("/requests", response=list[MentorRequestOut], summary="Requests waiting for my answer (mentors)")
def waiting_requests(request, program_id: Id | None = None):
    viewer = api_viewer(request)
    requests = selectors.requests_for_mentor(mentor=viewer.person).select_related("mentor")
    if program_id is not None:
        requests = requests.filter(program_id=program_id)
    return requests


def _answer(request, request_id: int, *, accept: bool):
    viewer = api_viewer(request)
    mentor_request = selectors.request_get_for_mentor(viewer=viewer, request_id=request_id)
    return services.mentor_request_answer(request=mentor_request, mentor=viewer.person, accept=accept)


@router.post(
    "/requests/{int:request_id}/accept",
    response={200: MentorRequestOut},
    summary="Accept a mentee's request",
)
def accept(request, request_id: Id):
    return _answer(request, request_id, accept=True)


@router.post(
    "/requests/{int:request_id}/decline",
    response={200: MentorRequestOut},
    summary="Decline a mentee's request",
)
def decline(request, request_id: Id):
    return _answer(request, request_id, accept=False)


@router.put(
    "/programs/{int:program_id}/availability",
    response=AvailabilityOut,
    summary="My capacity and pause as a mentor in this program",
)
def set_availability(request, program_id: Id, payload: MyAvailabilityIn):
    viewer = api_viewer(request)
    program = selectors.program_get_for_participant(viewer=viewer, program_id=program_id)
    enrolment = selectors.approved_enrolment(program=program, person=viewer.person, role=EnrolmentRole.MENTOR)
    if enrolment is None:
        raise Http404
    return mentor_availability_set(
        enrolment=enrolment, capacity=payload.capacity, paused_until=payload.paused_until
    )
