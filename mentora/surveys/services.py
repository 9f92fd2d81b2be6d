"""Writes for program surveys: settings and templates (the program's managers), issuing due
surveys (the daily job), answering (the respondent alone) and publishing results.

Issuing is idempotent: an instance is unique per (template, pair, respondent, round), so a second
sweep on the same day inserts nothing.
"""

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.core.privacy import MIN_AGGREGATE_GROUP, membership_changed_enough
from mentora.core.refusals import Refusal
from mentora.organisations.models import Organisation
from mentora.people.models import Person
from mentora.programs.models import Program
from mentora.programs.services import clean_answer, clean_question
from mentora.relationships.models import Relationship, RelationshipStatus
from mentora.surveys import figures
from mentora.surveys.instrument import DEFAULT_QUESTIONS
from mentora.surveys.models import (
    SCORE_MAX,
    SCORED_KINDS,
    AnswerKind,
    Measure,
    SurveyAnswer,
    SurveyInstance,
    SurveyKind,
    SurveyQuestion,
    SurveyResults,
    SurveySettings,
    SurveyStatus,
    SurveyTemplate,
)
from mentora.surveys.selectors import settings_for

QUESTION_FIELDS = ("prompt", "help_text", "kind", "choices", "required", "max_picks")
END_SURVEY_LEAD = timedelta(days=7)
# A pair that ended is still asked its end-of-cycle survey for this long after it ended.
CLOSURE_WINDOW = timedelta(days=30)
ISSUE_WRITE_BATCH = 1000


# ---------------------------------------------------------------------------------- setup (managers)


def survey_settings_update(
    *, program: Program, fit_day: int, first_day: int, every_days: int, at_closure: bool, fit_threshold: int
) -> SurveySettings:
    errors = {}
    numbers = {
        "fit_day": fit_day,
        "first_day": first_day,
        "every_days": every_days,
        "fit_threshold": fit_threshold,
    }
    ranges = {"fit_day": (1, 90), "first_day": (1, 365), "every_days": (0, 365), "fit_threshold": (0, 5)}
    for field, value in numbers.items():
        low, high = ranges[field]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[field] = Refusal(
                _("Choose a whole number from %(low)d to %(high)d.") % {"low": low, "high": high},
                code="bad_number",
            )
    if "every_days" not in errors and 0 < every_days < 14:
        errors["every_days"] = Refusal(_("Ask again after at least 14 days, or choose 0."), code="bad_number")
    if not isinstance(at_closure, bool):
        errors["at_closure"] = Refusal(_("Say yes or no."), code="bad_type")
    if errors:
        raise ValidationError(errors)
    settings, _created = SurveySettings.objects.update_or_create(
        program=program,
        defaults={
            "fit_day": fit_day,
            "first_day": first_day,
            "every_days": every_days,
            "at_closure": at_closure,
            "fit_threshold": fit_threshold,
        },
    )
    return settings


@transaction.atomic
def survey_template_set(*, program: Program, kind: str, enabled: bool) -> SurveyTemplate:
    """Switch one of the program's surveys on or off; switched on the first time, it gets its
    built-in questions (`surveys.instrument`)."""
    if kind not in SurveyKind.values:
        raise Refusal(_("Choose one of the surveys offered."), code="bad_choice", field="kind")
    if not isinstance(enabled, bool):
        raise Refusal(_("Say yes or no."), code="bad_type", field="enabled")
    template, created = SurveyTemplate.objects.get_or_create(
        program=program, kind=kind, defaults={"enabled": enabled}
    )
    if created:
        SurveyQuestion.objects.bulk_create(
            SurveyQuestion(
                template=template,
                position=position,
                prompt=str(prompt),
                kind=answer_kind,
                measure=measure,
                required=required,
            )
            for position, (measure, answer_kind, prompt, required) in enumerate(
                DEFAULT_QUESTIONS[kind], start=1
            )
        )
    elif template.enabled != enabled:
        template.enabled = enabled
        template.save(update_fields=["enabled"])
    return template


