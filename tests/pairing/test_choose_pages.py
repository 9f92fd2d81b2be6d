"""Mentee choice pages: the shortlist, mentor profiles, requests, the mentor's answers; permissions
from every side and bad input."""

import pytest
from django.urls import reverse

from mentora.pairing import choose_selectors as selectors
from mentora.pairing import choose_services as services
from mentora.pairing.models import ShortlistExposure
from mentora.programs.models import MatchingMode
from mentora.programs.services import mentor_availability_set
from mentora.relationships.models import Relationship, RelationshipStatus
from tests.pairing.choose_setup import (
    PRIVATE_WORDS,
    SECRET_REFLECTION,
    choose_program,
    cohort,
    enrol_mentee,
    enrol_mentor,
    lock,
)


@pytest.fixture(autouse=True)
def fresh_cache():
    selectors.shortlister_cache_clear()
    yield
    selectors.shortlister_cache_clear()


@pytest.fixture
def c(org, alice, pam):
    return cohort(org, alice, pam)


def shortlist_url(c):
    return reverse("pairing:choose_shortlist", args=[c.program.pk])


def mentor_url(c, mentor):
    return reverse("pairing:choose_mentor", args=[c.program.pk, mentor.pk])


def request_url(c, mentor):
    return reverse("pairing:choose_request", args=[c.program.pk, mentor.pk])


def assert_nothing_private(text: str):
    for word in PRIVATE_WORDS:
        assert word not in text


# ---- the mentee's shortlist ------------------------------------------------------------------


def test_a_mentee_sees_a_ranked_shortlist_with_reasons_and_profile_links(client, c):
    client.force_login(c.alice.user)
    response = client.get(shortlist_url(c))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Choose your mentor" in text
    assert text.index("Mo Mentor") < text.index("Mia Mentor")
    assert "Why this mentor" in text and "Python" in text
    assert mentor_url(c, c.mo) in text
    assert "Max Paused" not in text and "Lou Lead" not in text
    assert_nothing_private(text)


def test_showing_the_shortlist_records_who_was_shown(client, c):
    client.force_login(c.alice.user)
    client.get(shortlist_url(c))
    client.get(shortlist_url(c))
    assert dict(ShortlistExposure.objects.filter(mentee=c.alice).values_list("mentor_id", "times_shown")) == {
        c.mo.pk: 2,
        c.mia.pk: 2,
    }


def test_an_empty_shortlist_shows_the_engines_reasons(client, c):
    for mentor in (c.mo, c.mia):
        c.program.enrolments.filter(person=mentor).update(paused_until="2099-01-01")
    client.force_login(c.alice.user)
    text = client.get(shortlist_url(c)).content.decode()
    assert "No mentor to choose from yet" in text
    assert "The only mentor with a free place does not fit every matching rule" in text
    assert "1 is in the same reporting line" in text
    assert_nothing_private(text)


def test_programs_where_managers_propose_say_so(client, c):
    c.program.matching_mode = MatchingMode.ALGORITHMIC_REVIEW
    c.program.save()
    client.force_login(c.alice.user)
    text = client.get(shortlist_url(c)).content.decode()
    assert "mentors are proposed by the program's managers" in text
    assert "Mo Mentor" not in text


def test_the_mentor_choice_page_lists_my_programs(client, c):
    client.force_login(c.alice.user)
    text = client.get(reverse("pairing:choose_home")).content.decode()
    assert shortlist_url(c) in text and c.program.name in text
    client.force_login(c.mo.user)
    text = client.get(reverse("pairing:choose_home")).content.decode()
    assert reverse("pairing:choose_requests", args=[c.program.pk]) in text


def test_nobody_but_the_mentee_sees_their_shortlist(client, c, bob, charlie):
    """There is no "someone else's shortlist" URL: each person sees their own, or a 404."""
    for outsider in (bob, charlie, c.pam, c.mo):
        client.force_login(outsider.user)
        assert client.get(shortlist_url(c)).status_code == 404


def test_a_pending_application_sees_no_shortlist(client, c, bob):
    enrolment = enrol_mentee(c.program, person=bob, skill=c.skill)
    c.program.enrolments.filter(person=bob).update(status="applied")
    assert enrolment
    client.force_login(bob.user)
    assert client.get(shortlist_url(c)).status_code == 404


# ---- mentor profiles -------------------------------------------------------------------------


