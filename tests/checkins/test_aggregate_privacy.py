"""Check-in figures cannot be differenced: a manager who reads, lets one person answer and reads
again learns nothing of that answer, on the page, the at-risk fragment or the API. Figures are
published per closed month once it holds enough answers, and stay frozen afterwards."""

import datetime
import re

import pytest
from django.urls import reverse
from freezegun import freeze_time

from mentora.checkins import selectors, services
from mentora.checkins.models import CheckinSchedule
from mentora.relationships.models import Relationship
from tests.factories import PersonFactory, api_headers
from tests.workspace.fixtures import active_relationship

START = datetime.datetime(2031, 1, 1, 9, tzinfo=datetime.UTC)
JANUARY = datetime.datetime(2031, 1, 30, 12, tzinfo=datetime.UTC)
FEBRUARY = datetime.datetime(2031, 2, 10, 12, tzinfo=datetime.UTC)
MARCH = datetime.datetime(2031, 3, 3, 12, tzinfo=datetime.UTC)
SECRET = "SECRET-BLOCKER: my mentor keeps cancelling"


@pytest.fixture
def pairs(program, relationship, other_relationship, org):
    """Six pairs of Program P started on 1 January; no pair counts as silent or overdue here, so
    that only answers could move the at-risk list."""
    more = [
        active_relationship(
            program,
            PersonFactory(organisation=org, full_name=f"Mentor {i}"),
            PersonFactory(organisation=org, full_name=f"Mentee {i}"),
        )
        for i in range(4)
    ]
    everyone = [relationship, other_relationship, *more]
    Relationship.objects.filter(pk__in=[r.pk for r in everyone]).update(started_at=START)
    CheckinSchedule.objects.create(program=program, silent_after_weeks=12, overdue_after_days=60)
    services.checkins_issue_due(today=datetime.date(2031, 1, 29))
    return everyone


def answer(person, usefulness=4, meeting_frequency="monthly", blockers="", **extra):
    checkin = selectors.checkins_pending_for(person=person)[0]
    return services.checkin_answer(
        checkin=checkin,
        person=person,
        usefulness=usefulness,
        meeting_frequency=meeting_frequency,
        blockers=blockers,
        **extra,
    )


def everyone_but(pairs, zed):
    for relationship in pairs:
        for person in (relationship.mentor, relationship.mentee):
            if person != zed:
                answer(person, usefulness=4 if person.pk % 2 else 5, meeting_frequency="monthly")


def manager_reads(client, pam, program) -> dict:
    """Everything a manager can read about check-in answers, minus the live answered counts."""
    client.force_login(pam.user)
    headers = api_headers(pam)
    page = client.get(reverse("checkins:program", args=[program.pk])).content.decode()
    aggregates = client.get(f"/api/checkins/programs/{program.pk}/aggregates", headers=headers).json()
    for live_count in ("issued", "answered", "response_rate"):
        aggregates.pop(live_count)
    return {
        "page": re.search(r'<section[^>]*aria-labelledby="results-heading".*?</section>', page, re.S).group(
            0
        ),
        "api": aggregates,
        "at_risk_api": client.get(f"/api/checkins/programs/{program.pk}/at-risk", headers=headers).json(),
        "at_risk_fragment": client.get(
            reverse("checkins:at_risk", args=[program.pk]), headers={"HX-Request": "true"}
        ).content.decode(),
    }


@pytest.mark.django_db
def test_read_one_answer_read_again_reveals_nothing(client, program, pairs, alice, pam):
    with freeze_time(JANUARY):
        everyone_but(pairs, alice)
    with freeze_time(FEBRUARY):
        before = manager_reads(client, pam, program)
        answer(alice, usefulness=1, meeting_frequency="rarely", blockers=SECRET)
        after = manager_reads(client, pam, program)
    assert after == before
    assert SECRET not in str(after)


def periods(client, pam, program) -> list[dict]:
    return client.get(f"/api/checkins/programs/{program.pk}/aggregates", headers=api_headers(pam)).json()[
        "periods"
    ]


@pytest.mark.django_db
def test_a_closed_month_with_enough_answers_is_published_then_frozen(client, program, pairs, alice, pam):
    with freeze_time(JANUARY):
        everyone_but(pairs, alice)
        assert periods(client, pam, program) == []  # the open month is never shown
    with freeze_time(FEBRUARY):
        january = periods(client, pam, program)
        answer(alice, usefulness=1, meeting_frequency="rarely", blockers=SECRET)  # late: counts in February
    assert [(p["starts_on"], p["ends_on"], p["answers"]) for p in january] == [
        ("2031-01-01", "2031-02-01", 11)
    ]
    with freeze_time(MARCH):
        # February holds one answer: it waits for more instead of being shown on its own.
        assert periods(client, pam, program) == january
        pairs[-1].delete()  # two January answers go with it; the published figures stay
        assert periods(client, pam, program) == january


