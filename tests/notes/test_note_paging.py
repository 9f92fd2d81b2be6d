"""A pair with many notes: the space shows the latest few, the notes page and the API page the rest,
in a number of queries that does not grow with the notes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.notes.models import Note, NoteVisibility
from mentora.notes.selectors import NOTES_IN_PANEL, NOTES_PER_PAGE
from tests.factories import api_headers


def write_notes(relationship, author, count, visibility=NoteVisibility.SHARED, start=0):
    Note.objects.bulk_create(
        Note(
            relationship=relationship,
            author=author,
            updated_by=author,
            visibility=visibility,
            title=f"Note {number:03}",
            body=f"Body of note {number:03}",
        )
        for number in range(start, start + count)
    )


def test_the_space_shows_the_latest_notes_and_links_to_all_of_them(client, relationship, alice, bob):
    write_notes(relationship, bob, 120)
    write_notes(relationship, alice, 3, NoteVisibility.PRIVATE, start=500)
    client.force_login(alice.user)
    text = client.get(reverse("workspace:pair", args=[relationship.pk])).content.decode()
    assert text.count("Body of note") == NOTES_IN_PANEL + 3
    assert "All 120 shared notes" in text
    assert f"{reverse('notes:list', args=[relationship.pk])}?visibility=shared" in text
    assert "private notes</a>" not in text  # three fit in the space


def test_the_notes_page_shows_one_page_and_a_link_to_the_next(client, relationship, alice, bob):
    write_notes(relationship, bob, 120)
    client.force_login(alice.user)
    url = reverse("notes:list", args=[relationship.pk])
    text = client.get(url, {"visibility": "shared"}).content.decode()
    assert text.count("Body of note") == NOTES_PER_PAGE
    assert '<nav class="pager" aria-label="Pages of shared notes">' in text
    assert 'href="?visibility=shared&amp;page=2" rel="next"' in text
    last = client.get(url, {"visibility": "shared", "page": "6"}).content.decode()
    assert "Body of note 000" in last and 'rel="next"' not in last
    assert client.get(url, {"visibility": "shared", "page": "x"}).status_code == 200


def test_the_partners_private_notes_are_not_on_the_notes_page(client, relationship, alice, bob):
    write_notes(relationship, bob, 2, NoteVisibility.PRIVATE)
    client.force_login(alice.user)
    text = client.get(
        reverse("notes:list", args=[relationship.pk]), {"visibility": "private"}
    ).content.decode()
    assert "Body of note" not in text


@pytest.mark.parametrize("url_name", ["workspace:pair", "notes:list"])
def test_the_query_count_does_not_grow_with_the_notes(client, relationship, alice, bob, url_name):
    client.force_login(alice.user)
    url = reverse(url_name, args=[relationship.pk])
    write_notes(relationship, bob, 5)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    write_notes(relationship, bob, 120, start=100)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_api_pages_notes(client, relationship, alice, bob):
    write_notes(relationship, bob, 120)
    url = f"/api/pairs/{relationship.pk}/notes"
    body = client.get(url, {"page": 2, "page_size": 50}, headers=api_headers(alice)).json()
    assert (body["count"], body["page"], body["pages"], len(body["results"])) == (120, 2, 3, 50)
    assert client.get(url, headers=api_headers(alice)).json()["pages"] == 3
    too_many = client.get(url, {"page_size": 1000}, headers=api_headers(alice))
    assert too_many.status_code == 422
    assert [d["field"] for d in too_many.json()["error"]["details"]] == ["query.page_size"]
