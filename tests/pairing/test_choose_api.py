"""Mentee choice API: same services as the pages, one error shape, 404 outside the caller's reach."""

import pytest

from mentora.pairing import choose_selectors as selectors
from mentora.pairing import choose_services as services
from mentora.programs.models import MatchingMode
from mentora.programs.services import mentor_availability_set
from mentora.relationships.models import Relationship, RelationshipStatus
from tests.factories import api_headers
from tests.pairing.choose_setup import PRIVATE_WORDS, choose_program, cohort, enrol_mentee, enrol_mentor, lock

MENTOR_FIELDS = {
    "id",
    "full_name",
    "job_title",
    "department",
    "location",
    "time_zone",
    "meeting_mode",
    "languages",
    "offered_skills",
    "goals",
    "capacity",
    "free_places",
    "paused_until",
}


@pytest.fixture(autouse=True)
def fresh_cache():
    selectors.shortlister_cache_clear()
    yield
    selectors.shortlister_cache_clear()


@pytest.fixture
def c(org, alice, pam):
    return cohort(org, alice, pam)


def api(client, person, method, url, body=None):
    return getattr(client, method)(
        "/api/choose" + url, body, content_type="application/json", headers=api_headers(person)
    )


def assert_error(response, status: int, code: str):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def assert_nothing_private(response):
    for word in PRIVATE_WORDS:
        assert word not in response.content.decode()


# ---- mentee side -----------------------------------------------------------------------------


def test_my_shortlist(client, c):
    response = api(client, c.alice, "get", f"/programs/{c.program.pk}/shortlist?k=3")
    assert response.status_code == 200
    body = response.json()
    assert [entry["mentor"]["full_name"] for entry in body["entries"]] == ["Mo Mentor", "Mia Mentor"]
    first = body["entries"][0]
    assert first["rank"] == 1 and 0 < first["score"] <= 1 and first["reasons"]
    assert set(first["mentor"]) == MENTOR_FIELDS
    assert first["mentor"]["offered_skills"] == [{"skill": "Python", "level": 5}]
    assert body["empty_reasons"] == [] and body["open_request"] is None
    assert_nothing_private(response)


def test_an_empty_shortlist_comes_with_reasons(client, c):
    for mentor in (c.mo, c.mia):
        c.program.enrolments.filter(person=mentor).update(paused_until="2099-01-01")
    body = api(client, c.alice, "get", f"/programs/{c.program.pk}/shortlist").json()
    assert body["entries"] == [] and body["empty_reasons"]


def test_with_an_open_request_the_shortlist_shows_it_instead(client, c):
    request = services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo)
    body = api(client, c.alice, "get", f"/programs/{c.program.pk}/shortlist").json()
    assert body["entries"] == [] and body["open_request"]["id"] == request.pk


def test_shortlist_bad_input(client, c):
    assert_error(api(client, c.alice, "get", f"/programs/{c.program.pk}/shortlist?k=0"), 422, "invalid_input")
    assert_error(
        api(client, c.alice, "get", f"/programs/{c.program.pk}/shortlist?k=500"), 422, "invalid_input"
    )
    c.program.matching_mode = MatchingMode.ALGORITHMIC_REVIEW
    c.program.save()
    assert_error(api(client, c.alice, "get", f"/programs/{c.program.pk}/shortlist"), 422, "not_choose_mode")


def test_only_the_mentee_gets_their_shortlist(client, c, bob, charlie):
    for outsider in (bob, charlie, c.pam, c.mo):
        assert_error(api(client, outsider, "get", f"/programs/{c.program.pk}/shortlist"), 404, "not_found")


