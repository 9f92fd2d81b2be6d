"""Program surveys: my surveys and my answers (the respondent only); a program's survey settings,
templates and questions, and its published results (its managers only; never an answer)."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictBool

from mentora.api.calls import api_viewer
from mentora.api.pagination import Mapped, Pages
from mentora.api.schemas import Id, TableOut, table_out
from mentora.programs.selectors import program_get_managed
from mentora.surveys import selectors, services
from mentora.surveys.models import AnswerKind, Measure, SurveyKind, SurveyStatus

router = Router(tags=["surveys"])


class SurveyQuestionOut(Schema):
    id: int
    position: int
    prompt: str
    help_text: str
    kind: AnswerKind
    choices: list[str]
    required: bool
    max_picks: int | None
    measure: Measure = Field(description="What a built-in question measures; empty for the program's own.")


class SurveyOut(Schema):
    id: int
    program_id: int
    relationship_id: int
    kind: SurveyKind
    status: SurveyStatus
    round: int = Field(description="0 for a survey asked once; n for the n-th round of a recurring one.")
    due_on: date
    answered_at: datetime | None
    rematch_offered: bool = Field(
        description="Your fit was at or under the program's threshold: the no-fault exit is offered to you."
    )


class SurveyDetailOut(SurveyOut):
    questions: list[SurveyQuestionOut]
    answers: dict[str, Any] = Field(description="Yours, by question id; nobody else can read them.")


class SurveyAnswerIn(Schema):
    answers: dict[str, Any] = Field(
        description="By question id: 1–5 (scale), 0–10 (score), a choice, a list of choices or a text."
    )


class SurveySettingsIO(Schema):
    fit_day: int = Field(
        description="The fit question is asked this many days after the pair started (1–90)."
    )
    first_day: int = Field(description="The recurring surveys are first asked on this day (1–365).")
    every_days: int = Field(description="Then every this many days (14–365), or 0 for once.")
    at_closure: StrictBool
    fit_threshold: int = Field(description="A fit (1–5) at or under this offers a no-fault rematch; 0 never.")


class SurveyTemplateOut(Schema):
    kind: SurveyKind
    enabled: bool
    questions: list[SurveyQuestionOut]


class SurveyTemplateIn(Schema):
    enabled: StrictBool


class SurveyQuestionIn(Schema):
    prompt: str
    help_text: str = ""
    kind: AnswerKind
    choices: list[str] = []
    required: StrictBool = True
    max_picks: int | None = None


class SurveyQuestionPatch(Schema):
    prompt: str | None = None
    help_text: str | None = None
    kind: AnswerKind | None = None
    choices: list[str] | None = None
    required: StrictBool | None = None
    max_picks: int | None = None


class SurveyResultsOut(Schema):
    kind: SurveyKind
    enabled: bool
    published_at: datetime | None = Field(description="null: too few answers to publish any figure yet.")
    answers: int | None
    tables: list[TableOut]


def _survey(instance) -> dict:
    return {
        "id": instance.pk,
        "program_id": instance.template.program_id,
        "relationship_id": instance.relationship_id,
        "kind": instance.template.kind,
        "status": instance.status,
        "round": instance.round,
        "due_on": instance.due_on,
        "answered_at": instance.answered_at,
        "rematch_offered": instance.rematch_offered,
    }


def _detail(instance) -> dict:
    return _survey(instance) | {
        "questions": selectors.questions_of(instance=instance),
        "answers": {str(key): value for key, value in selectors.my_answers(instance=instance).items()},
    }


def _template(template) -> dict:
    return {"kind": template.kind, "enabled": template.enabled, "questions": list(template.questions.all())}


@router.get("/mine", response=list[SurveyOut], summary="My surveys, newest first")
@paginate(Pages)
def survey_list(request):
    return Mapped(selectors.surveys_of(person=api_viewer(request).person), _survey)


@router.get(
    "/{int:survey_id}", response=SurveyDetailOut, summary="One of my surveys, its questions and my answers"
)
def survey_get(request, survey_id: Id):
    person = api_viewer(request).person
    return _detail(selectors.instance_get_for_respondent(person=person, instance_id=survey_id))


@router.post("/{int:survey_id}/answer", response=SurveyDetailOut, summary="Answer my survey (once)")
def survey_answer(request, survey_id: Id, payload: SurveyAnswerIn):
    person = api_viewer(request).person
    instance = selectors.instance_get_for_respondent(person=person, instance_id=survey_id)
    services.survey_answer(instance=instance, person=person, answers=payload.answers)
    return _detail(selectors.instance_get_for_respondent(person=person, instance_id=survey_id))


@router.get(
    "/programs/{int:program_id}/settings",
    response=SurveySettingsIO,
    summary="When a program's surveys are asked",
)
def settings_get(request, program_id: Id):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    return selectors.settings_for(program=program)


@router.put(
    "/programs/{int:program_id}/settings", response=SurveySettingsIO, summary="Change when surveys are asked"
)
def settings_put(request, program_id: Id, payload: SurveySettingsIO):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    return services.survey_settings_update(program=program, **payload.dict())


@router.get(
    "/programs/{int:program_id}/templates", response=list[SurveyTemplateOut], summary="A program's surveys"
)
def template_list(request, program_id: Id):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    return [_template(template) for template in selectors.templates_for(program=program)]


@router.put(
    "/programs/{int:program_id}/templates/{kind}",
    response=SurveyTemplateOut,
    summary="Ask a survey or stop asking it (created with its built-in questions the first time)",
)
def template_put(request, program_id: Id, kind: SurveyKind, payload: SurveyTemplateIn):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    services.survey_template_set(program=program, kind=kind, enabled=payload.enabled)
    return _template(selectors.template_get(program=program, kind=kind))


@router.post(
    "/programs/{int:program_id}/templates/{kind}/questions",
    response={201: SurveyQuestionOut},
    summary="Add a question of the program's own to a survey",
)
def question_add(request, program_id: Id, kind: SurveyKind, payload: SurveyQuestionIn):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    template = selectors.template_get(program=program, kind=kind)
    return Status(201, services.survey_question_add(template=template, values=payload.dict()))


@router.patch(
    "/programs/{int:program_id}/questions/{int:question_id}",
    response=SurveyQuestionOut,
    summary="Change one of the program's own questions (until someone answered it)",
)
def question_update(request, program_id: Id, question_id: Id, payload: SurveyQuestionPatch):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    question = selectors.question_get(program=program, question_id=question_id)
    return services.survey_question_update(question=question, values=payload.dict(exclude_unset=True))


@router.delete(
    "/programs/{int:program_id}/questions/{int:question_id}",
    response={204: None},
    summary="Delete one of the program's own questions (until someone answered it)",
)
def question_delete(request, program_id: Id, question_id: Id):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    services.survey_question_delete(question=selectors.question_get(program=program, question_id=question_id))
    return Status(204, None)


@router.get(
    "/programs/{int:program_id}/results",
    response=list[SurveyResultsOut],
    summary="A program's survey results: published figures only (managers)",
)
def results(request, program_id: Id):
    program = program_get_managed(viewer=api_viewer(request), program_id=program_id)
    for template in selectors.templates_for(program=program):
        services.survey_results_publish(template=template)
    return [
        {
            "kind": item.template.kind,
            "enabled": item.template.enabled,
            "published_at": item.results.published_at if item.results else None,
            "answers": item.results.answers if item.results else None,
            "tables": [table_out(table) for table in item.tables],
        }
        for item in selectors.program_results(program=program)
    ]
