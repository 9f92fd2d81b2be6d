"""Program endpoints: design, questionnaire, invitations, enrolment, approval, availability.

Same selectors, services and permission rules as the pages. Programs outside the caller's reach
answer 404; intake answers are served only to their author and the program's managers.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictBool

from mentora.api.calls import api_viewer
from mentora.api.errors import ApiError, ErrorOut
from mentora.api.pagination import Pages
from mentora.api.schemas import Id, PersonRefOut, UpdatedSince, changed_since, dataclass_schema
from mentora.people.models import MAX_SENIORITY, Person
from mentora.programs import invitations, selectors, services
from mentora.programs.invitations import MAX_ADDRESS_LENGTH, REPORT_SAMPLE
from mentora.programs.models import (
    MAX_INVITATION_ADDRESSES,
    MAX_PICKED_SKILLS,
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    IntakeQuestion,
    InvitationBatch,
    InvitationBatchStatus,
    MatchingComponent,
    MatchingMode,
    Program,
    ProgramFormat,
    ProgramStatus,
    ProgramType,
    QuestionAudience,
    QuestionKind,
)
from mentora.programs.permissions import can_create_program

router = Router(tags=["programs"])


def _managed(request, program_id: int) -> Program:
    return selectors.program_get_managed(viewer=api_viewer(request), program_id=program_id)


# ---- schemas ---------------------------------------------------------------------------------


class CurriculumItemSchema(Schema):
    title: str = Field(max_length=200)
    description: str = Field("", max_length=2000)


class ProgramPublicOut(Schema):
    """What every participant who may see the program reads."""

    id: int
    name: str
    strategic_objective: str
    purpose: str
    goals: str
    program_type: ProgramType
    format: ProgramFormat
    status: ProgramStatus
    starts_on: date
    ends_on: date
    meetings_per_month: int
    matching_mode: MatchingMode
    curriculum: list[CurriculumItemSchema]

    @staticmethod
    def resolve_curriculum(program: Program) -> list[dict]:
        return [
            {"title": item.title, "description": item.description} for item in program.curriculum_items.all()
        ]


class ProgramOut(ProgramPublicOut):
    """A program's whole design, for its managers: what participants read, and who may take part and
    how they are matched."""

    eligible_department_ids: list[int]
    min_seniority: int
    max_seniority: int
    eligible_locations: list[str]
    mentor_min_seniority: int
    default_mentor_capacity: int
    weight_goal_fit: float
    weight_purpose: float
    weight_diversity: float
    weight_practical: float
    weight_preference: float
    similarity_diversity_dial: float

    @staticmethod
    def resolve_eligible_department_ids(program: Program) -> list[int]:
        return sorted(department.pk for department in program.eligible_departments.all())


class ProgramSummaryOut(Schema):
    id: int
    name: str
    status: ProgramStatus
    program_type: ProgramType
    format: ProgramFormat
    starts_on: date
    ends_on: date
    mentee_count: int
    mentor_count: int
    pending_count: int


class ProgramIn(Schema):
    name: str = Field(max_length=200)
    strategic_objective: str = Field(max_length=300)
    purpose: str = Field(max_length=4000)
    goals: str = Field(max_length=4000)
    program_type: ProgramType = ProgramType.MENTORING
    format: ProgramFormat = ProgramFormat.ONE_TO_ONE
    starts_on: date
    ends_on: date
    meetings_per_month: int = 1
    eligible_department_ids: list[Id] = []
    min_seniority: int = 1
    max_seniority: int = 10
    eligible_locations: list[str] = []
    mentor_min_seniority: int = 1
    default_mentor_capacity: int = 2
    matching_mode: MatchingMode = MatchingMode.ALGORITHMIC_REVIEW
    weight_goal_fit: float = 0.4
    weight_purpose: float = 0.2
    weight_diversity: float = 0.15
    weight_practical: float = 0.15
    weight_preference: float = 0.1
    similarity_diversity_dial: float = 0.7


class ProgramPatch(Schema):
    name: str | None = Field(None, max_length=200)
    strategic_objective: str | None = Field(None, max_length=300)
    purpose: str | None = Field(None, max_length=4000)
    goals: str | None = Field(None, max_length=4000)
    program_type: ProgramType | None = None
    format: ProgramFormat | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    meetings_per_month: int | None = None
    eligible_department_ids: list[Id] | None = None
    min_seniority: int | None = None
    max_seniority: int | None = None
    eligible_locations: list[str] | None = None
    mentor_min_seniority: int | None = None
    default_mentor_capacity: int | None = None
    matching_mode: MatchingMode | None = None
    weight_goal_fit: float | None = None
    weight_purpose: float | None = None
    weight_diversity: float | None = None
    weight_practical: float | None = None
    weight_preference: float | None = None
    similarity_diversity_dial: float | None = None


def _program_values(payload: Schema, *, partial: bool) -> dict[str, Any]:
    values = {key: value for key, value in payload.dict(exclude_unset=partial).items() if value is not None}
    if "eligible_department_ids" in values:
        values["eligible_departments"] = values.pop("eligible_department_ids")
    return values


class StatusIn(Schema):
    status: ProgramStatus


class CurriculumIn(Schema):
    items: list[CurriculumItemSchema]


MAX_PICKS_HELP = "Multiple choice and skill questions: at most this many picks (e.g. 3)."


class QuestionOut(Schema):
    id: int
    position: int
    prompt: str
    help_text: str
    kind: QuestionKind
    choices: list[str]
    audience: QuestionAudience
    required: bool
    max_picks: int | None
    feeds: MatchingComponent


class QuestionIn(Schema):
    prompt: str = Field(max_length=300)
    help_text: str = Field("", max_length=300)
    kind: QuestionKind
    choices: list[str] = []
    audience: QuestionAudience = QuestionAudience.EVERYONE
    required: StrictBool = True
    max_picks: int | None = Field(None, ge=1, le=MAX_PICKED_SKILLS, description=MAX_PICKS_HELP)
    feeds: MatchingComponent = MatchingComponent.INFORMATIONAL


class QuestionPatch(Schema):
    prompt: str | None = Field(None, max_length=300)
    help_text: str | None = Field(None, max_length=300)
    kind: QuestionKind | None = None
    choices: list[str] | None = None
    audience: QuestionAudience | None = None
    required: StrictBool | None = None
    max_picks: int | None = Field(None, ge=1, le=MAX_PICKED_SKILLS, description=MAX_PICKS_HELP)
    feeds: MatchingComponent | None = None


class InviteIn(Schema):
    """Either `emails`, or a filter (departments, locations, seniority) over the people eligible."""

    emails: list[Annotated[str, Field(max_length=MAX_ADDRESS_LENGTH)]] = Field(
        default_factory=list, max_length=MAX_INVITATION_ADDRESSES
    )
    department_ids: list[Id] = Field(default_factory=list, max_length=1000)
    locations: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=1000)
    min_seniority: int | None = Field(None, ge=1, le=MAX_SENIORITY)
    max_seniority: int | None = Field(None, ge=1, le=MAX_SENIORITY)
    send_email: StrictBool = Field(
        True,
        description="false: Mentora e-mails nobody; the organisation sends its own e-mail with the links of "
        "`GET …/invitation-rounds/{id}/links` (org admins and service accounts with enrolments:write only).",
    )


class InvitationLinkOut(Schema):
    invitation_id: int
    person: PersonRefOut
    email: str
    link: str = Field(description="The invitation link (it works for the invitation's lifetime).")
    first_password_link: str | None = Field(
        description="For someone who never had a password: the link that sets it first and leads on to "
        "the invitation; null otherwise. It lets its holder choose the password: send it to the person only."
    )


class InvitationOut(Schema):
    id: int
    person: PersonRefOut
    sent_at: datetime
    emailed_at: datetime | None = Field(
        description="When its e-mail left; null while waiting or after a failure."
    )
    email_error: str


class InvitationReasonOut(Schema):
    count: int
    sample: list[str] = Field(description=f"The first {REPORT_SAMPLE} addresses.")


class InvitationReportOut(Schema):
    invited: int
    duplicates: InvitationReasonOut
    unknown: InvitationReasonOut
    ineligible: InvitationReasonOut
    already_enrolled: InvitationReasonOut
    already_invited: InvitationReasonOut


class InvitationBatchOut(Schema):
    id: int
    program_id: int
    status: InvitationBatchStatus
    progress: int
    created_at: datetime
    finished_at: datetime | None
    report: InvitationReportOut | None = Field(description="When done: who was invited, who was not and why.")
    message: str | None = Field(description="When failed: why nobody was invited.")

    @staticmethod
    def resolve_report(batch: InvitationBatch) -> dict | None:
        return batch.report if batch.status == InvitationBatchStatus.DONE else None

    @staticmethod
    def resolve_message(batch: InvitationBatch) -> str | None:
        return (batch.report or {}).get("message") if batch.status == InvitationBatchStatus.FAILED else None


class EnrolIn(Schema):
    role: EnrolmentRole
    capacity: int | None = Field(None, description="Mentors only; the program's default when omitted.")
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="Question id → answer (text, choice, list of choices, 1–5, skill ids).",
    )
    invitation_token: str | None = Field(None, description="The token from an emailed invitation link.")


class EnrolmentOut(Schema):
    id: int
    program_id: int
    person: PersonRefOut
    role: EnrolmentRole
    status: EnrolmentStatus
    capacity: int | None
    paused_until: date | None
    created_at: datetime
    decided_at: datetime | None


class IntakeAnswerOut(Schema):
    question_id: int
    prompt: str
    value: Any


class EnrolmentDetailOut(EnrolmentOut):
    answers: list[IntakeAnswerOut]

    @staticmethod
    def resolve_answers(enrolment: Enrolment) -> list[dict]:
        return [
            {"question_id": answer.question.pk, "prompt": answer.question.prompt, "value": answer.value}
            for answer in selectors.enrolment_answers(enrolment=enrolment)
        ]


class DecisionIn(Schema):
    approve: StrictBool


class BulkDecisionIn(Schema):
    enrolment_ids: list[Id] = Field(min_length=1, max_length=services.MAX_BULK_DECISIONS)
    approve: StrictBool


class DecisionOutcomeOut(Schema):
    enrolment: EnrolmentOut
    outcome: Literal["approved", "declined", "already_decided"] = Field(
        description="What this decision did: `already_decided` applications were left as they were."
    )


class EnrolmentAvailabilityIn(Schema):
    capacity: int
    paused_until: date | None = None


OpenProgramOut = dataclass_schema(
    selectors.OpenProgram, nested={Program: ProgramPublicOut, Enrolment: EnrolmentOut}
)


# ---- programs --------------------------------------------------------------------------------


@router.get("/", response=list[ProgramSummaryOut], summary="Programs I manage")
def list_managed(request, updated_since: UpdatedSince = None):
    return changed_since(selectors.program_list_managed(viewer=api_viewer(request)), updated_since)


@router.get("/open", response=list[OpenProgramOut], summary="Programs open to me")
def list_open(request):
    viewer = api_viewer(request)
    return selectors.program_list_open_to(person=viewer.person)


@router.post("/", response={201: ProgramOut}, summary="Design a program (as a draft)")
def create_program(request, payload: ProgramIn):
    viewer = api_viewer(request)
    if not can_create_program(viewer):
        raise ApiError(403, "forbidden", _("Only program managers and organisation admins design programs."))
    program = services.program_create(actor=viewer.person, values=_program_values(payload, partial=False))
    return Status(201, program)


@router.get("/{int:program_id}", response=ProgramOut, summary="A program I manage")
def get_program(request, program_id: Id):
    return _managed(request, program_id)


@router.get("/{int:program_id}/public", response=ProgramPublicOut, summary="A program as participants see it")
def get_program_public(request, program_id: Id):
    return selectors.program_get_visible(viewer=api_viewer(request), program_id=program_id)


@router.patch("/{int:program_id}", response=ProgramOut, summary="Change a program's design")
def update_program(request, program_id: Id, payload: ProgramPatch):
    program = _managed(request, program_id)
    return services.program_update(program=program, values=_program_values(payload, partial=True))


@router.delete("/{int:program_id}", response={204: None}, summary="Delete a draft program")
def delete_program(request, program_id: Id):
    services.program_delete(program=_managed(request, program_id))
    return Status(204, None)


@router.post("/{int:program_id}/status", response=ProgramOut, summary="Move a program through its lifecycle")
def set_status(request, program_id: Id, payload: StatusIn):
    return services.program_set_status(program=_managed(request, program_id), status=payload.status)


@router.put("/{int:program_id}/curriculum", response=ProgramOut, summary="Replace a coaching curriculum")
def set_curriculum(request, program_id: Id, payload: CurriculumIn):
    program = _managed(request, program_id)
    services.program_set_curriculum(
        program=program, items=[(item.title, item.description) for item in payload.items]
    )
    return program


@router.get("/{int:program_id}/questions", response=list[QuestionOut], summary="The intake questionnaire")
def list_questions(request, program_id: Id):
    """Managers see every question; participants of a visible program see the questions too."""
    program = selectors.program_get_visible(viewer=api_viewer(request), program_id=program_id)
    return selectors.questions_for(program=program)


@router.post("/{int:program_id}/questions", response={201: QuestionOut}, summary="Add an intake question")
def add_question(request, program_id: Id, payload: QuestionIn):
    question = services.intake_question_add(program=_managed(request, program_id), values=payload.dict())
    return Status(201, question)


def _question(request, program_id: int, question_id: int) -> IntakeQuestion:
    program = _managed(request, program_id)
    return get_object_or_404(
        IntakeQuestion.objects.select_related("program"), pk=question_id, program=program
    )


@router.patch(
    "/{int:program_id}/questions/{int:question_id}", response=QuestionOut, summary="Change a question"
)
def update_question(request, program_id: Id, question_id: Id, payload: QuestionPatch):
    # Only the limit may be cleared with null; every other field is left as it is.
    values = {
        key: value
        for key, value in payload.dict(exclude_unset=True).items()
        if value is not None or key == "max_picks"
    }
    return services.intake_question_update(
        question=_question(request, program_id, question_id), values=values
    )


@router.delete(
    "/{int:program_id}/questions/{int:question_id}", response={204: None}, summary="Delete a question"
)
def delete_question(request, program_id: Id, question_id: Id):
    services.intake_question_delete(question=_question(request, program_id, question_id))
    return Status(204, None)


# ---- filling the program ---------------------------------------------------------------------


@router.post(
    "/{int:program_id}/invitations",
    response={202: InvitationBatchOut},
    summary="Invite people by email or by department, location and seniority",
)
def invite(request, program_id: Id, payload: InviteIn):
    """Answers 202 with the queued round; follow it with
    `GET /api/programs/{program_id}/invitation-rounds/{id}` to its report."""
    batch = invitations.invitation_batch_start(
        program=_managed(request, program_id), actor=api_viewer(request).person, **payload.dict()
    )
    return Status(202, batch)


@router.get(
    "/{int:program_id}/invitation-rounds/{int:batch_id}",
    response=InvitationBatchOut,
    summary="Follow a round of invitations",
)
def invitation_round(request, program_id: Id, batch_id: Id):
    return selectors.invitation_batch_get(program=_managed(request, program_id), batch_id=batch_id)


@router.get(
    "/{int:program_id}/invitation-rounds/{int:batch_id}/links",
    response=list[InvitationLinkOut],
    summary="Take a round's invitation links, to send them in the organisation's own e-mail",
)
def invitation_round_links(request, program_id: Id, batch_id: Id):
    """Org admins only (and service accounts with `enrolments:write`); each call is in the audit log."""
    batch = selectors.invitation_batch_get(program=_managed(request, program_id), batch_id=batch_id)
    handovers = invitations.invitation_links(batch=batch, actor=api_viewer(request).person)
    return [
        {
            "invitation_id": handover.invitation.pk,
            "person": handover.invitation.person,
            "email": handover.invitation.person.email,
            "link": handover.link,
            "first_password_link": handover.first_password_link,
        }
        for handover in handovers
    ]


@router.get("/{int:program_id}/invitations", response=list[InvitationOut], summary="Invitations still open")
@paginate(Pages)
def list_invitations(request, program_id: Id):
    return selectors.invitation_list_outstanding(program=_managed(request, program_id))


@router.post(
    "/{int:program_id}/invitations/{int:invitation_id}/resend",
    response=InvitationOut,
    summary="E-mail an open invitation again",
)
def resend_invitation(request, program_id: Id, invitation_id: Id):
    program = _managed(request, program_id)
    return invitations.invitation_resend(
        invitation=selectors.invitation_get_outstanding(program=program, invitation_id=invitation_id)
    )


@router.post(
    "/{int:program_id}/invitations/{int:invitation_id}/revoke",
    response=InvitationOut,
    summary="Withdraw an open invitation",
)
def revoke_invitation(request, program_id: Id, invitation_id: Id):
    program = _managed(request, program_id)
    return invitations.invitation_revoke(
        invitation=selectors.invitation_get_outstanding(program=program, invitation_id=invitation_id)
    )


@router.post("/{int:program_id}/enrolments", response={201: EnrolmentOut}, summary="Enrol myself")
def enrol(request, program_id: Id, payload: EnrolIn):
    viewer = api_viewer(request)
    invitation = None
    if payload.invitation_token:
        invitation = invitations.invitation_resolve(token=payload.invitation_token, person=viewer.person)
        program = invitation.program
        if program.pk != program_id:
            raise ApiError(422, "invalid_invitation", _("This invitation is for another program."))
    else:
        program = selectors.program_get_visible(viewer=viewer, program_id=program_id)
    enrolment = services.program_enrol(
        program=program,
        person=viewer.person,
        role=payload.role,
        capacity=payload.capacity,
        answers=payload.answers,
        invitation=invitation,
    )
    return Status(201, enrolment)


class ManagerIn(Schema):
    person_id: Id = Field(description="A program manager or org admin of the caller's organisation.")


@router.get(
    "/{int:program_id}/managers", response=list[PersonRefOut], summary="A program's managers, by name"
)
@paginate(Pages)
def list_managers(request, program_id: Id):
    return selectors.program_managers(program=_managed(request, program_id))


@router.post(
    "/{int:program_id}/managers",
    response={201: PersonRefOut, 404: ErrorOut},
    summary="Add a co-manager (nothing changes if they already manage it)",
)
def add_manager(request, program_id: Id, payload: ManagerIn):
    program = _managed(request, program_id)
    person = get_object_or_404(Person, pk=payload.person_id, organisation_id=program.organisation_id)
    services.program_manager_add(program=program, person=person)
    return Status(201, person)


@router.get("/{int:program_id}/enrolments", response=list[EnrolmentOut], summary="Enrolments (managers)")
@paginate(Pages)
def list_enrolments(
    request,
    program_id: Id,
    status: EnrolmentStatus | None = None,
    role: EnrolmentRole | None = None,
):
    return selectors.enrolment_list(program=_managed(request, program_id), status=status, role=role)


@router.get("/{int:program_id}/enrolments/mine", response=list[EnrolmentOut], summary="My enrolments")
def my_enrolments(request, program_id: Id):
    viewer = api_viewer(request)
    program = selectors.program_get_visible(viewer=viewer, program_id=program_id)
    return selectors.enrolments_of(person=viewer.person, program=program)


def _enrolment_for_viewer(request, program_id: int, enrolment_id: int) -> Enrolment:
    viewer = api_viewer(request)
    program = get_object_or_404(Program, pk=program_id, organisation_id=viewer.organisation_id)
    return selectors.enrolment_get_for_viewer(viewer=viewer, program=program, enrolment_id=enrolment_id)


@router.get(
    "/{int:program_id}/enrolments/{int:enrolment_id}",
    response=EnrolmentDetailOut,
    summary="One enrolment with its intake answers (its author and the program's managers)",
)
def get_enrolment(request, program_id: Id, enrolment_id: Id):
    return _enrolment_for_viewer(request, program_id, enrolment_id)


@router.post(
    "/{int:program_id}/enrolments/{int:enrolment_id}/decision",
    response=EnrolmentOut,
    summary="Approve or decline an application",
)
def decide(request, program_id: Id, enrolment_id: Id, payload: DecisionIn):
    program = _managed(request, program_id)
    enrolment = get_object_or_404(Enrolment, pk=enrolment_id, program=program)
    return services.enrolment_decide(
        enrolment=enrolment, actor=api_viewer(request).person, approve=payload.approve
    )


@router.post(
    "/{int:program_id}/enrolments/decisions",
    response={200: list[DecisionOutcomeOut], 404: ErrorOut},
    summary="Approve or decline several applications at once",
)
def decide_many(request, program_id: Id, payload: BulkDecisionIn):
    """All in one transaction: an id that is not an enrolment of this program is a 404 and nothing is
    decided; an application decided earlier is reported `already_decided` and left as it was."""
    program = _managed(request, program_id)
    try:
        outcomes = services.enrolments_decide(
            program=program,
            actor=api_viewer(request).person,
            enrolment_ids=payload.enrolment_ids,
            approve=payload.approve,
        )
    except ValidationError as error:
        if getattr(error, "code", None) == "unknown_enrolments":
            raise ApiError(404, "not_found", " ".join(error.messages)) from None
        raise
    return [{"enrolment": outcome.enrolment, "outcome": outcome.outcome} for outcome in outcomes]


@router.put(
    "/{int:program_id}/enrolments/{int:enrolment_id}/availability",
    response=EnrolmentOut,
    summary="A mentor's capacity and pause (the mentor or the program's managers)",
)
def set_availability(request, program_id: Id, enrolment_id: Id, payload: EnrolmentAvailabilityIn):
    enrolment = _enrolment_for_viewer(request, program_id, enrolment_id)
    return services.mentor_availability_set(
        enrolment=enrolment, capacity=payload.capacity, paused_until=payload.paused_until
    )