@pytest.mark.django_db
def test_a_quiet_month_waits_and_is_published_with_the_next(client, program, pairs, alice, pam):
    with freeze_time(FEBRUARY):
        answer(alice, usefulness=1)
    services.checkins_issue_due(today=datetime.date(2031, 2, 26))
    with freeze_time(MARCH):
        for relationship in pairs[2:4]:
            answer(relationship.mentor, usefulness=3)
            answer(relationship.mentee, usefulness=3)
    with freeze_time(datetime.datetime(2031, 4, 2, tzinfo=datetime.UTC)):
        published = periods(client, pam, program)
    assert [(p["starts_on"], p["ends_on"], p["answers"]) for p in published] == [
        ("2031-02-01", "2031-04-01", 5)
    ]
    assert published[0]["usefulness_mean"] == pytest.approx(13 / 5)
    with freeze_time(datetime.datetime(2031, 4, 2, tzinfo=datetime.UTC)):
        client.force_login(pam.user)
        text = client.get(reverse("checkins:program", args=[program.pk])).content.decode()
    assert "February 2031 – March 2031" in text and "2.6" in text


@pytest.mark.django_db
def test_every_breakdown_hides_small_cells_and_enough_others(client, program, pairs, alice, bob, pam):
    with freeze_time(JANUARY):
        for n, relationship in enumerate(pairs):
            for person in (relationship.mentor, relationship.mentee):
                if person != alice:
                    weekly = person == bob or n < 2
                    answer(person, meeting_frequency="weekly" if weekly else "monthly")
    with freeze_time(FEBRUARY):
        (period,) = periods(client, pam, program)
    # Three "weekly" would be hidden; "monthly" then goes with them, or it would give them away.
    assert period["frequency"]["weekly"] is None and period["frequency"]["monthly"] is None
    assert period["frequency"]["rarely"] == 0
    assert period["by_side"]["mentor"]["answers"] == 6 and period["by_side"]["mentee"]["answers"] == 5
    assert period["by_kind"]["pulse"]["answers"] == 11 and period["by_kind"]["end"]["answers"] == 0
    assert period["with_blockers"] == 0


@pytest.mark.django_db
def test_one_blocked_answer_is_not_counted_on_its_own(client, program, pairs, alice, bob, pam):
    with freeze_time(JANUARY):
        everyone_but(pairs, alice)
    with freeze_time(FEBRUARY):
        (period,) = periods(client, pam, program)
    assert period["with_blockers"] == 0
    services.checkins_issue_due(today=datetime.date(2031, 2, 26))
    with freeze_time(datetime.datetime(2031, 2, 27, tzinfo=datetime.UTC)):
        answer(bob, blockers=SECRET)
        for relationship in pairs[2:4]:
            answer(relationship.mentor)
            answer(relationship.mentee)
    with freeze_time(MARCH):
        latest = periods(client, pam, program)[0]
    assert latest["answers"] == 5 and latest["with_blockers"] is None


@pytest.mark.django_db
def test_a_pair_is_at_risk_from_an_answer_only_when_its_respondent_asked_for_help(
    client, program, pairs, relationship, alice, bob, pam
):
    with freeze_time(FEBRUARY):
        answer(bob, usefulness=1)  # low, but not a request: nothing shows
        assert selectors.at_risk_pairs(program=program) == []
        answer(alice, usefulness=3, tell_program_manager=True)
        (flagged,) = selectors.at_risk_pairs(program=program)
        client.force_login(pam.user)
        text = client.get(reverse("checkins:at_risk", args=[program.pk])).content.decode()
        body = client.get(f"/api/checkins/programs/{program.pk}/at-risk", headers=api_headers(pam)).json()
    assert flagged.relationship == relationship and flagged.reasons == ["help_requested"]
    assert "Asked the program manager for help" in text and "Alice Archer" in text
    assert body == [
        {
            "relationship_id": relationship.pk,
            "mentor": {"id": bob.pk, "full_name": "Bob Baker"},
            "mentee": {"id": alice.pk, "full_name": "Alice Archer"},
            "reasons": ["help_requested"],
            "last_met_at": None,
        }
    ]
    # Her next answer without the request clears it.
    services.checkins_issue_due(today=datetime.date(2031, 2, 26))
    with freeze_time(MARCH):
        answer(alice, usefulness=2)
        assert selectors.at_risk_pairs(program=program) == []


@pytest.mark.django_db
def test_the_help_request_is_offered_on_the_form_and_by_api(client, program, pairs, alice):
    checkin = selectors.checkins_pending_for(person=alice)[0]
    client.force_login(alice.user)
    url = reverse("checkins:answer", args=[checkin.pk])
    form = client.get(url).content.decode()
    assert "Tell the program manager that our pair would like help" in form
    assert "They still never see your answers" in form
    response = client.post(
        url, {"usefulness": "4", "meeting_frequency": "weekly", "tell_program_manager": "on"}
    )
    assert response.status_code == 302
    assert "they see that your pair would like help" in client.get(url).content.decode()
    mo = pairs[1].mentor
    checkin = selectors.checkins_pending_for(person=mo)[0]
    api_url = f"/api/checkins/{checkin.pk}/answer"
    headers = api_headers(mo)
    bad = {"usefulness": 4, "meeting_frequency": "weekly", "tell_program_manager": "perhaps"}
    assert client.post(api_url, bad, content_type="application/json", headers=headers).status_code == 422
    ok = client.post(
        api_url, {**bad, "tell_program_manager": True}, content_type="application/json", headers=headers
    )
    assert ok.status_code == 200 and ok.json()["answer"]["tell_program_manager"] is True
