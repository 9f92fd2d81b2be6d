"""Check-ins: my pending ones and my answers (respondent only); a program's settings, aggregates
and at-risk pairs (its managers only; never an individual answer)."""

from datetime import date, datetime

from ninja import Field, Router, Schema
from pydantic import StrictBool

from mentora.api.calls import api_viewer
from mentora.api.schemas import Id, PersonRefOut, dataclass_schema
from mentora.checkins import selectors, services
from mentora.checkins.models import (
    BLOCKERS_LIMIT,
    CheckinKind,
    CheckinStatus,
    GoalsAchieved,
    MeetingFrequency,
)
from mentora.checkins.pair_health import at_risk_rows
from mentora.programs.selectors import program_get_managed

router = Router(tags=["check-ins"])


class CheckinAnswerOut(Schema):
    usefulness: int
    meeting_frequency: MeetingFrequency
    blockers: str
    tell_program_manager: bool


class EndSurveyAnswerOut(Schema):
    usefulness: int
    goals_achieved: GoalsAchieved
    would_recommend: bool
    what_helped: str
    what_to_change: str


class CheckinOut(Schema):
    id: int
    relationship_id: int
    kind: CheckinKind
    status: CheckinStatus
    due_on: date
    overdue: bool = Field(description="Unanswered more than the program's overdue_after_days after due_on.")
    answered_at: datetime | None
    answer: CheckinAnswerOut | None = Field(
        None, description="Yours, for a pulse or mid-point check-in; nobody else can read it."
    )
    end_answer: EndSurveyAnswerOut | None = Field(
        None, description="Yours, for the end-of-cycle survey; nobody else can read it."
    )


class AnswerIn(Schema):
    usefulness: int = Field(description="1 = not useful … 5 = very useful")
    meeting_frequency: MeetingFrequency
    blockers: str = Field("", description=f"At most {BLOCKERS_LIMIT} characters.")
    tell_program_manager: StrictBool = Field(
        False, description="Let the program's managers see that this pair would like help (not the answer)."
    )


class EndAnswerIn(Schema):
    usefulness: int = Field(description="Overall: 1 = not useful … 5 = very useful")
    goals_achieved: GoalsAchieved
    would_recommend: StrictBool
    what_helped: str = Field("", description=f"At most {BLOCKERS_LIMIT} characters.")
    what_to_change: str = Field("", description=f"At most {BLOCKERS_LIMIT} characters.")


class ScheduleIO(Schema):
    enabled: StrictBool
    cadence_weeks: int
    midpoint_survey: StrictBool
    end_survey: StrictBool
    silent_after_weeks: int
    overdue_after_days: int


CellOut = dataclass_schema(selectors.Cell)
PeriodOut = dataclass_schema(
    selectors.PeriodFigures,
    name="PeriodOut",
    nested={selectors.Cell: CellOut},
    descriptions={
        "ends_on": "Excluded: the period covers answers received before this day.",
        "frequency": "null: hidden, too few answers.",
    },
)
AggregatesOut = dataclass_schema(
    selectors.CheckinAggregates,
    name="AggregatesOut",
    nested={selectors.PeriodFigures: PeriodOut},
    properties=["response_rate"],
    descriptions={
        "periods": "Closed calendar months with at least min_group_size answers, newest first; "
        "frozen once published. The current month is never included."
    },
)


class AtRiskOut(Schema):
    relationship_id: int
    mentor: PersonRefOut
    mentee: PersonRefOut
    reasons: list[str]
    last_met_at: datetime | None = Field(description="The latest meeting that started and was not cancelled.")


def _out(checkin) -> dict:
    answer = selectors.my_answer(checkin=checkin)
    end = checkin.kind == CheckinKind.END
    return {
        "id": checkin.pk,
        "relationship_id": checkin.relationship_id,
        "kind": checkin.kind,
        "status": checkin.status,
        "due_on": checkin.due_on,
        "overdue": checkin.overdue,
        "answered_at": checkin.answered_at,
        "answer": None if end else answer,
        "end_answer": answer if end else None,
    }


@router.get("/pending", response=list[CheckinOut], summary="My check-ins waiting for an answer")
def pending(request):
    viewer = api_viewer(request)
    return [_out(checkin) for checkin in selectors.checkins_pending_for(person=viewer.person)]


@router.get("/{int:checkin_id}", response=CheckinOut, summary="One of my check-ins, with my answer")
def checkin_get(request, checkin_id: Id):
    viewer = api_viewer(request)
    return _out(selectors.checkin_get_for_respondent(person=viewer.person, checkin_id=checkin_id))


@router.post("/{int:checkin_id}/answer", response={200: CheckinOut}, summary="Answer my check-in")
def checkin_answer(request, checkin_id: Id, payload: AnswerIn):
    viewer = api_viewer(request)
    checkin = selectors.checkin_get_for_respondent(person=viewer.person, checkin_id=checkin_id)
    services.checkin_answer(checkin=checkin, person=viewer.person, **payload.dict())
    return _out(selectors.checkin_get_for_respondent(person=viewer.person, checkin_id=checkin_id))


@router.post(
    "/{int:checkin_id}/end-answer",
    response={200: CheckinOut},
    summary="Answer my end-of-cycle survey (its own questions)",
)
def checkin_answer_end(request, checkin_id: Id, payload: EndAnswerIn):
    viewer = api_viewer(request)
    checkin = selectors.checkin_get_for_respondent(person=viewer.person, checkin_id=checkin_id)
    services.checkin_answer_end(checkin=checkin, person=viewer.person, **payload.dict())
    return _out(selectors.checkin_get_for_respondent(person=viewer.person, checkin_id=checkin_id))


@router.get(
    "/programs/{int:program_id}/settings", response=ScheduleIO, summary="A program's check-in settings"
)
def settings_get(request, program_id: Id):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    return selectors.schedule_for(program=program)


@router.put("/programs/{int:program_id}/settings", response=ScheduleIO, summary="Change check-in settings")
def settings_put(request, program_id: Id, payload: ScheduleIO):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    return services.checkin_schedule_update(program=program, **payload.dict())


@router.get(
    "/programs/{int:program_id}/aggregates", response=AggregatesOut, summary="Answers in aggregate (managers)"
)
def aggregates(request, program_id: Id):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    services.checkin_periods_publish(program=program)
    return selectors.program_checkin_aggregates(program=program)


@router.get(
    "/programs/{int:program_id}/at-risk", response=list[AtRiskOut], summary="Pairs at risk (managers)"
)
def at_risk(request, program_id: Id):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    return [
        {
            "relationship_id": row.pair.relationship.pk,
            "mentor": row.pair.relationship.mentor,
            "mentee": row.pair.relationship.mentee,
            "reasons": row.pair.reasons,
            "last_met_at": row.last_met_at,
        }
        for row in at_risk_rows(program=program)
    ]