def _own_question(question: SurveyQuestion) -> None:
    if question.measure != Measure.OWN:
        raise Refusal(
            _("The built-in questions of a survey cannot change: its figures compare across programs."),
            code="not_editable",
        )
    if question.answers.exists():
        raise Refusal(_("People have answered this question; it cannot change."), code="answered")


def _reject_unknown(values: Mapping[str, Any]) -> None:
    unknown = sorted(set(values) - set(QUESTION_FIELDS))
    if unknown:
        raise Refusal(
            _("Unknown question fields: %(fields)s") % {"fields": ", ".join(unknown)}, code="unknown_fields"
        )


@transaction.atomic
def survey_question_add(*, template: SurveyTemplate, values: Mapping[str, Any]) -> SurveyQuestion:
    """Add one of the manager's own questions (the intake questionnaire's answer types, or 0–10)."""
    _reject_unknown(values)
    SurveyTemplate.objects.select_for_update().filter(pk=template.pk).first()  # one position each
    position = (template.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    question = SurveyQuestion(template=template, position=position, **values)
    clean_question(question)
    question.save()
    return question


@transaction.atomic
def survey_question_update(*, question: SurveyQuestion, values: Mapping[str, Any]) -> SurveyQuestion:
    _reject_unknown(values)
    _own_question(question)
    for name, value in values.items():
        setattr(question, name, value)
    clean_question(question)
    question.save()
    return question


def survey_question_delete(*, question: SurveyQuestion) -> None:
    _own_question(question)
    question.delete()


# ---------------------------------------------------------------------------------- issuing


def _start(relationship: Relationship) -> date | None:
    return relationship.started_at.astimezone(UTC).date() if relationship.started_at else None


def _due(
    kind: str, relationship: Relationship, settings: SurveySettings, today: date
) -> tuple[int, date] | None:
    """(round, due date) of the survey this pair should have been asked by today, if any."""
    start = _start(relationship)
    if start is None:
        return None
    active = relationship.status == RelationshipStatus.ACTIVE
    if kind == SurveyKind.END:
        if not settings.at_closure:
            return None
        if active:
            return (0, relationship.ends_on) if today >= relationship.ends_on - END_SURVEY_LEAD else None
        ended = relationship.ended_at.astimezone(UTC).date()
        return (0, ended) if today - ended <= CLOSURE_WINDOW else None
    if not active:
        return None
    if kind == SurveyKind.FIT:
        due = start + timedelta(days=settings.fit_day)
        return (0, due) if today >= due else None
    if kind == SurveyKind.MIDPOINT:
        if relationship.ends_on <= start:
            return None
        due = start + (relationship.ends_on - start) / 2
        return (0, due) if today >= due else None
    first = start + timedelta(days=settings.first_day)
    if today < first:
        return None
    rounds = 1 + ((today - first).days // settings.every_days if settings.every_days else 0)
    return rounds, first + timedelta(days=(rounds - 1) * settings.every_days)


@transaction.atomic
def surveys_issue_due(*, today: date | None = None, organisation: Organisation | None = None) -> int:
    """Ask each side of every pair the program surveys that are due; returns how many are new.

    A recurring survey asks only its latest round (an unanswered earlier round becomes missed);
    the fit, mid-point and end-of-cycle surveys are asked once. Unanswered surveys of a pair that
    ended lapse, except the end-of-cycle one. A fixed number of queries however many pairs.
    """
    today = today or timezone.localdate()
    templates = SurveyTemplate.objects.filter(enabled=True, questions__isnull=False).distinct()
    if organisation is not None:
        templates = templates.filter(program__organisation=organisation)
    by_program: dict[int, list[SurveyTemplate]] = {}
    for template in templates:
        by_program.setdefault(template.program_id, []).append(template)
    settings = {row.program_id: row for row in SurveySettings.objects.filter(program_id__in=by_program)}
    pairs = Relationship.objects.filter(program_id__in=by_program, started_at__isnull=False).filter(
        Q(status=RelationshipStatus.ACTIVE)
        | Q(
            status=RelationshipStatus.ENDED,
            ended_at__gte=datetime.combine(today, time.min, tzinfo=UTC) - CLOSURE_WINDOW,
        )
    )
    due: dict[tuple[int, int, int, int], SurveyInstance] = {}
    for relationship in pairs.only(
        "pk", "program_id", "mentor_id", "mentee_id", "started_at", "ends_on", "ended_at", "status"
    ).iterator(chunk_size=2000):
        program_settings = settings.get(relationship.program_id) or SurveySettings(
            program_id=relationship.program_id
        )
        for template in by_program[relationship.program_id]:
            found = _due(template.kind, relationship, program_settings, today)
            if found is None:
                continue
            round_, due_on = found
            for respondent_id in (relationship.mentor_id, relationship.mentee_id):
                due[(template.pk, relationship.pk, respondent_id, round_)] = SurveyInstance(
                    template_id=template.pk,
                    relationship_id=relationship.pk,
                    respondent_id=respondent_id,
                    round=round_,
                    due_on=due_on,
                )
    asked = set(
        SurveyInstance.objects.filter(template__in=templates, relationship__in=pairs).values_list(
            "template_id", "relationship_id", "respondent_id", "round"
        )
    )
    new = [instance for key, instance in due.items() if key not in asked]
    # The unique constraint keeps a concurrent sweep's rows from doubling these.
    SurveyInstance.objects.bulk_create(new, ignore_conflicts=True, batch_size=ISSUE_WRITE_BATCH)
    _lapse(pairs)
    return len(new)


def _lapse(pairs) -> None:
    """An unanswered round is missed once a later round was asked; an ended pair's unanswered
    surveys are missed, but for the end-of-cycle survey (one UPDATE each)."""
    later = SurveyInstance.objects.filter(
        template_id=OuterRef("template_id"),
        relationship_id=OuterRef("relationship_id"),
        respondent_id=OuterRef("respondent_id"),
        round__gt=OuterRef("round"),
    )
    pending = SurveyInstance.objects.filter(status=SurveyStatus.PENDING)
    pending.filter(relationship__in=pairs).filter(Exists(later)).update(status=SurveyStatus.MISSED)
    pending.filter(relationship__status=RelationshipStatus.ENDED).exclude(
        template__kind=SurveyKind.END
    ).update(status=SurveyStatus.MISSED)


def surveys_issue_due_sweep() -> dict[str, int]:
    """The daily job: issue what is due, then publish the results that may move."""
    issued = surveys_issue_due()
    published = sum(
        1
        for template in SurveyTemplate.objects.filter(instances__status=SurveyStatus.ANSWERED).distinct()
        if survey_results_publish(template=template, fresh_only=True)
    )
    return {"issued": issued, "results_published": published}


# ---------------------------------------------------------------------------------- answering


def _clean_score(question: SurveyQuestion, raw: Any) -> int | None:
    if raw is None or raw == "":
        if question.required:
            raise Refusal(_("Please answer this question."), code="unanswered")
        return None
    if question.kind == AnswerKind.SCALE:
        return clean_answer(question, raw, 0)
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise Refusal(_("Pick a number from 0 to 10."), code="bad_number")
    try:
        value = int(raw)
    except ValueError:
        raise Refusal(_("Pick a number from 0 to 10."), code="bad_number") from None
    if not 0 <= value <= SCORE_MAX:
        raise Refusal(_("Pick a number from 0 to 10."), code="bad_number")
    return value


def _cleaned(instance: SurveyInstance, answers: Mapping) -> list[SurveyAnswer]:
    questions = list(instance.template.questions.all())
    try:
        given = {int(key): value for key, value in (answers or {}).items()}
    except (AttributeError, TypeError, ValueError):
        raise Refusal(_("Answers must be keyed by question id."), code="bad_type", field="answers") from None
    if set(given) - {question.pk for question in questions}:
        raise Refusal(
            _("Some answers are for questions this survey does not ask."),
            code="wrong_survey",
            field="answers",
        )
    errors: dict[str, list[ValidationError]] = {}
    rows = []
    for question in questions:
        raw = given.get(question.pk)
        try:
            if question.kind in SCORED_KINDS:
                score, value = _clean_score(question, raw), None
            else:
                score, value = (
                    None,
                    clean_answer(question, raw, instance.relationship.program.organisation_id),
                )
        except ValidationError as error:
            code = getattr(error, "code", None)
            errors[f"q_{question.pk}"] = [ValidationError(message, code=code) for message in error.messages]
            continue
        if score is not None or value is not None:
            rows.append(SurveyAnswer(instance=instance, question=question, score=score, value=value))
    if errors:
        raise ValidationError(errors)
    return rows


def _claim(instance: SurveyInstance) -> None:
    """Mark my survey answered, once (a conditional update: two tabs cannot both answer)."""
    relationship = Relationship.objects.get(pk=instance.relationship_id)
    if relationship.status != RelationshipStatus.ACTIVE and instance.template.kind != SurveyKind.END:
        raise Refusal(
            _("This relationship has ended; this survey can no longer be answered."), code="not_pending"
        )
    claimed = SurveyInstance.objects.filter(pk=instance.pk, status=SurveyStatus.PENDING).update(
        status=SurveyStatus.ANSWERED, answered_at=timezone.now()
    )
    if not claimed:
        instance.refresh_from_db()
        if instance.status == SurveyStatus.ANSWERED:
            raise Refusal(_("You have already answered this survey."), code="already_answered")
        raise Refusal(_("This survey is closed and can no longer be answered."), code="not_pending")


@transaction.atomic
def survey_answer(*, instance: SurveyInstance, person: Person, answers: Mapping) -> SurveyInstance:
    """Answer my own survey, once: `answers` maps question ids to values. The answers stay private
    to me. A fit at or under the program's threshold offers me (only me) a no-fault rematch."""
    if instance.respondent_id != person.pk:
        raise Refusal(_("You can only answer your own surveys."), code="not_yours")
    rows = _cleaned(instance, answers)
    _claim(instance)
    SurveyAnswer.objects.bulk_create(rows)
    threshold = settings_for(program=instance.relationship.program).fit_threshold
    if any(
        row.question.measure == Measure.FIT and row.score is not None and row.score <= threshold
        for row in rows
    ):
        SurveyInstance.objects.filter(pk=instance.pk).update(rematch_offered=True)
    instance.refresh_from_db()
    return instance


# ---------------------------------------------------------------------------------- results


def _to_publish(template: SurveyTemplate) -> tuple[SurveyResults | None, frozenset[int] | None]:
    """The last published results, and the answered surveys to publish now (None: nothing new may be)."""
    latest = SurveyResults.objects.filter(template=template).first()
    members = frozenset(
        SurveyInstance.objects.filter(template=template, status=SurveyStatus.ANSWERED).values_list(
            "pk", flat=True
        )
    )
    before = frozenset(latest.members) if latest else frozenset()
    publishable = len(members) >= MIN_AGGREGATE_GROUP and members != before
    return latest, members if publishable and membership_changed_enough(before, members) else None


def survey_results_publish(*, template: SurveyTemplate, fresh_only: bool = False) -> SurveyResults | None:
    """The template's published results, publishing new ones first when the answered surveys
    differ from the last published ones by at least MIN_AGGREGATE_GROUP (and number at least
    that many): so that one more answer never moves a figure a manager already read.

    Most reads have nothing to publish and take no lock (managers' page views never queue on it).
    `fresh_only`: return only a newly published row (the daily job counts them)."""
    latest, members = _to_publish(template)
    if members is None:
        return None if fresh_only else latest
    with transaction.atomic():
        SurveyTemplate.objects.select_for_update().filter(pk=template.pk).first()  # one publisher at a time
        latest, members = _to_publish(template)
        if members is None:
            return None if fresh_only else latest
        return SurveyResults.objects.create(
            template=template,
            answers=len(members),
            members=sorted(members),
            figures=figures.compute(template=template),
        )
