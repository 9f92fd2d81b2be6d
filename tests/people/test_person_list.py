"""The people list and detail pages: search, filters, paging, htmx fragments, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.organisations.models import Role
from tests.factories import (
    DepartmentFactory,
    LanguageFactory,
    OfferedSkillFactory,
    PersonFactory,
    SkillFactory,
    WantedSkillFactory,
    api_headers,
)


def names(response) -> list[str]:
    return [row.person.full_name for row in response.context["result"].rows]


def test_pam_searches_by_name_email_employee_id_job_title_and_skill(client, pam, alice, bob, python_skill):
    alice.job_title = "Data analyst"
    alice.save()
    OfferedSkillFactory(person=bob, skill=python_skill)
    client.force_login(pam.user)
    url = reverse("people:list")
    assert names(client.get(url, {"q": "archer"})) == ["Alice Archer"]
    assert names(client.get(url, {"q": alice.email})) == ["Alice Archer"]
    assert names(client.get(url, {"q": alice.employee_id})) == ["Alice Archer"]
    assert names(client.get(url, {"q": "analyst"})) == ["Alice Archer"]
    assert names(client.get(url, {"q": "pyth"})) == ["Bob Baker"]


def test_search_finds_a_skill_by_its_alias(client, pam, bob, python_skill):
    python_skill.aliases.create(organisation=python_skill.organisation, alias="py3")
    OfferedSkillFactory(person=bob, skill=python_skill)
    client.force_login(pam.user)
    assert names(client.get(reverse("people:list"), {"q": "py3"})) == ["Bob Baker"]


def test_pam_filters_by_department_seniority_location_role_and_skill(
    client, org, pam, alice, bob, python_skill
):
    sales = DepartmentFactory(organisation=org, name="Sales")
    alice.department, alice.seniority, alice.location = sales, 4, "Lisbon"
    alice.save()
    OfferedSkillFactory(person=alice, skill=python_skill)
    client.force_login(pam.user)
    url = reverse("people:list")
    assert names(client.get(url, {"department": sales.pk})) == ["Alice Archer"]
    assert names(client.get(url, {"seniority": 4})) == ["Alice Archer"]
    assert names(client.get(url, {"location": "Lisbon"})) == ["Alice Archer"]
    assert names(client.get(url, {"skill": python_skill.pk})) == ["Alice Archer"]
    assert names(client.get(url, {"role": Role.PROGRAM_MANAGER})) == ["Pam Planner"]
    assert names(client.get(url, {"role": Role.PARTICIPANT, "department": sales.pk})) == ["Alice Archer"]


def test_an_invalid_filter_value_is_ignored_not_an_error(client, pam, alice):
    client.force_login(pam.user)
    response = client.get(reverse("people:list"), {"department": "nope", "seniority": "99"})
    assert response.status_code == 200
    assert "Alice Archer" in names(response)


def test_participants_get_no_seniority_or_role_filter(client, alice):
    client.force_login(alice.user)
    form = client.get(reverse("people:list")).context["form"]
    assert "seniority" not in form.fields and "role" not in form.fields


def test_the_list_is_paginated(client, org, pam):
    for n in range(30):
        PersonFactory(organisation=org, full_name=f"Zed {n:02d}")
    client.force_login(pam.user)
    first = client.get(reverse("people:list"), {"q": "Zed"})
    assert len(names(first)) == 25
    assert "page=2" in first.content.decode()
    second = client.get(reverse("people:list"), {"q": "Zed", "page": 2})
    assert names(second) == [f"Zed {n:02d}" for n in range(25, 30)]


def test_an_htmx_request_gets_only_the_table_fragment(client, pam, alice):
    client.force_login(pam.user)
    response = client.get(reverse("people:list"), {"q": "Alice"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="person-table"')
    assert "<html" not in body and "Alice Archer" in body
    assert "HX-Request" in response["Vary"]
    assert [t.name for t in response.templates][0] == "people/_person_table.html"


def test_a_normal_request_gets_the_full_page(client, pam):
    client.force_login(pam.user)
    body = client.get(reverse("people:list")).content.decode()
    assert "<html" in body and 'id="person-table"' in body and 'hx-get="/people/"' in body


def _populate(org, count: int):
    department = DepartmentFactory(organisation=org)
    manager = PersonFactory(organisation=org)
    english = LanguageFactory(code="en", name="English")
    for _ in range(count):
        person = PersonFactory(
            organisation=org, department=department, manager=manager, roles=[Role.PARTICIPANT]
        )
        person.languages.add(english)
        OfferedSkillFactory(person=person, skill=SkillFactory(organisation=org))
        WantedSkillFactory(person=person, skill=SkillFactory(organisation=org))


@pytest.mark.parametrize("rows", [2, 20])
def test_the_list_page_runs_a_fixed_number_of_queries(client, org, pam, django_assert_num_queries, rows):
    _populate(org, rows)
    client.force_login(pam.user)
    # session, user with person, roles, departments, skills, locations, count, page, offered skills, roles
    with django_assert_num_queries(10):
        response = client.get(reverse("people:list"))
    assert len(response.context["result"].rows) == rows + 2


@pytest.mark.parametrize("rows", [2, 20])
def test_the_list_page_for_a_participant_runs_a_fixed_number_of_queries(
    client, org, alice, django_assert_num_queries, rows
):
    _populate(org, rows)
    client.force_login(alice.user)
    # as for managers, minus the roles prefetch, plus the reporting line
    with django_assert_num_queries(10):
        client.get(reverse("people:list"))


def test_the_list_page_reads_only_what_its_table_shows(client, org, pam):
    """The table shows no wanted skill, language or manager: the page does not load them (two
    queries and a join of every row's manager; bench/load.py), while the API's list still does."""
    _populate(org, 3)
    client.force_login(pam.user)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("people:list"))
    with CaptureQueriesContext(connection) as api_queries:
        listed = client.get("/api/people/", headers=api_headers(pam)).json()["results"]

    assert page.status_code == 200
    unused = ("people_wantedskill", "people_person_languages", 'T3."full_name"')
    assert [q["sql"] for q in queries.captured_queries if any(name in q["sql"] for name in unused)] == []
    assert all(name in " ".join(q["sql"] for q in api_queries.captured_queries) for name in unused[:2])
    populated = [person for person in listed if person["team"]["wanted_skills"]]
    assert len(populated) == 3
    assert all(person["languages"] == ["en"] and person["team"]["manager"] for person in populated)


@pytest.mark.parametrize("rows", [2, 20])
def test_the_api_list_runs_a_fixed_number_of_queries(client, org, pam, django_assert_num_queries, rows):
    _populate(org, rows)
    headers = api_headers(pam)
    # token (with its user and person), last-used update, roles, count, page, 4 prefetches
    with django_assert_num_queries(9):
        response = client.get("/api/people/", headers=headers)
    assert response.json()["count"] == rows + 2


def test_the_detail_page_shows_skills_languages_and_manager(
    client, pam, alice, lou, python_skill, public_speaking
):
    OfferedSkillFactory(person=alice, skill=python_skill, level=5)
    WantedSkillFactory(person=alice, skill=public_speaking, priority=1)
    alice.languages.add(LanguageFactory(code="pt", name="Portuguese"))
    client.force_login(pam.user)
    body = client.get(reverse("people:detail", args=[alice.pk])).content.decode()
    assert "Python" in body and "level 5 of 5" in body
    assert "Public speaking" in body and "Portuguese" in body and "Lou Lead" in body


def test_pam_edits_a_person(client, org, pam, alice, lou):
    sales = DepartmentFactory(organisation=org, name="Sales")
    client.force_login(pam.user)
    response = client.post(
        reverse("people:edit", args=[alice.pk]),
        {
            "full_name": "Alice A. Archer",
            "email": "alice@acme.test",
            "employee_id": "A-1",
            "job_title": "Lead analyst",
            "job_family": "Data",
            "department": sales.pk,
            "manager": lou.email,
            "seniority": 5,
            "location": "Porto",
            "time_zone": "Europe/Lisbon",
            "is_active": "on",
            "roles": [Role.PARTICIPANT, Role.LINE_MANAGER],
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.full_name, alice.department, alice.manager, alice.time_zone) == (
        "Alice A. Archer",
        sales,
        lou,
        "Europe/Lisbon",
    )
    assert set(alice.role_memberships.values_list("role", flat=True)) == {Role.PARTICIPANT, Role.LINE_MANAGER}
    # The sign-in e-mail changes only through a confirmed link (tests/accounts/test_email_change.py).
    assert alice.email != "alice@acme.test"


def test_pam_cannot_make_a_manager_cycle(client, pam, alice, lou):
    client.force_login(pam.user)
    response = client.post(
        reverse("people:edit", args=[lou.pk]),
        {"full_name": "Lou Lead", "seniority": 1, "time_zone": "UTC", "manager": alice.email},
    )
    assert response.status_code == 200
    assert "manager" in response.context["form"].errors


def test_the_patch_api_changes_only_the_given_fields(client, pam, alice):
    response = client.patch(
        f"/api/people/{alice.pk}",
        {"job_title": "Principal", "time_zone": "Asia/Tokyo"},
        content_type="application/json",
        headers=api_headers(pam),
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert (alice.job_title, alice.time_zone, alice.full_name) == ("Principal", "Asia/Tokyo", "Alice Archer")
    bad = client.patch(
        f"/api/people/{alice.pk}",
        {"time_zone": "Nowhere/Else"},
        content_type="application/json",
        headers=api_headers(pam),
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["details"] == [
        {"field": "time_zone", "code": None, "message": bad.json()["error"]["details"][0]["message"]}
    ]