def test_a_mentor_public_profile(client, c):
    response = api(client, c.alice, "get", f"/programs/{c.program.pk}/mentors/{c.mo.pk}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == MENTOR_FIELDS
    assert body["job_title"] == "Staff engineer" and body["free_places"] == 2
    assert_nothing_private(response)


def test_a_manager_reads_a_mentor_profile_without_private_fields(client, c):
    response = api(client, c.pam, "get", f"/programs/{c.program.pk}/mentors/{c.mo.pk}")
    assert response.status_code == 200 and set(response.json()) == MENTOR_FIELDS
    assert_nothing_private(response)


def test_mentor_profiles_out_of_reach_are_404(client, c, org, bob, charlie):
    other = choose_program(org, name="Program Q")
    quinn = enrol_mentor(other, name="Quinn", skill=c.skill)
    assert_error(
        api(client, c.alice, "get", f"/programs/{c.program.pk}/mentors/{quinn.pk}"), 404, "not_found"
    )
    assert_error(api(client, c.alice, "get", f"/programs/{c.program.pk}/mentors/{bob.pk}"), 404, "not_found")
    assert_error(api(client, c.alice, "get", f"/programs/{other.pk}/mentors/{quinn.pk}"), 404, "not_found")
    assert_error(api(client, charlie, "get", f"/programs/{c.program.pk}/mentors/{c.mo.pk}"), 404, "not_found")
    assert_error(api(client, bob, "get", f"/programs/{c.program.pk}/mentors/{c.mo.pk}"), 404, "not_found")


def test_requesting_a_mentor(client, c):
    response = api(
        client,
        c.alice,
        "post",
        f"/programs/{c.program.pk}/requests",
        {"mentor_id": c.mo.pk, "note": "Hello!"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mentor"]["id"] == c.mo.pk and body["mentee"]["id"] == c.alice.pk
    assert body["status"] == "pending_consent" and body["note"] == "Hello!"


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("max", 409, "mentor_paused"),
        ("lou", 422, "mentor_ineligible"),
        ("bob", 422, "not_a_mentor"),
    ],
)
def test_requests_to_mentors_who_cannot_be_chosen(client, c, bob, who, status, code):
    mentor = bob if who == "bob" else getattr(c, who)
    response = api(client, c.alice, "post", f"/programs/{c.program.pk}/requests", {"mentor_id": mentor.pk})
    assert_error(response, status, code)
    assert not Relationship.objects.exists()


def test_request_bad_input(client, c, charlie):
    url = f"/programs/{c.program.pk}/requests"
    error = assert_error(
        api(client, c.alice, "post", url, {"mentor_id": c.mo.pk, "note": "x" * 501}), 422, "invalid_input"
    )
    assert error["details"][0]["field"].endswith("note")
    assert_error(api(client, c.alice, "post", url, {"note": "no mentor"}), 422, "invalid_input")
    assert_error(api(client, c.alice, "post", url, {"mentor_id": charlie.pk}), 404, "not_found")
    assert not Relationship.objects.exists()


def test_requesting_twice_and_requesting_a_full_mentor_conflict(client, c, bob):
    url = f"/programs/{c.program.pk}/requests"
    api(client, c.alice, "post", url, {"mentor_id": c.mo.pk})
    assert_error(api(client, c.alice, "post", url, {"mentor_id": c.mia.pk}), 409, "mentee_taken")
    mentor_availability_set(enrolment=c.program.enrolments.get(person=c.mo), capacity=1, paused_until=None)
    enrol_mentee(c.program, person=bob, skill=c.skill)
    error = assert_error(api(client, bob, "post", url, {"mentor_id": c.mo.pk}), 409, "mentor_full")
    assert "This mentor is full" in error["message"]


def test_a_mentee_of_p_cannot_request_a_mentor_of_q(client, c, org):
    other = choose_program(org, name="Program Q")
    quinn = enrol_mentor(other, name="Quinn", skill=c.skill)
    response = api(client, c.alice, "post", f"/programs/{c.program.pk}/requests", {"mentor_id": quinn.pk})
    assert_error(response, 422, "not_a_mentor")
    response = api(client, c.alice, "post", f"/programs/{other.pk}/requests", {"mentor_id": quinn.pk})
    assert_error(response, 404, "not_found")


def test_withdrawing_my_request(client, c):
    request = services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo)
    assert_error(api(client, c.mo, "post", f"/requests/{request.pk}/withdraw"), 404, "not_found")
    response = api(client, c.alice, "post", f"/requests/{request.pk}/withdraw")
    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert_error(api(client, c.alice, "post", f"/requests/{request.pk}/withdraw"), 409, "not_pending")


