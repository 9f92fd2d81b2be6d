"""Issuing surveys on the program's cadence, answering them (validated, once, only one's own),
the fit answer's no-fault rematch offer, and the built-in questions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from mentora.surveys import selectors, services
from mentora.surveys.models import Measure, SurveyAnswer, SurveyInstance, SurveyKind, SurveyStatus
from tests.surveys.fixtures import answers_for

JAN_16 = datetime.date(2031, 1, 16)


def test_a_new_template_gets_the_mentoring_functions_scale(midpoint):
    measures = [question.measure for question in midpoint.questions.all()]
    assert measures.count(Measure.CAREER) == measures.count(Measure.PSYCHOSOCIAL) == 3
    assert measures.count(Measure.ROLE_MODEL) == 3
    assert {question.kind for question in midpoint.questions.all()} == {"scale"}


def test_the_fit_survey_is_asked_of_both_sides_once_even_when_the_sweep_runs_twice(pairs, fit):
    assert services.surveys_issue_due(today=datetime.date(2031, 1, 14)) == 0  # day 13: not yet
    assert services.surveys_issue_due(today=JAN_16) == 12
    assert services.surveys_issue_due(today=JAN_16) == 0
    assert services.surveys_issue_due(today=datetime.date(2031, 2, 20)) == 0
    assert SurveyInstance.objects.filter(template=fit).count() == 12


def test_recurring_surveys_follow_the_cadence_and_an_unanswered_round_is_missed(pairs, recommend, program):
    services.survey_settings_update(
        program=program, fit_day=14, first_day=30, every_days=60, at_closure=True, fit_threshold=2
    )
    assert services.surveys_issue_due(today=datetime.date(2031, 1, 30)) == 0
    assert services.surveys_issue_due(today=datetime.date(2031, 1, 31)) == 12  # day 30
    assert services.surveys_issue_due(today=datetime.date(2031, 3, 31)) == 0
    assert services.surveys_issue_due(today=datetime.date(2031, 4, 1)) == 12  # day 90
    rounds = SurveyInstance.objects.filter(relationship=pairs[0], respondent=pairs[0].mentee)
    assert sorted(rounds.values_list("round", "status")) == [(1, "missed"), (2, "pending")]


def test_the_end_survey_is_asked_at_closure_and_others_lapse(pairs, program, fit):
    services.survey_template_set(program=program, kind="end", enabled=True)
    services.surveys_issue_due(today=JAN_16)
    pair = pairs[0]
    from mentora.agreements.closure import relationship_end_no_fault

    relationship_end_no_fault(relationship=pair, person=pair.mentee, reason="")
    services.surveys_issue_due()
    mine = SurveyInstance.objects.filter(relationship=pair, respondent=pair.mentee)
    assert dict(mine.values_list("template__kind", "status")) == {"fit": "missed", "end": "pending"}


def _issue_fit(pairs, fit):
    services.surveys_issue_due(today=JAN_16)
    return selectors.surveys_pending_for(person=pairs[0].mentee)[0]


def test_an_answer_is_stored_once_and_only_its_author_may_give_it(pairs, fit):
    instance = _issue_fit(pairs, fit)
    mentee, mentor = pairs[0].mentee, pairs[0].mentor
    with pytest.raises(ValidationError) as error:
        services.survey_answer(instance=instance, person=mentor, answers=answers_for(instance))
    assert error.value.code == "not_yours"
    services.survey_answer(instance=instance, person=mentee, answers=answers_for(instance, fit=4))
    with pytest.raises(ValidationError) as error:
        services.survey_answer(instance=instance, person=mentee, answers=answers_for(instance, fit=5))
    assert error.value.code == "already_answered"
    assert SurveyAnswer.objects.filter(instance=instance).count() == 1
    assert SurveyAnswer.objects.get(instance=instance).score == 4


@pytest.mark.parametrize(
    ("score", "code"), [(0, "bad_number"), (6, "bad_number"), ("four", "bad_number"), (None, "unanswered")]
)
def test_a_bad_scale_answer_is_refused_on_its_question(pairs, fit, score, code):
    instance = _issue_fit(pairs, fit)
    question = instance.template.questions.get(measure="fit")
    with pytest.raises(ValidationError) as error:
        services.survey_answer(instance=instance, person=pairs[0].mentee, answers={question.pk: score})
    assert error.value.error_dict[f"q_{question.pk}"][0].code == code
    instance.refresh_from_db()
    assert instance.status == SurveyStatus.PENDING


@pytest.mark.parametrize("score", [-1, 11, True, 7.5])
def test_a_recommendation_outside_0_to_10_is_refused(pairs, recommend, program, score):
    services.surveys_issue_due(today=datetime.date(2031, 2, 1))
    instance = selectors.surveys_pending_for(person=pairs[0].mentee)[0]
    question = instance.template.questions.get(measure="recommend")
    with pytest.raises(ValidationError):
        services.survey_answer(instance=instance, person=pairs[0].mentee, answers={question.pk: score})


def test_an_answer_to_a_question_of_another_survey_is_refused(pairs, fit, midpoint):
    instance = _issue_fit(pairs, fit)
    foreign = midpoint.questions.first()
    with pytest.raises(ValidationError) as error:
        services.survey_answer(
            instance=instance, person=pairs[0].mentee, answers={**answers_for(instance), foreign.pk: 3}
        )
    assert error.value.code == "wrong_survey"


def test_the_database_keeps_one_answer_per_question_of_a_survey(pairs, fit):
    instance = _issue_fit(pairs, fit)
    question = instance.template.questions.first()
    SurveyAnswer.objects.create(instance=instance, question=question, score=3)
    with pytest.raises(IntegrityError):
        SurveyAnswer.objects.create(instance=instance, question=question, score=4)


def test_a_low_fit_offers_its_author_a_no_fault_rematch(pairs, fit):
    instance = _issue_fit(pairs, fit)
    services.survey_answer(instance=instance, person=pairs[0].mentee, answers=answers_for(instance, fit=2))
    assert [offer.pk for offer in selectors.rematch_offers_for(person=pairs[0].mentee)] == [instance.pk]
    assert selectors.rematch_offers_for(person=pairs[0].mentor) == []


def test_a_good_fit_offers_nothing(pairs, fit):
    instance = _issue_fit(pairs, fit)
    services.survey_answer(instance=instance, person=pairs[0].mentee, answers=answers_for(instance, fit=3))
    assert selectors.rematch_offers_for(person=pairs[0].mentee) == []


def test_built_in_questions_cannot_change_but_own_questions_can_until_answered(pairs, fit, program):
    built_in = fit.questions.get(measure="fit")
    with pytest.raises(ValidationError) as error:
        services.survey_question_delete(question=built_in)
    assert error.value.code == "not_editable"
    custom = services.survey_template_set(program=program, kind=SurveyKind.CUSTOM, enabled=True)
    question = services.survey_question_add(
        template=custom,
        values={"prompt": "Which format?", "kind": "single_choice", "choices": ["Online", "Office"]},
    )
    assert question.position == 1
    services.survey_question_update(question=question, values={"prompt": "Which format works best?"})
    with pytest.raises(ValidationError) as error:
        services.survey_question_add(
            template=custom, values={"prompt": "x", "kind": "single_choice", "choices": ["a"]}
        )
    assert error.value.code == "too_few"
    with pytest.raises(ValidationError) as error:
        services.survey_question_add(
            template=custom, values={"prompt": "x", "kind": "scale", "measure": "fit"}
        )
    assert error.value.code == "unknown_fields"


def test_settings_refuse_out_of_range_values(program):
    with pytest.raises(ValidationError) as error:
        services.survey_settings_update(
            program=program, fit_day=0, first_day=400, every_days=7, at_closure=True, fit_threshold=9
        )
    assert set(error.value.error_dict) == {"fit_day", "first_day", "every_days", "fit_threshold"}


def test_the_daily_job_is_registered_and_safe_to_run_twice(pairs, fit):
    from django.utils import timezone

    from mentora.core.schedule import registered_jobs
    from mentora.relationships.models import Relationship

    assert "surveys.issue_due" in {job.name for job in registered_jobs()}
    Relationship.objects.filter(pk__in=[pair.pk for pair in pairs]).update(
        started_at=timezone.now() - datetime.timedelta(days=20)
    )
    assert services.surveys_issue_due_sweep()["issued"] == 12  # every pair is past day 14 today
    assert services.surveys_issue_due_sweep() == {"issued": 0, "results_published": 0}
