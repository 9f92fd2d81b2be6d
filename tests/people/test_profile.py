"""A participant's own profile, private self-assessment and demographics: pages, API, bad input."""

import pytest
from django.urls import reverse

from mentora.people.models import DemographicProfile, OfferedSkill, SelfAssessment, WantedSkill
from tests.factories import (
    DemographicProfileFactory,
    DepartmentFactory,
    LanguageFactory,
    OfferedSkillFactory,
    PersonFactory,
    api_headers,
)


@pytest.fixture
def english(db):
    return LanguageFactory(code="en", name="English")


def profile_data(**overrides) -> dict:
    data = {
        "job_title": "Data analyst",
        "department": "",
        "manager": "",
        "seniority": "3",
        "location": "Leeds",
        "time_zone": "Europe/London",
        "availability_hours_per_month": "4",
        "meeting_mode": "video",
        "goals": "Lead a small team",
        "purpose": "Head of analytics in two years",
        "offered-TOTAL_FORMS": "2",
        "offered-INITIAL_FORMS": "0",
        "offered-MIN_NUM_FORMS": "0",
        "offered-MAX_NUM_FORMS": "50",
        "offered-0-skill": "",
        "offered-0-level": "",
        "offered-1-skill": "",
        "offered-1-level": "",
        "wanted-TOTAL_FORMS": "1",
        "wanted-INITIAL_FORMS": "0",
        "wanted-MIN_NUM_FORMS": "0",
        "wanted-MAX_NUM_FORMS": "50",
        "wanted-0-skill": "",
        "wanted-0-priority": "2",
    }
    data.update(overrides)
    return data


def post_profile(client, person, **overrides):
    client.force_login(person.user)
    return client.post(reverse("people:profile_edit"), profile_data(**overrides))


# ---- the page -----------------------------------------------------------------------------------


