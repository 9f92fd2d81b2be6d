"""Check-ins: issuing, answering, privacy from every other role, at-risk pairs, KPIs, settings —
services, pages and API. Published figures and the differencing attacks: test_aggregate_privacy."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from mentora.agreements.closure import relationship_end_no_fault
from mentora.checkins import selectors, services
from mentora.checkins.models import Checkin, CheckinKind, CheckinPeriodFigures, CheckinStatus
from mentora.core.privacy import MIN_AGGREGATE_GROUP
from mentora.meetings.models import Meeting
from mentora.relationships.models import Relationship
from tests.factories import api_headers

START = datetime.datetime(2031, 1, 1, 9, tzinfo=datetime.UTC)
SECRET = "SECRET-BLOCKER: my mentor keeps cancelling"


def api(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


def started(*relationships, at=START):
    Relationship.objects.filter(pk__in=[r.pk for r in relationships]).update(started_at=at)
    for relationship in relationships:
        relationship.refresh_from_db()


def issue(on: datetime.date) -> int:
    return services.checkins_issue_due(today=on)


def answer(person, usefulness=4, blockers="", tell_program_manager=False):
    checkin = selectors.checkins_pending_for(person=person)[0]
    return services.checkin_answer(
        checkin=checkin,
        person=person,
        usefulness=usefulness,
        meeting_frequency="monthly",
        blockers=blockers,
        tell_program_manager=tell_program_manager,
    )


# ---- issuing -----------------------------------------------------------------------------------


def test_a_pulse_goes_to_each_side_once_per_period(relationship, alice, bob):
    started(relationship)
    assert issue(datetime.date(2031, 1, 28)) == 0  # not four weeks yet
    assert issue(datetime.date(2031, 1, 29)) == 2
    assert issue(datetime.date(2031, 1, 29)) == 0  # a second sweep the same day adds nothing
    assert issue(datetime.date(2031, 2, 10)) == 0  # same period
    assert {c.respondent_id for c in Checkin.objects.all()} == {alice.pk, bob.pk}
    # Next period: the unanswered pulse is superseded and counts as missed.
    assert issue(datetime.date(2031, 2, 26)) == 2
    assert Checkin.objects.filter(status=CheckinStatus.MISSED).count() == 2
    assert [c.due_on for c in selectors.checkins_pending_for(person=alice)] == [datetime.date(2031, 2, 26)]


def test_midpoint_and_end_surveys_are_asked_once(relationship):
    started(relationship)
    issue(datetime.date(2031, 7, 2))
    issue(datetime.date(2031, 7, 3))
    assert Checkin.objects.filter(kind=CheckinKind.MIDPOINT).count() == 2
    issue(datetime.date(2031, 12, 24))
    issue(datetime.date(2031, 12, 30))
    assert Checkin.objects.filter(kind=CheckinKind.END).count() == 2


def test_a_program_can_turn_pulses_off_and_change_the_cadence(relationship, program):
    started(relationship)
    services.checkin_schedule_update(
        program=program,
        enabled=False,
        cadence_weeks=2,
        midpoint_survey=False,
        end_survey=False,
        silent_after_weeks=4,
        overdue_after_days=7,
    )
    assert issue(datetime.date(2031, 7, 2)) == 0
    services.checkin_schedule_update(
        program=program,
        enabled=True,
        cadence_weeks=2,
        midpoint_survey=False,
        end_survey=False,
        silent_after_weeks=4,
        overdue_after_days=7,
    )
    assert issue(datetime.date(2031, 1, 15)) == 2
    with pytest.raises(ValidationError) as error:
        services.checkin_schedule_update(
            program=program,
            enabled=True,
            cadence_weeks=0,
            midpoint_survey=False,
            end_survey=False,
            silent_after_weeks=99,
            overdue_after_days=7,
        )
    assert set(error.value.message_dict) == {"cadence_weeks", "silent_after_weeks"}


# ---- answering ---------------------------------------------------------------------------------


def test_answering_once_and_only_my_own(relationship, alice, bob):
    started(relationship)
    issue(datetime.date(2031, 1, 29))
    [mine] = selectors.checkins_pending_for(person=alice)
    with pytest.raises(PermissionDenied):
        services.checkin_answer(checkin=mine, person=bob, usefulness=5, meeting_frequency="weekly")
    services.checkin_answer(
        checkin=mine, person=alice, usefulness=2, meeting_frequency="rarely", blockers=SECRET
    )
    with pytest.raises(ValidationError) as error:
        services.checkin_answer(checkin=mine, person=alice, usefulness=5, meeting_frequency="weekly")
    assert error.value.code == "already_answered"


@pytest.mark.parametrize(
    ("usefulness", "frequency", "blockers", "field"),
    [
        (0, "weekly", "", "usefulness"),
        (6, "weekly", "", "usefulness"),
        (True, "weekly", "", "usefulness"),
        (3, "daily", "", "meeting_frequency"),
        (3, "weekly", "z" * 2001, "blockers"),
    ],
)
def test_bad_answers_are_refused_and_the_checkin_stays_open(
    relationship, alice, usefulness, frequency, blockers, field
):
    started(relationship)
    issue(datetime.date(2031, 1, 29))
    [checkin] = selectors.checkins_pending_for(person=alice)
    with pytest.raises(ValidationError) as error:
        services.checkin_answer(
            checkin=checkin,
            person=alice,
            usefulness=usefulness,
            meeting_frequency=frequency,
            blockers=blockers,
        )
    assert field in error.value.message_dict
    checkin.refresh_from_db()
    assert checkin.status == CheckinStatus.PENDING


def test_answering_on_the_page(client, relationship, alice):
    started(relationship)
    issue(datetime.date(2031, 1, 29))
    [checkin] = selectors.checkins_pending_for(person=alice)
    client.force_login(alice.user)
    assert "Pulse check-in" in client.get(reverse("checkins:mine")).content.decode()
    url = reverse("checkins:answer", args=[checkin.pk])
    response = client.post(url, {"usefulness": "9", "meeting_frequency": "weekly"})
    assert response.status_code == 400
    response = client.post(
        url, {"usefulness": "2", "meeting_frequency": "rarely", "blockers": SECRET}, follow=True
    )
    text = response.content.decode()
    assert "Only you can see your answer" in text and SECRET in text
    assert "Send my answer" not in text


def _answered_checkin(relationship, alice):
    started(relationship)
    issue(datetime.date(2031, 1, 29))
    [checkin] = selectors.checkins_pending_for(person=alice)
    services.checkin_answer(
        checkin=checkin, person=alice, usefulness=1, meeting_frequency="rarely", blockers=SECRET
    )
    return checkin


@pytest.mark.parametrize(
    "role",
    [
        "partner",
        "program manager",
        "org admin",
        "line manager",
        "another pair's mentee",
        "other organisation",
    ],
)
def test_nobody_but_the_author_reads_an_answer(client, relationship, outsiders, alice, bob, role):
    checkin = _answered_checkin(relationship, alice)
    person = bob if role == "partner" else outsiders[role]
    client.force_login(person.user)
    assert client.get(reverse("checkins:answer", args=[checkin.pk])).status_code == 404
    response = client.post(
        reverse("checkins:answer", args=[checkin.pk]), {"usefulness": "5", "meeting_frequency": "weekly"}
    )
    assert response.status_code == 404
    for url in (f"/api/checkins/{checkin.pk}", "/api/checkins/pending"):
        response = api(client, person, "get", url)
        assert SECRET not in response.content.decode()
    assert api(client, person, "get", f"/api/checkins/{checkin.pk}").status_code == 404
    response = api(
        client,
        person,
        "post",
        f"/api/checkins/{checkin.pk}/answer",
        {"usefulness": 5, "meeting_frequency": "weekly"},
    )
    assert response.status_code == 404
    # Not in the pair's space either, nor in the manager's pages.
    for url in (
        reverse("workspace:pair", args=[relationship.pk]),
        reverse("checkins:program", args=[relationship.program_id]),
        reverse("checkins:at_risk", args=[relationship.program_id]),
    ):
        assert SECRET not in client.get(url).content.decode()
    for url in (
        f"/api/checkins/programs/{relationship.program_id}/aggregates",
        f"/api/checkins/programs/{relationship.program_id}/at-risk",
    ):
        assert SECRET not in api(client, person, "get", url).content.decode()


def test_the_author_reads_their_answer_by_api(client, relationship, alice):
    checkin = _answered_checkin(relationship, alice)
    body = api(client, alice, "get", f"/api/checkins/{checkin.pk}").json()
    assert body["answer"] == {
        "usefulness": 1,
        "meeting_frequency": "rarely",
        "blockers": SECRET,
        "tell_program_manager": False,
    }


def test_api_answer_and_bad_input(client, relationship, alice):
    started(relationship)
    issue(datetime.date(2031, 1, 29))
    [checkin] = selectors.checkins_pending_for(person=alice)
    url = f"/api/checkins/{checkin.pk}/answer"
    assert api(client, alice, "get", "/api/checkins/pending").json()[0]["id"] == checkin.pk
    response = api(client, alice, "post", url, {"usefulness": 7, "meeting_frequency": "weekly"})
    assert response.status_code == 422 and response.json()["error"]["details"][0]["field"] == "usefulness"
    assert (
        api(client, alice, "post", url, {"usefulness": 3, "meeting_frequency": "hourly"}).status_code == 422
    )
    big = api(
        client, alice, "post", url, {"usefulness": 3, "meeting_frequency": "weekly", "blockers": "b" * 3000}
    )
    assert big.status_code == 422 and "under 2000 characters" in big.content.decode()
    ok = api(client, alice, "post", url, {"usefulness": 3, "meeting_frequency": "weekly"})
    assert ok.status_code == 200 and ok.json()["status"] == "answered"
    again = api(client, alice, "post", url, {"usefulness": 3, "meeting_frequency": "weekly"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_answered"


# ---- aggregates for managers -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["line manager", "another pair's mentee", "other organisation"])
def test_people_who_do_not_manage_the_program_see_no_aggregates(client, relationship, outsiders, role):
    person = outsiders[role]
    client.force_login(person.user)
    assert client.get(reverse("checkins:program", args=[relationship.program_id])).status_code == 404
    assert client.get(reverse("checkins:at_risk", args=[relationship.program_id])).status_code == 404
    for path in ("aggregates", "at-risk", "settings"):
        assert (
            api(client, person, "get", f"/api/checkins/programs/{relationship.program_id}/{path}").status_code
            == 404
        )


def test_the_org_admin_manages_every_program(client, relationship, olga):
    client.force_login(olga.user)
    assert client.get(reverse("checkins:program", args=[relationship.program_id])).status_code == 200


def test_managers_change_the_settings_on_the_page_and_by_api(client, relationship, pam):
    client.force_login(pam.user)
    url = reverse("checkins:program", args=[relationship.program_id])
    form = {"enabled": "on", "cadence_weeks": "2", "silent_after_weeks": "3", "overdue_after_days": "5"}
    response = client.post(url, form, follow=True)
    assert "Check-in settings saved" in response.content.decode()
    schedule = selectors.schedule_for(program=relationship.program)
    assert (schedule.cadence_weeks, schedule.midpoint_survey) == (2, False)
    assert client.post(url, {**form, "cadence_weeks": "40"}).status_code == 400
    api_url = f"/api/checkins/programs/{relationship.program_id}/settings"
    body = {**api(client, pam, "get", api_url).json(), "cadence_weeks": 6}
    assert api(client, pam, "put", api_url, body).json()["cadence_weeks"] == 6
    assert api(client, pam, "put", api_url, {**body, "overdue_after_days": 0}).status_code == 422


# ---- at-risk pairs and KPIs --------------------------------------------------------------------


def test_at_risk_pairs_with_reason_categories(
    client, relationship, other_relationship, alice, bob, dora, pam
):
    started(relationship, other_relationship)
    now = datetime.datetime(2031, 2, 20, 12, tzinfo=datetime.UTC)
    issue(datetime.date(2031, 1, 29))
    answer(alice, 2, blockers=SECRET, tell_program_manager=True)
    answer(bob, 5)
    # Mo and Dora met last week; Alice and Bob never did. Dora has not answered (due 22 days ago).
    Meeting.objects.create(
        relationship=other_relationship, starts_at=now - datetime.timedelta(days=7), duration_minutes=60
    )
    pairs = {
        item.relationship.pk: item.reasons
        for item in selectors.at_risk_pairs(program=relationship.program, now=now)
    }
    assert pairs == {
        relationship.pk: ["help_requested", "silent"],
        other_relationship.pk: ["overdue_checkin"],
    }
    assert selectors.at_risk_count(program=relationship.program, now=now) == 2
    with freeze_time(now):
        client.force_login(pam.user)
        text = client.get(reverse("checkins:at_risk", args=[relationship.program_id])).content.decode()
        body = api(client, pam, "get", f"/api/checkins/programs/{relationship.program_id}/at-risk").json()
    assert "Alice Archer" in text and "Check-in overdue" in text and SECRET not in text
    assert {item["relationship_id"] for item in body} == {relationship.pk, other_relationship.pk}


def test_a_recovered_pair_is_no_longer_flagged(relationship, alice):
    started(relationship)
    issue(datetime.date(2031, 1, 29))
    answer(alice, 1, tell_program_manager=True)
    issue(datetime.date(2031, 2, 26))
    answer(alice, 4)
    now = datetime.datetime(2031, 2, 27, tzinfo=datetime.UTC)
    Meeting.objects.create(
        relationship=relationship, starts_at=now - datetime.timedelta(days=3), duration_minutes=30
    )
    reasons = [item.reasons for item in selectors.at_risk_pairs(program=relationship.program, now=now)]
    assert all("help_requested" not in r for r in reasons)


def test_published_figures_hold_at_least_the_minimum_number_of_answers(relationship):
    with pytest.raises(IntegrityError):
        CheckinPeriodFigures.objects.create(
            program=relationship.program,
            starts_on=datetime.date(2031, 1, 1),
            ends_on=datetime.date(2031, 2, 1),
            answers=MIN_AGGREGATE_GROUP - 1,
            usefulness_mean=3.0,
        )


def test_pending_checkins_show_in_the_pair_space(client, relationship, alice):
    started(relationship)
    issue(timezone.localdate())
    client.force_login(alice.user)
    text = client.get(reverse("workspace:pair", args=[relationship.pk])).content.decode()
    assert 'id="checkins"' in text


def test_a_no_fault_exit_lapses_the_pairs_open_checkins(relationship, alice):
    started(relationship)
    issue(datetime.date(2031, 1, 29))
    assert selectors.checkins_pending_for(person=alice)
    relationship_end_no_fault(relationship=relationship, person=alice)
    assert not selectors.checkins_pending_for(person=alice)
    assert Checkin.objects.filter(relationship=relationship, status=CheckinStatus.MISSED).count() == 2
