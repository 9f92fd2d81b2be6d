"""A check-in still unanswered more than the program's `overdue_after_days` after its due date is
shown as overdue to its respondent: on their check-ins page, in the pair's space and by API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentora.checkins import services
from mentora.checkins.models import Checkin, CheckinKind
from tests.factories import api_headers


def api(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


def pulse(relationship, person, *, days_ago: int) -> Checkin:
    return Checkin.objects.create(
        relationship=relationship,
        respondent=person,
        kind=CheckinKind.PULSE,
        due_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def late_and_recent(relationship, alice):
    """Alice's pulse due ten days ago (overdue after the default seven) and one due two days ago."""
    return pulse(relationship, alice, days_ago=10), pulse(relationship, alice, days_ago=2)


def test_my_checkins_page_and_the_pair_space_say_which_is_overdue(
    client, relationship, alice, late_and_recent
):
    client.force_login(alice.user)
    for url in (reverse("checkins:mine"), reverse("workspace:pair", args=[relationship.pk])):
        text = client.get(url).content.decode()
        assert text.count('<span class="badge">overdue</span>') == 1, url


def test_the_api_says_which_is_overdue_by_the_programs_own_rule(
    client, relationship, program, alice, late_and_recent
):
    late, recent = late_and_recent
    body = api(client, alice, "get", "/api/checkins/pending").json()
    assert {item["id"]: item["overdue"] for item in body} == {late.pk: True, recent.pk: False}
    assert api(client, alice, "get", f"/api/checkins/{late.pk}").json()["overdue"] is True
    services.checkin_schedule_update(
        program=program,
        enabled=True,
        cadence_weeks=4,
        midpoint_survey=True,
        end_survey=True,
        silent_after_weeks=4,
        overdue_after_days=1,
    )
    body = api(client, alice, "get", "/api/checkins/pending").json()
    assert {item["id"]: item["overdue"] for item in body} == {late.pk: True, recent.pk: True}
    answered = api(
        client,
        alice,
        "post",
        f"/api/checkins/{late.pk}/answer",
        {"usefulness": 4, "meeting_frequency": "monthly"},
    ).json()
    assert answered["status"] == "answered" and answered["overdue"] is False
