"""A person's survey answers are in their own data export (not in their partner's), and an erasure
removes their written answers while their scores keep counting in published figures."""

import datetime

from mentora.core.roles import viewer_for
from mentora.privacy import services as privacy
from mentora.privacy.selectors import personal_data_export
from mentora.surveys import selectors, services
from mentora.surveys.models import SurveyAnswer
from tests.surveys.fixtures import answers_for

SECRET = "SECRET-WHY: we never meet"


def answered(pairs, fit):
    services.surveys_issue_due(today=datetime.date(2031, 1, 16))
    alice = pairs[0].mentee
    instance = selectors.surveys_pending_for(person=alice)[0]
    text = instance.template.questions.get(kind="long_text")
    services.survey_answer(
        instance=instance, person=alice, answers={**answers_for(instance, fit=3), text.pk: SECRET}
    )
    return alice


def _surveys(export) -> list:
    return [survey for pair in export["relationships"] for survey in pair["my_surveys"]]


def test_my_answers_are_in_my_export_and_not_in_my_partners(pairs, fit):
    alice = answered(pairs, fit)
    mine = _surveys(personal_data_export(person=alice))
    assert [survey["survey"] for survey in mine] == ["fit"]
    assert [answer["answer"] for answer in mine[0]["answers"]] == [3, SECRET]
    partners = _surveys(personal_data_export(person=pairs[0].mentor))
    assert SECRET not in str(partners)
    assert all(survey["answers"] == [] for survey in partners)


def test_erasure_removes_written_answers_and_keeps_scores(pairs, fit, olga):
    alice = answered(pairs, fit)
    privacy.person_erase(actor=viewer_for(olga.user), person_id=alice.pk, reason="She asked", confirmed=True)
    left = SurveyAnswer.objects.filter(instance__respondent=alice)
    assert list(left.values_list("score", "value")) == [(3, None)]