# ---- mentor side -----------------------------------------------------------------------------


@pytest.fixture
def request_to_mo(c):
    return services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo, note="Hi Mo")


def test_a_mentor_lists_requests_waiting_for_them(client, c, request_to_mo):
    body = api(client, c.mo, "get", "/requests").json()
    assert [item["id"] for item in body] == [request_to_mo.pk]
    assert body[0]["note"] == "Hi Mo"
    assert api(client, c.mia, "get", "/requests").json() == []
    assert api(client, c.mo, "get", f"/requests?program_id={c.program.pk + 999}").json() == []


def test_a_mentor_accepts(client, c, request_to_mo):
    response = api(client, c.mo, "post", f"/requests/{request_to_mo.pk}/accept")
    assert response.status_code == 200 and response.json()["status"] == "active"
    assert_error(api(client, c.mo, "post", f"/requests/{request_to_mo.pk}/decline"), 409, "not_pending")


def test_a_mentor_declines(client, c, request_to_mo):
    response = api(client, c.mo, "post", f"/requests/{request_to_mo.pk}/decline")
    assert response.status_code == 200 and response.json()["status"] == "declined"
    body = api(client, c.alice, "get", f"/programs/{c.program.pk}/shortlist").json()
    assert [entry["mentor"]["full_name"] for entry in body["entries"]] == ["Mia Mentor"]


def test_nobody_else_answers_a_mentors_request(client, c, request_to_mo, charlie):
    for someone in (c.mia, c.alice, c.pam, charlie):
        for action in ("accept", "decline"):
            response = api(client, someone, "post", f"/requests/{request_to_mo.pk}/{action}")
            assert_error(response, 404, "not_found")
    request_to_mo.refresh_from_db()
    assert request_to_mo.status == RelationshipStatus.PENDING_CONSENT


def test_a_mentor_sets_capacity_and_pause(client, c):
    url = f"/programs/{c.program.pk}/availability"
    response = api(client, c.mo, "put", url, {"capacity": 4, "paused_until": "2098-01-01"})
    assert response.json() == {"capacity": 4, "paused_until": "2098-01-01"}
    body = api(client, c.alice, "get", f"/programs/{c.program.pk}/shortlist").json()
    assert "Mo Mentor" not in [entry["mentor"]["full_name"] for entry in body["entries"]]
    response = api(client, c.mo, "put", url, {"capacity": 4, "paused_until": None})
    assert response.json()["paused_until"] is None


def test_availability_bad_input_and_reach(client, c):
    url = f"/programs/{c.program.pk}/availability"
    assert_error(api(client, c.mo, "put", url, {"capacity": 0}), 422, "bad_number")
    assert_error(api(client, c.mo, "put", url, {"capacity": 2, "paused_until": "2001-01-01"}), 422, "in_past")
    assert_error(api(client, c.mo, "put", url, {"capacity": "lots"}), 422, "invalid_input")
    assert_error(
        api(client, c.alice, "put", url, {"capacity": 2}), 404, "not_found"
    )  # a mentee, not a mentor


def test_the_api_needs_a_token(client, c):
    response = client.get(f"/api/choose/programs/{c.program.pk}/shortlist")
    assert_error(response, 401, "unauthenticated")


def test_a_mentee_the_manager_matched_gets_no_shortlist_and_a_clear_refusal(client, c):
    lock(c)
    body = api(client, c.alice, "get", f"/programs/{c.program.pk}/shortlist").json()
    assert body["entries"] == [] and body["matched_by_manager"] is True
    assert body["empty_reasons"][0]["code"] == "matched_by_manager"
    assert "The program manager has matched you" in body["empty_reasons"][0]["text"]
    response = api(client, c.alice, "post", f"/programs/{c.program.pk}/requests", {"mentor_id": c.mo.pk})
    assert_error(response, 409, "mentee_locked")
    assert not Relationship.objects.exists()