def test_a_mentor_profile_shows_public_fields_only(client, c):
    client.force_login(c.alice.user)
    text = client.get(mentor_url(c, c.mo)).content.decode()
    for public in (
        "Mo Mentor",
        "Staff engineer",
        "Sales",
        "Leeds",
        "Python",
        "level 5 of 5",
        "Europe/London",
    ):
        assert public in text
    assert "Help new engineers find their feet." in text
    assert "2 places free" in text
    assert c.mo.email not in text
    assert_nothing_private(text)


def test_a_manager_reads_mentor_profiles_but_never_private_fields(client, c):
    client.force_login(c.pam.user)
    response = client.get(mentor_url(c, c.mo))
    assert response.status_code == 200
    assert_nothing_private(response.content.decode())
    assert "Send my request" not in response.content.decode()


def test_profiles_are_only_for_mentors_of_the_program(client, c, org, bob, charlie):
    client.force_login(c.alice.user)
    assert client.get(mentor_url(c, bob)).status_code == 404
    other = choose_program(org, name="Program Q")
    quinn = enrol_mentor(other, name="Quinn", skill=c.skill)
    assert client.get(mentor_url(c, quinn)).status_code == 404
    client.force_login(charlie.user)
    assert client.get(mentor_url(c, c.mo)).status_code == 404
    client.force_login(bob.user)  # same organisation, not in the program
    assert client.get(mentor_url(c, c.mo)).status_code == 404


# ---- requesting ------------------------------------------------------------------------------


def test_a_mentee_requests_a_mentor_with_a_note(client, c):
    client.force_login(c.alice.user)
    response = client.post(request_url(c, c.mo), {"note": "I would love help with testing."}, follow=True)
    text = response.content.decode()
    assert "Your request was sent to Mo Mentor" in text
    assert "We are waiting for their answer" in text
    assert "Withdraw my request" in text
    request = Relationship.objects.get(mentee=c.alice)
    assert request.mentor == c.mo and request.note == "I would love help with testing."


def test_a_note_over_500_characters_is_refused_on_the_page(client, c):
    client.force_login(c.alice.user)
    response = client.post(request_url(c, c.mo), {"note": "x" * 501})
    assert response.status_code == 400
    assert "at most 500 characters" in response.content.decode()
    assert not Relationship.objects.exists()


def test_requesting_a_full_mentor_says_so(client, c, bob):
    mentor_availability_set(enrolment=c.program.enrolments.get(person=c.mo), capacity=1, paused_until=None)
    enrol_mentee(c.program, person=bob, skill=c.skill)
    services.mentor_request_create(program=c.program, mentee=bob, mentor=c.mo)
    client.force_login(c.alice.user)
    response = client.post(request_url(c, c.mo), {"note": ""})
    assert response.status_code == 400
    assert "This mentor is full" in response.content.decode()


def test_requesting_a_paused_or_ineligible_mentor_says_so(client, c):
    client.force_login(c.alice.user)
    assert "not taking new mentees until" in client.post(request_url(c, c.max)).content.decode()
    assert "cannot be chosen by you" in client.post(request_url(c, c.lou)).content.decode()
    assert not Relationship.objects.exists()


def test_requesting_twice_is_refused(client, c):
    client.force_login(c.alice.user)
    client.post(request_url(c, c.mo))
    response = client.post(request_url(c, c.mia))
    assert response.status_code == 400
    assert "You already have a mentor, or a request waiting" in response.content.decode()
    assert Relationship.objects.count() == 1


def test_a_mentee_of_program_p_cannot_request_a_mentor_of_q(client, c, org):
    other = choose_program(org, name="Program Q")
    quinn = enrol_mentor(other, name="Quinn", skill=c.skill)
    client.force_login(c.alice.user)
    assert client.post(request_url(c, quinn)).status_code == 404
    assert client.post(reverse("pairing:choose_request", args=[other.pk, quinn.pk])).status_code == 404
    assert not Relationship.objects.exists()


def test_only_mentees_may_request(client, c):
    client.force_login(c.pam.user)
    assert client.post(request_url(c, c.mo)).status_code == 404
    client.force_login(c.mia.user)
    assert client.post(request_url(c, c.mo)).status_code == 404


def test_the_mentee_withdraws_a_request(client, c):
    request = services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo)
    client.force_login(c.mo.user)  # only the mentee who asked may withdraw
    assert client.post(reverse("pairing:choose_withdraw", args=[request.pk])).status_code == 404
    client.force_login(c.alice.user)
    response = client.post(reverse("pairing:choose_withdraw", args=[request.pk]), follow=True)
    assert "Your request is withdrawn" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RelationshipStatus.DECLINED


