"""NUL (U+0000) in any text the API receives is a 422 in the API's error shape, on every database.

PostgreSQL refuses NUL in text; without the check these requests answered 500 there."""

import pytest

from mentora.goals.models import Goal
from mentora.notes.models import Note
from tests.factories import api_headers


def fields_of(response) -> list[str]:
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    return [detail["field"] for detail in error["details"]]


def test_a_goal_with_nul_in_its_title_is_refused(client, relationship, alice):
    response = client.post(
        f"/api/pairs/{relationship.pk}/goals",
        {"title": "Lead\u0000", "measure": "m", "plan": "p", "relevance": "r", "target_date": "2099-01-01"},
        content_type="application/json",
        headers=api_headers(alice),
    )
    assert fields_of(response) == ["body.title"]
    assert not Goal.objects.exists()


def test_nul_deep_in_a_body_or_in_a_key_is_refused(client, relationship, bob):
    response = client.post(
        f"/api/pairs/{relationship.pk}/notes",
        {"body": "fine", "title": "fine", "visibility": "shared", "extra\u0000": ["a", {"b": "c\u0000"}]},
        content_type="application/json",
        headers=api_headers(bob),
    )
    assert sorted(fields_of(response)) == ["body.extra\x00", "body.extra\x00.1.b"]
    assert not Note.objects.exists()


def test_nul_in_a_query_string_is_refused(client, alice):
    response = client.get("/api/people/?q=Ali%00ce", headers=api_headers(alice))
    assert fields_of(response) == ["query.q"]


@pytest.mark.parametrize("body", ["{not json", b"\xff\xfe{}", '{"body": "a"', "NaN}"])
def test_a_body_that_is_not_json_answers_400_invalid_json(client, relationship, bob, body):
    response = client.post(
        f"/api/pairs/{relationship.pk}/notes",
        body,
        content_type="application/json",
        headers=api_headers(bob),
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_json", "body")
    assert not Note.objects.exists()
