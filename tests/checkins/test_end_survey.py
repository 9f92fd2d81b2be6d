"""The end-of-cycle survey asks its own questions (overall usefulness, goals achieved, would
recommend, what helped, what should change), not the pulse's: service, page, API, bad input."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mentora.checkins import services
from mentora.checkins.models import Checkin, CheckinKind, CheckinStatus, EndSurveyAnswer
from tests.factories import api_headers

GOOD = {
    "usefulness": 5,
    "goals_achieved": "partly",
    "would_recommend": True,
    "what_helped": "Honest feedback",
    "what_to_change": "Meet more often",
}


def api(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


def ask(relationship, person, kind=CheckinKind.END) -> Checkin:
    return Checkin.objects.create(
        relationship=relationship, respondent=person, kind=kind, due_on=datetime.date(2031, 12, 31)
    )


def test_the_end_survey_is_answered_with_its_own_questions_once(relationship, alice, bob):
    checkin = ask(relationship, alice)
    with pytest.raises(PermissionDenied):
        services.checkin_answer_end(checkin=checkin, person=bob, **GOOD)
    with pytest.raises(ValidationError) as error:
        services.checkin_answer(checkin=checkin, person=alice, usefulness=4, meeting_frequency="monthly")
    assert error.value.code == "wrong_survey"
    answer = services.checkin_answer_end(checkin=checkin, person=alice, **GOOD)
    assert (answer.usefulness, answer.goals_achieved, answer.would_recommend) == (5, "partly", True)
    checkin.refresh_from_db()
    assert checkin.status == CheckinStatus.ANSWERED
    with pytest.raises(ValidationError) as error:
        services.checkin_answer_end(checkin=checkin, person=alice, **GOOD)
    assert error.value.code == "already_answered"
    pulse = ask(relationship, alice, kind=CheckinKind.PULSE)
    with pytest.raises(ValidationError) as error:
        services.checkin_answer_end(checkin=pulse, person=alice, **GOOD)
    assert error.value.code == "wrong_survey"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("usefulness", 0),
        ("usefulness", True),
        ("goals_achieved", "maybe"),
        ("would_recommend", "yes"),
        ("what_helped", "x" * 2001),
        ("what_to_change", "bad\x00byte"),
    ],
)
def test_bad_end_survey_answers_are_refused_and_it_stays_open(relationship, alice, field, value):
    checkin = ask(relationship, alice)
    with pytest.raises(ValidationError) as error:
        services.checkin_answer_end(checkin=checkin, person=alice, **(GOOD | {field: value}))
    assert field in error.value.message_dict
    checkin.refresh_from_db()
    assert checkin.status == CheckinStatus.PENDING and not EndSurveyAnswer.objects.exists()


def test_the_page_asks_the_end_questions_and_the_pulse_its_own(client, relationship, alice):
    end, pulse = ask(relationship, alice), ask(relationship, alice, kind=CheckinKind.PULSE)
    client.force_login(alice.user)
    text = client.get(reverse("checkins:answer", args=[end.pk])).content.decode()
    assert "Did you achieve your goals?" in text and "How often do you meet?" not in text
    text = client.get(reverse("checkins:answer", args=[pulse.pk])).content.decode()
    assert "How often do you meet?" in text and "Did you achieve your goals?" not in text
    url = reverse("checkins:answer", args=[end.pk])
    response = client.post(url, {"usefulness": "4", "goals_achieved": "someday", "would_recommend": "yes"})
    assert response.status_code == 400
    response = client.post(
        url,
        {"usefulness": "4", "goals_achieved": "yes", "would_recommend": "no", "what_helped": "HELPED-TEXT"},
        follow=True,
    )
    text = response.content.decode()
    assert "Goals achieved" in text and "HELPED-TEXT" in text
    assert EndSurveyAnswer.objects.get().would_recommend is False


def test_the_api_answers_the_end_survey_and_only_its_respondent_reads_it(client, relationship, alice, bob):
    checkin = ask(relationship, alice)
    url = f"/api/checkins/{checkin.pk}"
    wrong = api(client, alice, "post", f"{url}/answer", {"usefulness": 4, "meeting_frequency": "monthly"})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "wrong_survey"
    bad = api(client, alice, "post", f"{url}/end-answer", GOOD | {"would_recommend": "sure"})
    assert bad.status_code == 422
    assert api(client, bob, "post", f"{url}/end-answer", GOOD).status_code == 404
    body = api(client, alice, "post", f"{url}/end-answer", GOOD).json()
    assert body["status"] == "answered" and body["answer"] is None
    assert body["end_answer"] == GOOD
    assert api(client, alice, "get", url).json()["end_answer"]["goals_achieved"] == "partly"
    assert api(client, bob, "get", url).status_code == 404
    again = api(client, alice, "post", f"{url}/end-answer", GOOD)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_answered"