def test_alice_edits_her_profile_with_skills_and_languages(
    client, alice, lou, python_skill, public_speaking, english
):
    department = DepartmentFactory(organisation=alice.organisation, name="Analytics")
    response = post_profile(
        client,
        alice,
        department=str(department.pk),
        manager=lou.email,
        languages=[str(english.pk)],
        **{
            "offered-0-skill": str(python_skill.pk),
            "offered-0-level": "4",
            "wanted-0-skill": str(public_speaking.pk),
            "wanted-0-priority": "1",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.job_title, alice.department, alice.manager, alice.time_zone) == (
        "Data analyst",
        department,
        lou,
        "Europe/London",
    )
    assert list(alice.languages.all()) == [english]
    assert [(o.skill, o.level) for o in alice.offered_skills.all()] == [(python_skill, 4)]
    assert [(w.skill, w.priority) for w in alice.wanted_skills.all()] == [(public_speaking, 1)]


def test_the_edit_page_shows_existing_skills_and_keeps_unchanged_rows(client, alice, python_skill):
    OfferedSkillFactory(person=alice, skill=python_skill, level=3)
    client.force_login(alice.user)
    body = client.get(reverse("people:profile_edit")).content.decode()
    assert "Python" in body and 'name="offered-0-skill"' in body
    response = post_profile(
        client,
        alice,
        **{
            "offered-TOTAL_FORMS": "3",
            "offered-INITIAL_FORMS": "1",
            "offered-0-skill": str(python_skill.pk),
            "offered-0-level": "3",
            "offered-2-skill": "",
            "offered-2-level": "",
        },
    )
    assert response.status_code == 302
    assert OfferedSkill.objects.get(person=alice).level == 3


def test_a_skill_row_can_be_removed(client, alice, python_skill):
    OfferedSkillFactory(person=alice, skill=python_skill, level=3)
    response = post_profile(
        client,
        alice,
        **{
            "offered-INITIAL_FORMS": "1",
            "offered-0-skill": str(python_skill.pk),
            "offered-0-level": "3",
            "offered-0-DELETE": "on",
        },
    )
    assert response.status_code == 302
    assert not OfferedSkill.objects.filter(person=alice).exists()


def test_my_profile_page_and_home_link_to_the_private_pages(client, alice):
    client.force_login(alice.user)
    body = client.get(reverse("people:me")).content.decode()
    assert reverse("people:self_assessment") in body and reverse("people:profile_edit") in body


# ---- bad input on the page ----------------------------------------------------------------------


def test_an_unknown_time_zone_is_refused(client, alice):
    response = post_profile(client, alice, time_zone="Mars/Olympus_Mons")
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/London"


def test_a_skill_level_out_of_range_is_refused(client, alice, python_skill):
    response = post_profile(
        client, alice, **{"offered-0-skill": str(python_skill.pk), "offered-0-level": "9"}
    )
    assert response.status_code == 200
    assert response.context["offered"].errors[0]["level"]
    assert not OfferedSkill.objects.exists()


def test_a_duplicate_skill_row_is_refused(client, alice, python_skill):
    response = post_profile(
        client,
        alice,
        **{
            "offered-0-skill": str(python_skill.pk),
            "offered-0-level": "2",
            "offered-1-skill": str(python_skill.pk),
            "offered-1-level": "5",
        },
    )
    assert response.status_code == 200
    assert "only once" in str(response.context["offered"].non_form_errors())
    assert not OfferedSkill.objects.exists()


def test_a_skill_of_another_organisation_is_refused(client, alice, globex_skill):
    response = post_profile(
        client, alice, **{"wanted-0-skill": str(globex_skill.pk), "wanted-0-priority": "1"}
    )
    assert response.status_code == 200
    assert response.context["wanted"].errors[0]["skill"]
    assert not WantedSkill.objects.exists()


def test_a_manager_from_another_organisation_is_refused(client, alice, charlie):
    response = post_profile(client, alice, manager=charlie.email)
    assert response.status_code == 200
    assert "manager" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.manager is None


def test_a_department_from_another_organisation_is_refused(client, alice, other_org):
    department = DepartmentFactory(organisation=other_org)
    response = post_profile(client, alice, department=str(department.pk))
    assert "department" in response.context["form"].errors


def test_a_manager_cycle_is_refused(client, alice, lou, leo):
    # Leo manages Lou who manages Alice: Leo may not report to Alice.
    response = post_profile(client, leo, manager=alice.employee_id)
    assert response.status_code == 200
    assert "loop" in str(response.context["form"].errors["manager"])
    leo.refresh_from_db()
    assert leo.manager is None


def test_text_beyond_max_length_is_refused(client, alice):
    response = post_profile(client, alice, goals="x" * 4001, job_title="y" * 201)
    assert response.status_code == 200
    assert {"goals", "job_title"} <= set(response.context["form"].errors)
    alice.refresh_from_db()
    assert alice.goals == ""


def test_seniority_and_availability_out_of_range_are_refused(client, alice):
    response = post_profile(client, alice, seniority="11", availability_hours_per_month="500")
    assert {"seniority", "availability_hours_per_month"} <= set(response.context["form"].errors)


# ---- the same rules through the API -------------------------------------------------------------


def put_profile(client, person, **body):
    return client.put(
        "/api/people/me/profile", body, content_type="application/json", headers=api_headers(person)
    )


def error_fields(response) -> set[str]:
    return {detail["field"] for detail in response.json()["error"]["details"]}


def test_the_api_replaces_my_profile(client, alice, python_skill, public_speaking, english):
    response = put_profile(
        client,
        alice,
        job_title="Analyst",
        time_zone="America/Sao_Paulo",
        languages=["en"],
        offered_skills=[{"skill_id": python_skill.pk, "level": 5}],
        wanted_skills=[{"skill_id": public_speaking.pk, "priority": 1}],
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["job_title"] == "Analyst" and body["languages"] == ["en"]
    assert body["offered_skills"] == [{"skill_id": python_skill.pk, "skill": "Python", "level": 5}]
    assert body["team"]["time_zone"] == "America/Sao_Paulo"
    assert client.get("/api/people/me/profile", headers=api_headers(alice)).json() == body


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "invalid_input", "time_zone"),
        ({"languages": ["tlh"]}, "bad_choice", "languages"),
        ({"meeting_mode": "telepathy"}, "invalid_input", "body.payload.meeting_mode"),
        ({"seniority": 0}, "invalid_input", "body.payload.seniority"),
        ({"goals": "x" * 4001}, "invalid_input", "body.payload.goals"),
        ({"manager_id": 999999}, "invalid_input", "manager_id"),
        ({"department_id": 999999}, "invalid_input", "department_id"),
    ],
)
def test_the_api_refuses_bad_profile_input(client, alice, body, code, field):
    response = put_profile(client, alice, **body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field), error


def test_the_api_refuses_bad_skill_rows(client, alice, python_skill, globex_skill):
    level = put_profile(client, alice, offered_skills=[{"skill_id": python_skill.pk, "level": 6}])
    assert level.status_code == 422
    twice = put_profile(
        client,
        alice,
        offered_skills=[{"skill_id": python_skill.pk, "level": 2}, {"skill_id": python_skill.pk, "level": 3}],
    )
    assert twice.status_code == 422 and "offered_skills" in error_fields(twice)
    foreign = put_profile(client, alice, wanted_skills=[{"skill_id": globex_skill.pk, "priority": 1}])
    assert foreign.status_code == 422 and "wanted_skills" in error_fields(foreign)
    assert not OfferedSkill.objects.exists() and not WantedSkill.objects.exists()


def test_the_api_refuses_a_manager_cycle(client, alice, lou):
    response = put_profile(client, lou, manager_id=alice.pk)
    assert response.status_code == 422
    assert "manager_id" in error_fields(response)
    assert put_profile(client, alice, manager_id=alice.pk).status_code == 422


