"""The demo's program surveys: each demo program asks the fit question, the mid-point survey (the
mentoring functions scale), the recommendation and the end-of-cycle survey; most people who were
asked have answered, so that every program's results page shows published figures at once."""

import random
from datetime import UTC

from django.db.models import Max
from django.utils import timezone

from mentora.organisations.models import Organisation
from mentora.programs.models import Program
from mentora.relationships.models import Relationship, RelationshipStatus
from mentora.surveys import services
from mentora.surveys.models import AnswerKind, Measure, SurveyInstance, SurveyKind, SurveyStatus

ANSWERED_SHARE = 0.8
# A demo person's typical score per measure (1–5), before a little noise; role modelling lags.
TYPICAL = {Measure.CAREER: 4, Measure.PSYCHOSOCIAL: 4, Measure.ROLE_MODEL: 3, Measure.FIT: 4}
WHY = ["Good conversations that changed how I plan my work.", "", "We met less than we hoped."]


def _answers(instance: SurveyInstance, rng: random.Random) -> dict[int, object]:
    given: dict[int, object] = {}
    for question in instance.template.questions.all():
        if question.kind == AnswerKind.SCALE:
            given[question.pk] = max(1, min(5, TYPICAL.get(question.measure, 4) + rng.choice([-1, 0, 0, 1])))
        elif question.kind == AnswerKind.SCORE_0_10:
            given[question.pk] = rng.choice([6, 7, 8, 9, 9, 10, 10, 4])
        elif question.kind == AnswerKind.LONG_TEXT:
            given[question.pk] = rng.choice(WHY)
    return given


def demo_surveys_load(*, organisation: Organisation, seed: int) -> None:
    rng = random.Random(seed)
    for program in Program.objects.filter(organisation=organisation).order_by("pk"):
        for kind in (SurveyKind.FIT, SurveyKind.MIDPOINT, SurveyKind.RECOMMEND, SurveyKind.END):
            services.survey_template_set(program=program, kind=kind, enabled=True)
    # A cycle that ended months ago (last year's) was asked its end-of-cycle survey when it closed:
    # replay each program's last closing day, oldest first, then today.
    endings = (
        Relationship.objects.filter(program__organisation=organisation, status=RelationshipStatus.ENDED)
        .values("program_id")
        .annotate(last=Max("ended_at"))
        .values_list("last", flat=True)
    )
    for day in sorted({moment.astimezone(UTC).date() for moment in endings}):
        services.surveys_issue_due(today=day, organisation=organisation)
    services.surveys_issue_due(today=timezone.localdate(), organisation=organisation)
    pending = (
        SurveyInstance.objects.filter(
            template__program__organisation=organisation, status=SurveyStatus.PENDING
        )
        .select_related("template", "relationship__program", "respondent")
        .prefetch_related("template__questions")
        .order_by("pk")
    )
    for instance in pending:
        if rng.random() < ANSWERED_SHARE:
            services.survey_answer(
                instance=instance, person=instance.respondent, answers=_answers(instance, rng)
            )
    for program in Program.objects.filter(organisation=organisation).order_by("pk"):
        for template in program.survey_templates.all():
            services.survey_results_publish(template=template)
