"""Agreement, first-meeting agenda, the endings (closure, its confirmation or dispute, the no-fault
exit), extension and reflections: for the pair only."""

from datetime import date, datetime

from ninja import Field, Router, Schema
from pydantic import StrictBool

from mentora.agreements import closure, selectors, services
from mentora.agreements.models import AgendaStep, ClosureReason
from mentora.api.schemas import Id, dataclass_schema
from mentora.workspace.api import api_pair

router = Router(tags=["agreements"])

AgendaItemOut = dataclass_schema(selectors.AgendaItem)


class AgreementOut(Schema):
    relationship_id: int
    version: int = Field(description="Send it back with an edit or a confirmation; 409 when it changed.")
    expectations: str
    confidentiality: str
    cadence: str
    channel: str
    ending: str
    mentor_confirmed_at: datetime | None
    mentee_confirmed_at: datetime | None
    is_confirmed: bool
    agenda: list[AgendaItemOut]


class AgreementIn(Schema):
    version: int = Field(ge=0)
    expectations: str = ""
    confidentiality: str = ""
    cadence: str = ""
    channel: str = ""
    ending: str = ""


class AgreementVersionIn(Schema):
    version: int = Field(ge=0)


class AgendaIn(Schema):
    done: StrictBool


class ReflectionOut(Schema):
    author_id: int
    author_name: str
    learned: str
    updated_at: datetime


class ClosureOut(Schema):
    relationship_id: int
    status: str
    ends_on: date
    closed: bool
    pending: bool = Field(description='A "goals met" closure waits for the partner\'s confirmation.')
    proposed_by_id: int | None
    reason: ClosureReason | None
    closed_at: datetime | None
    reflections: list[ReflectionOut]


class CloseIn(Schema):
    reason: ClosureReason
    learned: str = ""


class EndIn(Schema):
    reason: str = Field("", max_length=2000)


class ExtendIn(Schema):
    ends_on: date


class ReflectionIn(Schema):
    learned: str


def _agreement_out(relationship) -> dict:
    agreement = selectors.agreement_for(relationship=relationship)
    return {
        "relationship_id": relationship.pk,
        "version": agreement.version,
        **{name: getattr(agreement, name) for name in services.AGREEMENT_FIELDS},
        "mentor_confirmed_at": agreement.mentor_confirmed_at,
        "mentee_confirmed_at": agreement.mentee_confirmed_at,
        "is_confirmed": agreement.is_confirmed,
        "agenda": selectors.agenda_for(agreement=agreement),
    }


def _closure_out(relationship) -> dict:
    relationship.refresh_from_db(fields=["status", "ends_on"])
    record = selectors.closure_for(relationship=relationship)
    return {
        "relationship_id": relationship.pk,
        "status": relationship.status,
        "ends_on": relationship.ends_on,
        "closed": record is not None and not record.is_pending,
        "pending": record is not None and record.is_pending,
        "proposed_by_id": record.closed_by_id if record else None,
        "reason": record.reason if record else None,
        "closed_at": record.closed_at if record else None,
        "reflections": [
            {
                "author_id": r.author_id,
                "author_name": r.author.full_name,
                "learned": r.learned,
                "updated_at": r.updated_at,
            }
            for r in selectors.reflections_for(relationship=relationship)
        ],
    }


@router.get("/{int:relationship_id}", response=AgreementOut, summary="Our agreement")
def agreement_get(request, relationship_id: Id):
    return _agreement_out(api_pair(request, relationship_id).relationship)


@router.put("/{int:relationship_id}", response={200: AgreementOut}, summary="Edit our agreement")
def agreement_put(request, relationship_id: Id, payload: AgreementIn):
    pair = api_pair(request, relationship_id)
    fields = payload.dict()
    version = fields.pop("version")
    services.agreement_update(
        relationship=pair.relationship, person=pair.person, expected_version=version, fields=fields
    )
    return _agreement_out(pair.relationship)


@router.post(
    "/{int:relationship_id}/confirm",
    response={200: AgreementOut},
    summary="I confirm this version",
)
def agreement_confirm(request, relationship_id: Id, payload: AgreementVersionIn):
    pair = api_pair(request, relationship_id)
    services.agreement_confirm(
        relationship=pair.relationship, person=pair.person, expected_version=payload.version
    )
    return _agreement_out(pair.relationship)


@router.put(
    "/{int:relationship_id}/agenda/{step}",
    response={200: AgreementOut},
    summary="Tick an agenda step",
)
def agenda_put(request, relationship_id: Id, step: AgendaStep, payload: AgendaIn):
    pair = api_pair(request, relationship_id)
    services.agenda_step_set(relationship=pair.relationship, person=pair.person, step=step, done=payload.done)
    return _agreement_out(pair.relationship)


@router.get("/{int:relationship_id}/closure", response=ClosureOut, summary="End date, closure, reflections")
def closure_get(request, relationship_id: Id):
    return _closure_out(api_pair(request, relationship_id).relationship)


@router.post(
    "/{int:relationship_id}/close",
    response={200: ClosureOut},
    summary="Close (goals met, cycle ended)",
)
def closure_close(request, relationship_id: Id, payload: CloseIn):
    pair = api_pair(request, relationship_id)
    closure.relationship_close_with_reason(
        relationship=pair.relationship, person=pair.person, reason=payload.reason, learned=payload.learned
    )
    return _closure_out(pair.relationship)


@router.post(
    "/{int:relationship_id}/closure/confirm",
    response={200: ClosureOut},
    summary='Confirm my partner\'s "goals met" closure',
)
def closure_confirm(request, relationship_id: Id):
    pair = api_pair(request, relationship_id)
    closure.closure_confirm(relationship=pair.relationship, person=pair.person)
    return _closure_out(pair.relationship)


@router.post(
    "/{int:relationship_id}/closure/dispute",
    response={200: ClosureOut},
    summary='Dispute my partner\'s "goals met" closure',
)
def closure_dispute(request, relationship_id: Id):
    pair = api_pair(request, relationship_id)
    closure.closure_dispute(relationship=pair.relationship, person=pair.person)
    return _closure_out(pair.relationship)


@router.post(
    "/{int:relationship_id}/end",
    response={200: ClosureOut},
    summary="End a relationship without blame",
)
def end(request, relationship_id: Id, payload: EndIn):
    pair = api_pair(request, relationship_id)
    closure.relationship_end_no_fault(
        relationship=pair.relationship, person=pair.person, reason=payload.reason
    )
    return _closure_out(pair.relationship)


@router.post(
    "/{int:relationship_id}/extend",
    response={200: ClosureOut},
    summary="Extend to a new end date",
)
def closure_extend(request, relationship_id: Id, payload: ExtendIn):
    pair = api_pair(request, relationship_id)
    closure.relationship_extend(relationship=pair.relationship, person=pair.person, ends_on=payload.ends_on)
    return _closure_out(pair.relationship)


@router.put(
    "/{int:relationship_id}/reflection",
    response={200: ClosureOut},
    summary="Write what I learned",
)
def reflection_put(request, relationship_id: Id, payload: ReflectionIn):
    pair = api_pair(request, relationship_id)
    closure.reflection_save(relationship=pair.relationship, person=pair.person, learned=payload.learned)
    return _closure_out(pair.relationship)
