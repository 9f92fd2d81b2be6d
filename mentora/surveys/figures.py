"""The figures of one survey template's answered surveys, with the privacy rule applied: no cell
under MIN_AGGREGATE_GROUP people, complementary cells hidden with it (`core.privacy.hidden_cells`),
text answers never read. Computed only when results are published (`services.survey_results_publish`).
"""

from collections import defaultdict
from statistics import fmean

from mentora.core.privacy import MIN_AGGREGATE_GROUP, hidden_cells
from mentora.surveys.models import (
    TEXT_KINDS,
    AnswerKind,
    Measure,
    SurveyAnswer,
    SurveyInstance,
    SurveyStatus,
    SurveyTemplate,
)

PROMOTER_FROM = 9
PASSIVE_FROM = 7


def _shown(counts: dict[str, int]) -> dict[str, int | None]:
    hidden = hidden_cells(counts)
    return {key: None if key in hidden else n for key, n in counts.items()}


def _nps(scores: list[int]) -> dict:
    counts = {
        "promoters": sum(1 for s in scores if s >= PROMOTER_FROM),
        "passives": sum(1 for s in scores if PASSIVE_FROM <= s < PROMOTER_FROM),
        "detractors": sum(1 for s in scores if s < PASSIVE_FROM),
    }
    shown = _shown(counts)
    # With a group hidden, the score (promoters minus detractors) would give it back.
    whole = len(scores) >= MIN_AGGREGATE_GROUP and None not in shown.values()
    score = round(100 * (counts["promoters"] - counts["detractors"]) / len(scores)) if whole else None
    return {"answers": len(scores), **shown, "score": score}


def compute(*, template: SurveyTemplate) -> dict:
    answered = SurveyInstance.objects.filter(template=template, status=SurveyStatus.ANSWERED)
    sides = {"mentor": 0, "mentee": 0}
    for respondent_id, mentor_id in answered.values_list("respondent_id", "relationship__mentor_id"):
        sides["mentor" if respondent_id == mentor_id else "mentee"] += 1
    questions = [q for q in template.questions.all() if q.kind not in TEXT_KINDS]
    scores: dict[int, list[int]] = defaultdict(list)
    values: dict[int, list] = defaultdict(list)
    by_person: dict[tuple[str, int], list[int]] = defaultdict(list)  # (measure, instance) -> item scores
    measure_of = {q.pk: q.measure for q in questions}
    rows = SurveyAnswer.objects.filter(instance__in=answered, question__in=questions).values_list(
        "instance_id", "question_id", "score", "value"
    )
    for instance_id, question_id, score, value in rows:
        if score is not None:
            scores[question_id].append(score)
            if measure_of[question_id]:
                by_person[(measure_of[question_id], instance_id)].append(score)
        else:
            values[question_id].append(value)
    measures: dict[str, dict] = {}
    for measure in dict.fromkeys(
        q.measure for q in questions if q.measure and q.measure != Measure.RECOMMEND
    ):
        means = [fmean(items) for (m, _instance), items in by_person.items() if m == measure]
        enough = len(means) >= MIN_AGGREGATE_GROUP
        measures[measure] = {"answers": len(means), "mean": round(fmean(means), 2) if enough else None}
    recommend = [s for q in questions if q.measure == Measure.RECOMMEND for s in scores[q.pk]]
    return {
        "answers": answered.count(),
        "by_side": _shown(sides),
        "measures": measures,
        "nps": _nps(recommend) if any(q.measure == Measure.RECOMMEND for q in questions) else None,
        "questions": [_question(q, scores[q.pk], values[q.pk]) for q in questions],
    }


def _question(question, scores: list[int], values: list) -> dict:
    if question.kind == AnswerKind.SCALE:
        counts = {str(n): scores.count(n) for n in range(1, 6)}
    elif question.kind == AnswerKind.SCORE_0_10:
        counts = {str(n): scores.count(n) for n in range(11)}
    else:
        picked = [choice for value in values for choice in ([value] if isinstance(value, str) else value)]
        counts = {choice: picked.count(choice) for choice in question.choices}
    answers = len(scores) if question.kind in (AnswerKind.SCALE, AnswerKind.SCORE_0_10) else len(values)
    enough = answers >= MIN_AGGREGATE_GROUP
    return {
        "prompt": question.prompt,
        "kind": question.kind,
        "measure": question.measure,
        "answers": answers if enough else None,
        "mean": round(fmean(scores), 2) if enough and scores else None,
        "counts": _shown(counts) if enough else dict.fromkeys(counts),
    }
