"""Who sees what of whom, from every side, on the pages AND the API.

The rules are in mentora/people/permissions.py. Private text is planted with unmistakable
markers so that a leak anywhere in a response is caught.
"""

import pytest
from django.urls import reverse

from tests.factories import (
    DemographicProfileFactory,
    OfferedSkillFactory,
    PersonFactory,
    SelfAssessmentFactory,
    WantedSkillFactory,
    api_headers,
)

SECRET = "SECRET-REFLECTION-of-alice"
DEMOGRAPHIC = "SECRET-ETHNICITY-of-alice"
GOALS = "GOALS-of-alice: lead a team"


@pytest.fixture
def alice_profile(alice, python_skill, public_speaking):
    """Alice with public, team-only and private data."""
    alice.goals = GOALS
    alice.job_title = "Data analyst"
    alice.save()
    OfferedSkillFactory(person=alice, skill=python_skill, level=4)
    WantedSkillFactory(person=alice, skill=public_speaking, priority=1)
    SelfAssessmentFactory(person=alice, reflection=SECRET)
    DemographicProfileFactory(person=alice, ethnicity=DEMOGRAPHIC)
    return alice


def page(client, person, url):
    client.force_login(person.user)
    return client.get(url)


def api(client, person, url):
    return client.get(url, headers=api_headers(person))


def detail_url(person):
    return reverse("people:detail", args=[person.pk])


def api_url(person):
    return f"/api/people/{person.pk}"


# ---- organisation boundary --------------------------------------------------------------------


def test_charlie_sees_nothing_of_acme_on_the_pages(client, alice_profile, charlie):
    assert page(client, charlie, detail_url(alice_profile)).status_code == 404
    assert page(client, charlie, reverse("people:edit", args=[alice_profile.pk])).status_code == 404
    listing = page(client, charlie, reverse("people:list")).content.decode()
    assert "Alice" not in listing


