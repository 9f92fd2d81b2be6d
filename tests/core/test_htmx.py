"""One helper decides "full page or htmx fragment", and every answer it gives varies on HX-Request."""

import pytest
from django.urls import reverse

HTMX = {"HX-Request": "true"}


@pytest.fixture
def pages(program, relationship):
    """(viewer, url, a marker only the full page holds) for views that answer a page or a fragment."""
    return [
        ("alice", reverse("relationships:mine"), "<html"),
        ("alice", reverse("notifications:preferences"), "<html"),
        ("pam", reverse("programs:enrolments", args=[program.pk]), "<html"),
        ("pam", reverse("checkins:at_risk", args=[program.pk]), "<html"),
        ("pam", reverse("people:list"), "<html"),
    ]


@pytest.fixture
def people(alice, pam):
    return {"alice": alice, "pam": pam}


def test_a_plain_request_gets_the_page_and_an_htmx_request_the_fragment(client, pages, people):
    for who, url, marker in pages:
        client.force_login(people[who].user)
        page = client.get(url)
        fragment = client.get(url, headers=HTMX)
        assert page.status_code == fragment.status_code == 200, url
        assert marker in page.content.decode(), url
        assert marker not in fragment.content.decode(), url


def test_both_answers_vary_on_hx_request_so_no_cache_serves_one_for_the_other(client, pages, people):
    for who, url, _marker in pages:
        client.force_login(people[who].user)
        for headers in ({}, HTMX):
            assert "HX-Request" in client.get(url, headers=headers)["Vary"], url


def test_a_history_restore_gets_the_whole_page(client, alice, relationship):
    client.force_login(alice.user)
    restore = client.get(
        reverse("relationships:mine"), headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()
