"""Look-ups of the organisation's skills and departments (GET /api/skills, /api/departments): the
ids the other endpoints take, searched by name and paged, for everyone of the organisation only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentora.core.roles import viewer_for
from mentora.people.models import SkillStatus
from mentora.serviceaccounts.services import service_account_create
from tests.factories import DepartmentFactory, SkillFactory, api_headers

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments(org, other_org):
    DepartmentFactory(organisation=other_org, name="Globex Engineering")
    return [DepartmentFactory(organisation=org, name=name) for name in ("Sales", "Engineering", "Legal")]


@pytest.fixture
def skills(org, python_skill, public_speaking, globex_skill):
    SkillFactory(organisation=org, name="Pythonic waiting", slug="waiting", status=SkillStatus.PENDING)
    SkillFactory(organisation=org, name="Python 2", slug="python-2", status=SkillStatus.RETIRED)
    return [python_skill, public_speaking]


def test_everyone_of_the_organisation_reads_the_skills_they_can_pick(client, alice, skills):
    python, speaking = skills
    body = client.get("/api/skills", headers=api_headers(alice)).json()
    assert body == {
        "count": 2,
        "page": 1,
        "pages": 1,
        "results": [
            {"id": speaking.pk, "name": "Public speaking", "category": speaking.category.name},
            {"id": python.pk, "name": "Python", "category": python.category.name},
        ],
    }


def test_skills_are_searched_by_part_of_the_name_in_any_case(client, alice, skills):
    body = client.get("/api/skills", {"q": " PYTH "}, headers=api_headers(alice)).json()
    assert [skill["name"] for skill in body["results"]] == ["Python"]


def test_departments_are_the_organisations_own_by_name(client, alice, departments):
    body = client.get("/api/departments", headers=api_headers(alice)).json()
    assert [department["name"] for department in body["results"]] == ["Engineering", "Legal", "Sales"]
    assert set(body["results"][0]) == {"id", "name"}
    searched = client.get("/api/departments", {"q": "eng"}, headers=api_headers(alice)).json()
    assert [department["id"] for department in searched["results"]] == [departments[1].pk]


def test_both_are_paged(client, alice, skills, departments):
    headers = api_headers(alice)
    body = client.get("/api/departments", {"page_size": 2, "page": 2}, headers=headers).json()
    assert (body["count"], body["pages"], [d["name"] for d in body["results"]]) == (3, 2, ["Sales"])
    body = client.get("/api/skills", {"page_size": 1}, headers=headers).json()
    assert (body["count"], body["pages"], len(body["results"])) == (2, 2, 1)


@pytest.mark.parametrize("who", ["alice", "pam", "olga", "lou", "leo"])
def test_every_role_reads_them(client, skills, departments, who, request):
    headers = api_headers(request.getfixturevalue(who))
    assert client.get("/api/skills", headers=headers).json()["count"] == 2
    assert client.get("/api/departments", headers=headers).json()["count"] == 3


def test_another_organisation_sees_only_its_own(client, charlie, skills, departments, globex_skill):
    headers = api_headers(charlie)
    ids = [s["id"] for s in client.get("/api/skills", headers=headers).json()["results"]]
    assert ids == [globex_skill.pk]
    names = [d["name"] for d in client.get("/api/departments", headers=headers).json()["results"]]
    assert names == ["Globex Engineering"]


def test_a_service_account_reads_them_with_people_read(client, olga, skills, departments):
    _account, raw = service_account_create(
        actor=viewer_for(olga.user),
        name="HR",
        scopes=["people:read"],
        expires_at=timezone.now() + timedelta(days=7),
    )
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/skills", headers=headers).json()["count"] == 2
    assert client.get("/api/departments", headers=headers).json()["count"] == 3


def test_a_service_account_without_people_read_is_refused(client, olga, skills):
    _account, raw = service_account_create(
        actor=viewer_for(olga.user),
        name="Programs",
        scopes=["programs:read"],
        expires_at=timezone.now() + timedelta(days=7),
    )
    response = client.get("/api/skills", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 403 and "Python" not in response.content.decode()


def test_without_a_token_they_answer_401(client, skills):
    assert client.get("/api/skills").status_code == 401
    assert client.get("/api/departments").status_code == 401


@pytest.mark.parametrize(
    "params, field",
    [
        ({"q": "x" * 121}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"page": "0"}, "page"),
        ({"page_size": "x"}, "page_size"),
    ],
)
@pytest.mark.parametrize("path", ["/api/skills", "/api/departments"])
def test_bad_input_is_refused_naming_the_field(client, alice, path, params, field):
    response = client.get(path, params, headers=api_headers(alice))
    assert response.status_code == 422
    assert field in str(response.json()["error"])


def test_the_query_count_does_not_grow_with_the_lists(client, org, alice, skills, departments):
    headers = api_headers(alice)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/skills", headers=headers)
        client.get("/api/departments", headers=headers)
    for n in range(5):
        SkillFactory(organisation=org, name=f"Skill {n}", slug=f"skill-{n}")
        DepartmentFactory(organisation=org, name=f"Department {n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/skills", headers=headers).json()["count"] == 7
        assert client.get("/api/departments", headers=headers).json()["count"] == 8
    assert len(many) == len(few)