def test_charlie_sees_nothing_of_acme_in_the_api(client, alice_profile, charlie):
    headers = api_headers(charlie)
    response = client.get(api_url(alice_profile), headers=headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    listing = client.get("/api/people/", headers=headers).json()
    assert [p["full_name"] for p in listing["results"]] == ["Charlie Chaplin"]
    assert "Alice" not in str(listing)


def test_charlie_cannot_patch_an_acme_person(client, alice_profile, charlie):
    response = client.patch(
        api_url(alice_profile),
        {"job_title": "Hacked"},
        content_type="application/json",
        headers=api_headers(charlie),
    )
    assert response.status_code == 404
    alice_profile.refresh_from_db()
    assert alice_profile.job_title == "Data analyst"


def test_charlie_cannot_filter_by_an_acme_department_or_skill(client, alice_profile, charlie, python_skill):
    response = client.get(f"/api/people/?skill={python_skill.pk}", headers=api_headers(charlie))
    assert response.json()["count"] == 0


def test_charlie_cannot_name_an_acme_manager(client, alice_profile, charlie):
    response = client.put(
        "/api/people/me/profile",
        {"manager_id": alice_profile.pk},
        content_type="application/json",
        headers=api_headers(charlie),
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "manager_id"


# ---- participants: public profile of colleagues only ------------------------------------------


def test_bob_sees_alices_public_profile_only(client, alice_profile, bob):
    body = page(client, bob, detail_url(alice_profile)).content.decode()
    assert "Alice Archer" in body and "Data analyst" in body and "Python" in body
    assert GOALS not in body
    assert "Public speaking" not in body  # wanted skills are not public
    assert alice_profile.email not in body
    assert SECRET not in body and DEMOGRAPHIC not in body


def test_bob_gets_alices_public_profile_only_from_the_api(client, alice_profile, bob):
    body = api(client, bob, api_url(alice_profile)).json()
    assert body["full_name"] == "Alice Archer"
    assert body["offered_skills"][0]["skill"] == "Python"
    assert body["team"] is None
    assert SECRET not in str(body) and DEMOGRAPHIC not in str(body) and GOALS not in str(body)


def test_bob_cannot_search_colleagues_by_email(client, alice_profile, bob):
    response = api(client, bob, f"/api/people/?q={alice_profile.email}")
    assert response.json()["count"] == 0


def test_a_participant_cannot_filter_by_seniority_or_role(client, alice_profile, bob):
    response = api(client, bob, "/api/people/?seniority=3")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert api(client, bob, "/api/people/?role=participant").status_code == 403


def test_bob_cannot_edit_alice(client, alice_profile, bob):
    assert page(client, bob, reverse("people:edit", args=[alice_profile.pk])).status_code == 403
    response = client.post(reverse("people:edit", args=[alice_profile.pk]), {"full_name": "Hacked"})
    assert response.status_code == 403
    patched = client.patch(
        api_url(alice_profile),
        {"full_name": "Hacked"},
        content_type="application/json",
        headers=api_headers(bob),
    )
    assert patched.status_code == 403
    alice_profile.refresh_from_db()
    assert alice_profile.full_name == "Alice Archer"


def test_my_private_pages_only_ever_show_my_own_data(client, alice_profile, bob):
    for name in ("people:self_assessment", "people:demographics"):
        body = page(client, bob, reverse(name)).content.decode()
        assert SECRET not in body and DEMOGRAPHIC not in body
    headers = api_headers(bob)
    assert client.get("/api/people/me/self-assessment", headers=headers).json()["reflection"] == ""
    assert client.get("/api/people/me/demographics", headers=headers).status_code == 404


def test_bob_does_not_see_inactive_colleagues(client, org, bob):
    PersonFactory(organisation=org, full_name="Gone Person", is_active=False)
    gone = PersonFactory(organisation=org, full_name="Gone Too", is_active=False)
    assert "Gone Person" not in page(client, bob, reverse("people:list")).content.decode()
    assert page(client, bob, detail_url(gone)).status_code == 404


# ---- line managers: their reports' profiles, not the private fields ---------------------------


def test_a_line_manager_sees_a_reports_goals_and_wanted_skills(client, alice_profile, lou):
    body = page(client, lou, detail_url(alice_profile)).content.decode()
    assert GOALS in body and "Public speaking" in body
    team = api(client, lou, api_url(alice_profile)).json()["team"]
    assert team["goals"] == GOALS
    assert team["wanted_skills"][0]["skill"] == "Public speaking"


def test_a_line_manager_cannot_read_a_reports_self_assessment(client, alice_profile, lou):
    body = page(client, lou, detail_url(alice_profile)).content.decode()
    assert SECRET not in body
    assert SECRET not in str(api(client, lou, api_url(alice_profile)).json())
    assert SECRET not in page(client, lou, reverse("people:self_assessment")).content.decode()
    assert SECRET not in page(client, lou, reverse("home")).content.decode()


def test_a_line_manager_cannot_read_a_reports_demographics(client, alice_profile, lou):
    assert DEMOGRAPHIC not in page(client, lou, detail_url(alice_profile)).content.decode()
    assert DEMOGRAPHIC not in str(api(client, lou, api_url(alice_profile)).json())


def test_an_indirect_manager_sees_the_work_profile_too(client, alice_profile, leo):
    assert api(client, leo, api_url(alice_profile)).json()["team"]["goals"] == GOALS
    listing = api(client, leo, "/api/people/?q=Alice").json()
    assert listing["results"][0]["team"]["goals"] == GOALS


def test_a_line_manager_sees_only_the_public_profile_of_others(client, alice_profile, lou, bob):
    assert api(client, lou, api_url(bob)).json()["team"] is None
    assert api(client, alice_profile, api_url(lou)).json()["team"] is None  # reports don't see up


def test_a_line_manager_cannot_edit_a_report(client, alice_profile, lou):
    assert page(client, lou, reverse("people:edit", args=[alice_profile.pk])).status_code == 403


# ---- program managers and org admins: the people database, never the private fields ----------


def test_pam_sees_and_edits_the_people_database(client, alice_profile, pam):
    body = page(client, pam, detail_url(alice_profile)).content.decode()
    assert GOALS in body and alice_profile.email in body
    assert page(client, pam, reverse("people:edit", args=[alice_profile.pk])).status_code == 200
    assert api(client, pam, api_url(alice_profile)).json()["team"]["email"] == alice_profile.email


def test_a_program_manager_cannot_read_self_assessments_or_demographics(client, alice_profile, pam):
    for url in (
        detail_url(alice_profile),
        reverse("people:edit", args=[alice_profile.pk]),
        reverse("people:list"),
    ):
        body = page(client, pam, url).content.decode()
        assert SECRET not in body and DEMOGRAPHIC not in body
    for url in (api_url(alice_profile), "/api/people/"):
        body = str(api(client, pam, url).json())
        assert SECRET not in body and DEMOGRAPHIC not in body


def test_an_org_admin_cannot_read_self_assessments_or_demographics(client, alice_profile, olga):
    body = page(client, olga, detail_url(alice_profile)).content.decode()
    assert GOALS in body
    assert SECRET not in body and DEMOGRAPHIC not in body
    assert SECRET not in str(api(client, olga, api_url(alice_profile)).json())


def test_a_program_manager_cannot_grant_the_org_admin_role(client, alice_profile, pam):
    response = client.patch(
        api_url(alice_profile),
        {"roles": ["org_admin"]},
        content_type="application/json",
        headers=api_headers(pam),
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "roles"
    assert not alice_profile.role_memberships.filter(role="org_admin").exists()


def test_an_org_admin_grants_the_program_manager_role(client, alice_profile, olga):
    response = client.patch(
        api_url(alice_profile),
        {"roles": ["participant", "program_manager"]},
        content_type="application/json",
        headers=api_headers(olga),
    )
    assert response.status_code == 200
    assert response.json()["team"]["roles"] == ["participant", "program_manager"]


# ---- the owner ---------------------------------------------------------------------------------


def test_alice_reads_her_own_private_data(client, alice_profile):
    assert SECRET in page(client, alice_profile, reverse("people:self_assessment")).content.decode()
    assert DEMOGRAPHIC in page(client, alice_profile, reverse("people:demographics")).content.decode()
    headers = api_headers(alice_profile)
    assert client.get("/api/people/me/self-assessment", headers=headers).json()["reflection"] == SECRET
    assert client.get("/api/people/me/demographics", headers=headers).json()["ethnicity"] == DEMOGRAPHIC


def test_alice_sees_her_own_work_profile_but_cannot_edit_her_record_as_hr(client, alice_profile):
    assert api(client, alice_profile, api_url(alice_profile)).json()["team"]["goals"] == GOALS
    assert page(client, alice_profile, reverse("people:edit", args=[alice_profile.pk])).status_code == 403


# ---- anonymous and unlinked -------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, alice_profile):
    for url in (reverse("people:list"), detail_url(alice_profile), reverse("people:self_assessment")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_api_needs_a_valid_token(client, alice_profile):
    assert client.get("/api/people/").status_code == 401
    response = client.get("/api/people/", headers={"Authorization": "Bearer mnt_wrong"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_user_without_a_person_sees_no_people(client, alice_profile, django_user_model):
    user = django_user_model.objects.create_user("loner", password="x")
    client.force_login(user)
    assert client.get(reverse("people:list")).status_code == 403
    assert client.get(detail_url(alice_profile)).status_code == 403
