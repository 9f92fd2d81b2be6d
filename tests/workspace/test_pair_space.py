"""The pair's space: who may open it, its sections, read-only history."""

import pytest
from django.urls import reverse

from mentora.agreements.closure import relationship_end_no_fault
from mentora.workspace import panels


def test_both_sides_open_their_space_with_every_section(client, relationship, alice, bob):
    for person in (alice, bob):
        client.force_login(person.user)
        response = client.get(reverse("workspace:pair", args=[relationship.pk]))
        assert response.status_code == 200
        text = response.content.decode()
        for section in ('id="goals"', 'id="meetings"', 'id="notes"'):
            assert section in text
    assert "Mentoring <bdi>Alice Archer</bdi>" in text


def test_my_mentoring_links_to_the_space(client, relationship, alice):
    client.force_login(alice.user)
    text = client.get(reverse("relationships:mine")).content.decode()
    assert reverse("workspace:pair", args=[relationship.pk]) in text


@pytest.mark.parametrize(
    "role", ["program manager", "org admin", "line manager", "another pair's mentee", "other organisation"]
)
def test_nobody_else_opens_the_space(client, relationship, outsiders, role):
    client.force_login(outsiders[role].user)
    assert client.get(reverse("workspace:pair", args=[relationship.pk])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, relationship):
    response = client.get(reverse("workspace:pair", args=[relationship.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_ended_relationship_is_read_only_history(client, relationship, alice):
    relationship_end_no_fault(relationship=relationship, person=alice)
    client.force_login(alice.user)
    text = client.get(reverse("workspace:pair", args=[relationship.pk])).content.decode()
    assert "read-only history" in text
    assert "Set a goal" not in text and "Schedule a meeting" not in text and "Save the note" not in text


def test_a_panel_registered_by_another_app_appears_in_order(client, relationship, alice):
    panels.register(
        "zz-test", order=1, title="Test panel", template="goals/_panel.html", context=lambda pair: {}
    )
    try:
        client.force_login(alice.user)
        text = client.get(reverse("workspace:pair", args=[relationship.pk])).content.decode()
    finally:
        panels._panels.pop("zz-test")
    assert text.index('href="#zz-test"') < text.index('href="#goals"') < text.index('href="#meetings"')


def test_the_openapi_schema_documents_the_pair_space_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/pairs/{relationship_id}/goals",
        "/api/pairs/{relationship_id}/goals/{goal_id}/milestones/{milestone_id}",
        "/api/pairs/{relationship_id}/meetings/{meeting_id}/log",
        "/api/pairs/{relationship_id}/meetings/{meeting_id}/ics",
        "/api/pairs/{relationship_id}/notes/{note_id}",
        "/api/calendar/feed",
    ):
        assert path in paths, path
