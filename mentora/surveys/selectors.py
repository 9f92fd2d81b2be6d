"""Reads for program surveys.

Privacy: a survey and its answers are read by their respondent alone; `instance_get_for_respondent`
answers 404 to anyone else (the partner and the program's managers included). Managers read
`program_results`: the last published figures of each survey (`services.survey_results_publish`),
as `core.tables.Table`s, never an answer.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.core.privacy import MIN_AGGREGATE_GROUP
from mentora.core.tables import Table, table
from mentora.people.models import Person
from mentora.programs.models import Program
from mentora.surveys.models import (
    Measure,
    SurveyAnswer,
    SurveyInstance,
    SurveyQuestion,
    SurveyResults,
    SurveySettings,
    SurveyStatus,
    SurveyTemplate,
)


def settings_for(*, program: Program) -> SurveySettings:
    """The program's survey settings, or the defaults (unsaved) when never changed."""
    return SurveySettings.objects.filter(program=program).first() or SurveySettings(program=program)


def templates_for(*, program: Program) -> list[SurveyTemplate]:
    return list(
        SurveyTemplate.objects.filter(program=program).prefetch_related(
            Prefetch("questions", queryset=SurveyQuestion.objects.order_by("position"))
        )
    )


def template_get(*, program: Program, kind: str) -> SurveyTemplate:
    template = SurveyTemplate.objects.filter(program=program, kind=kind).first()
    if template is None:
        raise Http404
    return template


def question_get(*, program: Program, question_id: int) -> SurveyQuestion:
    question = (
        SurveyQuestion.objects.filter(pk=question_id, template__program=program)
        .select_related("template")
        .first()
    )
    if question is None:
        raise Http404
    return question


def _mine(person: Person | None) -> QuerySet[SurveyInstance]:
    return SurveyInstance.objects.filter(respondent_id=person.pk if person else -1).select_related(
        "template__program", "relationship__mentor", "relationship__mentee"
    )


def surveys_pending_for(*, person: Person | None) -> list[SurveyInstance]:
    """My unanswered surveys, soonest due first."""
    return list(_mine(person).filter(status=SurveyStatus.PENDING).order_by("due_on", "id"))


def rematch_offers_for(*, person: Person | None) -> list[SurveyInstance]:
    """My fit answers that offered a no-fault rematch, while the pair is still active."""
    return list(
        _mine(person).filter(rematch_offered=True, relationship__status="active").order_by("-answered_at")
    )


def surveys_of(*, person: Person | None) -> QuerySet[SurveyInstance]:
    """All my surveys, newest first (the API's paged list)."""
    return _mine(person).order_by("-due_on", "-id")


def instance_get_for_respondent(*, person: Person | None, instance_id: int) -> SurveyInstance:
    """The survey if the person is its respondent; 404 for everyone else (partner included)."""
    instance = _mine(person).filter(pk=instance_id).first()
    if instance is None:
        raise Http404
    return instance


def questions_of(*, instance: SurveyInstance) -> list[SurveyQuestion]:
    return list(instance.template.questions.order_by("position"))


def my_answers(*, instance: SurveyInstance) -> dict[int, object]:
    """Question id -> my answer (a score, a choice, a list or a text). Only ever called with an
    instance obtained through `instance_get_for_respondent`."""
    return {
        question_id: score if score is not None else value
        for question_id, score, value in SurveyAnswer.objects.filter(instance=instance).values_list(
            "question_id", "score", "value"
        )
    }


def pending_for_pair(*, relationship, person: Person) -> list[SurveyInstance]:
    return list(
        SurveyInstance.objects.filter(
            relationship=relationship, respondent=person, status=SurveyStatus.PENDING
        )
        .select_related("template")
        .order_by("due_on", "id")
    )


# ---------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class TemplateResults:
    template: SurveyTemplate
    results: SurveyResults | None
    tables: list[Table]


def results_tables(*, results: SurveyResults) -> list[Table]:
    """The published figures as tables (the page beside its charts, the API, the exports)."""
    kind = results.template.kind
    figures = results.figures
    note = ngettext(
        "Cells of fewer than %(n)d person are withheld, with enough others that none can be worked out.",
        "Cells of fewer than %(n)d people are withheld, with enough others that none can be worked out.",
        MIN_AGGREGATE_GROUP,
    ) % {"n": MIN_AGGREGATE_GROUP}
    summary_rows = [
        (_("Answers"), figures["answers"]),
        (_("Answers from mentors"), figures["by_side"]["mentor"]),
        (_("Answers from mentees"), figures["by_side"]["mentee"]),
    ]
    if figures.get("nps"):
        summary_rows.append((_("Net promoter score (−100 to 100)"), figures["nps"]["score"]))
    tables = [
        table(
            key=f"survey_{kind}_summary",
            title=_("Answers"),
            columns=[("figure", _("Figure")), ("value", _("Value"))],
            rows=summary_rows,
            note=note,
        )
    ]
    if figures["measures"]:
        tables.append(
            table(
                key=f"survey_{kind}_measures",
                title=_("Mean score per measure (1–5)"),
                columns=[("measure", _("Measure")), ("answers", _("People")), ("mean", _("Mean"))],
                rows=[
                    (Measure(code).label, cell["answers"], cell["mean"])
                    for code, cell in figures["measures"].items()
                ],
                note=note,
            )
        )
    if figures.get("nps"):
        nps = figures["nps"]
        total = nps["answers"]
        groups = [
            ("promoters", _("Promoters (9–10)")),
            ("passives", _("Passives (7–8)")),
            ("detractors", _("Detractors (0–6)")),
        ]
        tables.append(
            table(
                key=f"survey_{kind}_nps",
                title=_("Would recommend the program"),
                columns=[("group", _("Group")), ("people", _("People")), ("percent", _("Share (%)"))],
                rows=[
                    (label, nps[code], None if nps[code] is None else round(100 * nps[code] / total))
                    for code, label in groups
                ],
                note=note,
            )
        )
    distribution = [
        (question["prompt"], answer, count)
        for question in figures["questions"]
        for answer, count in question["counts"].items()
    ]
    if distribution:
        tables.append(
            table(
                key=f"survey_{kind}_answers",
                title=_("Answers per question"),
                columns=[("question", _("Question")), ("answer", _("Answer")), ("people", _("People"))],
                rows=distribution,
                note=note,
            )
        )
    return tables


def program_results(*, program: Program) -> list[TemplateResults]:
    """Each of the program's surveys with its last published results (None before there are any)."""
    templates = templates_for(program=program)
    latest: dict[int, SurveyResults] = {}
    for results in SurveyResults.objects.filter(template__in=templates).select_related("template"):
        latest.setdefault(results.template_id, results)  # newest first (the model's ordering)
    return [
        TemplateResults(
            template=template,
            results=latest.get(template.pk),
            tables=results_tables(results=latest[template.pk]) if template.pk in latest else [],
        )
        for template in templates
    ]


def templates_asked_count(*, program: Program) -> int:
    return SurveyTemplate.objects.filter(program=program, enabled=True).count()