def test_a_long_reporting_line_is_checked_for_cycles(client, org):
    people = [PersonFactory(organisation=org)]
    for _ in range(6):
        people.append(PersonFactory(organisation=org, manager=people[-1]))
    assert put_profile(client, people[0], manager_id=people[-1].pk).status_code == 422
    assert put_profile(client, people[-1], manager_id=people[0].pk).status_code == 200


# ---- private self-assessment --------------------------------------------------------------------


def ratings_data(**overrides) -> dict:
    data = {
        "reflection": "I avoid conflict.",
        "ratings-TOTAL_FORMS": "1",
        "ratings-INITIAL_FORMS": "0",
        "ratings-MIN_NUM_FORMS": "0",
        "ratings-MAX_NUM_FORMS": "50",
        "ratings-0-skill": "",
        "ratings-0-level": "",
    }
    data.update(overrides)
    return data


def test_the_self_assessment_page_says_who_sees_it(client, alice):
    client.force_login(alice.user)
    body = client.get(reverse("people:self_assessment")).content.decode()
    assert "Only you and the matching algorithm see this." in body


def test_alice_saves_her_private_self_assessment(client, alice, public_speaking):
    client.force_login(alice.user)
    response = client.post(
        reverse("people:self_assessment"),
        ratings_data(**{"ratings-0-skill": str(public_speaking.pk), "ratings-0-level": "0"}),
    )
    assert response.status_code == 302
    assessment = SelfAssessment.objects.get(person=alice)
    assert assessment.reflection == "I avoid conflict."
    assert [(r.skill, r.level) for r in assessment.ratings.all()] == [(public_speaking, 0)]


def test_a_self_assessment_beyond_max_length_or_range_is_refused(client, alice, public_speaking):
    client.force_login(alice.user)
    response = client.post(
        reverse("people:self_assessment"),
        ratings_data(
            reflection="x" * 4001, **{"ratings-0-skill": str(public_speaking.pk), "ratings-0-level": "6"}
        ),
    )
    assert response.status_code == 200
    assert "reflection" in response.context["form"].errors
    assert not SelfAssessment.objects.exists()


def test_the_self_assessment_api(client, alice, public_speaking):
    headers = api_headers(alice)
    body = {"reflection": "Shy", "ratings": [{"skill_id": public_speaking.pk, "level": 1}]}
    response = client.put(
        "/api/people/me/self-assessment", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 200
    assert response.json()["ratings"] == body["ratings"]
    bad = client.put(
        "/api/people/me/self-assessment",
        {"ratings": [{"skill_id": public_speaking.pk, "level": 9}]},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 422
    assert SelfAssessment.objects.get(person=alice).reflection == "Shy"


# ---- optional demographics ----------------------------------------------------------------------


def test_demographics_are_not_saved_without_consent(client, alice):
    client.force_login(alice.user)
    response = client.post(reverse("people:demographics"), {"gender": "woman"})
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert not DemographicProfile.objects.exists()


def test_demographics_are_saved_with_consent_and_deleted_on_withdrawal(client, alice):
    client.force_login(alice.user)
    response = client.post(
        reverse("people:demographics"), {"consent": "on", "gender": "woman", "age_band": "35-44"}
    )
    assert response.status_code == 302
    assert DemographicProfile.objects.get(person=alice).gender == "woman"
    assert client.post(reverse("people:demographics_withdraw")).status_code == 302
    assert not DemographicProfile.objects.filter(person=alice).exists()


def test_withdrawing_needs_a_post(client, alice):
    DemographicProfileFactory(person=alice)
    client.force_login(alice.user)
    assert client.get(reverse("people:demographics_withdraw")).status_code == 405
    assert DemographicProfile.objects.filter(person=alice).exists()


def test_demographic_text_beyond_max_length_is_refused(client, alice):
    client.force_login(alice.user)
    response = client.post(reverse("people:demographics"), {"consent": "on", "gender": "x" * 65})
    assert "gender" in response.context["form"].errors
    assert not DemographicProfile.objects.exists()


def test_the_demographics_api(client, alice):
    headers = api_headers(alice)
    url = "/api/people/me/demographics"
    refused = client.put(
        url, {"consent": False, "gender": "man"}, content_type="application/json", headers=headers
    )
    assert refused.status_code == 422
    assert "consent" in error_fields(refused)
    missing = client.put(url, {"gender": "man"}, content_type="application/json", headers=headers)
    assert missing.status_code == 422
    saved = client.put(
        url, {"consent": True, "gender": "man"}, content_type="application/json", headers=headers
    )
    assert saved.status_code == 200 and saved.json()["gender"] == "man"
    assert client.get(url, headers=headers).json()["gender"] == "man"
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404
    assert not DemographicProfile.objects.exists()