# ---- the mentor's side -----------------------------------------------------------------------


@pytest.fixture
def request_to_mo(c):
    return services.mentor_request_create(
        program=c.program, mentee=c.alice, mentor=c.mo, note="Could you help me with code review?"
    )


def test_the_mentor_sees_requests_with_the_note_and_accepts(client, c, request_to_mo):
    client.force_login(c.mo.user)
    text = client.get(reverse("pairing:choose_requests", args=[c.program.pk])).content.decode()
    assert "Alice Archer" in text and "Could you help me with code review?" in text
    assert_nothing_private(text)
    response = client.post(reverse("pairing:choose_accept", args=[request_to_mo.pk]), follow=True)
    assert "your relationship has started" in response.content.decode()
    request_to_mo.refresh_from_db()
    assert request_to_mo.status == RelationshipStatus.ACTIVE


def test_the_mentor_declines_and_the_mentee_is_back_in_the_pool(client, c, request_to_mo):
    client.force_login(c.mo.user)
    response = client.post(reverse("pairing:choose_decline", args=[request_to_mo.pk]), follow=True)
    assert "they can choose another mentor" in response.content.decode()
    client.force_login(c.alice.user)
    text = client.get(shortlist_url(c)).content.decode()
    assert "Mia Mentor" in text and "Mo Mentor" not in text


def test_a_mentor_cannot_answer_a_request_addressed_to_another_mentor(client, c, request_to_mo):
    client.force_login(c.mia.user)
    for name in ("pairing:choose_accept", "pairing:choose_decline"):
        assert client.post(reverse(name, args=[request_to_mo.pk])).status_code == 404
    client.force_login(c.alice.user)  # the mentee cannot accept on the mentor's behalf
    assert client.post(reverse("pairing:choose_accept", args=[request_to_mo.pk])).status_code == 404
    request_to_mo.refresh_from_db()
    assert request_to_mo.status == RelationshipStatus.PENDING_CONSENT


def test_only_mentors_of_the_program_see_its_requests_page(client, c, bob, charlie):
    for outsider in (c.alice, bob, charlie, c.pam):
        client.force_login(outsider.user)
        assert client.get(reverse("pairing:choose_requests", args=[c.program.pk])).status_code == 404


def test_a_mentor_pauses_and_leaves_shortlists(client, c):
    client.force_login(c.mo.user)
    response = client.post(
        reverse("pairing:choose_availability", args=[c.program.pk]),
        {"capacity": 3, "paused_until": "2098-06-01"},
        follow=True,
    )
    assert "Your availability is saved." in response.content.decode()
    assert "You are not taking new mentees until" in response.content.decode()
    client.force_login(c.alice.user)
    assert "Mo Mentor" not in client.get(shortlist_url(c)).content.decode()


def test_bad_availability_is_refused_with_a_message(client, c):
    client.force_login(c.mo.user)
    url = reverse("pairing:choose_availability", args=[c.program.pk])
    response = client.post(url, {"capacity": 0})
    assert response.status_code == 400
    assert "Capacity must be between 1 and 20" in response.content.decode()
    response = client.post(url, {"capacity": 2, "paused_until": "2001-01-01"})
    assert response.status_code == 400
    assert "Pick a date after today" in response.content.decode()


def test_the_shortlist_page_needs_a_bounded_number_of_queries(client, c, django_assert_max_num_queries):
    client.force_login(c.alice.user)
    client.get(shortlist_url(c))  # compile once
    with django_assert_max_num_queries(30):
        client.get(shortlist_url(c))


def test_private_self_assessment_text_stays_on_its_owners_pages(client, c):
    client.force_login(c.alice.user)
    assert SECRET_REFLECTION not in client.get(shortlist_url(c)).content.decode()


def test_a_mentee_the_manager_matched_is_told_so_instead_of_choosing(client, c):
    lock(c)
    client.force_login(c.alice.user)
    text = client.get(shortlist_url(c)).content.decode()
    assert "The program manager has matched you with a mentor" in text
    assert mentor_url(c, c.mo) not in text and "Mia Mentor" not in text  # the lock is not revealed
    profile = client.get(mentor_url(c, c.mo)).content.decode()
    assert "Send my request" not in profile and "The program manager has matched you" in profile
    refused = client.post(request_url(c, c.mo), {"note": ""}).content.decode()
    assert "The program manager has matched you with a mentor" in refused
    assert not Relationship.objects.exists()
