"""The strict Content-Security-Policy (no inline script or style) breaks nothing: Chromium reports no
violation on the main pages, htmx's own indicator styles are not injected, and the API docs render."""

import pytest
from django.urls import reverse

from mentora.meetings import services as meeting_services
from tests.browser.journey import csp_violations, sign_in
from tests.workspace.fixtures import active_relationship, program  # noqa: F401


@pytest.fixture
def pair(program, alice, bob):  # noqa: F811
    """Bob mentors Alice."""
    return active_relationship(program, bob, alice)


def test_the_pages_keep_to_the_content_security_policy(live_server, browser_page, alice, pair):
    page = browser_page
    meeting_services.calendar_feed_reset(person=alice)
    sign_in(page, live_server, alice)
    page.get_by_role("heading", name="Welcome, Alice Archer").wait_for()
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    for url in (
        reverse("workspace:pair", args=[pair.pk]),
        reverse("calendar:subscribe"),
        reverse("people:me"),
        reverse("programs:list"),
        reverse("api_tokens"),
    ):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert csp_violations == []


def test_the_api_docs_render_under_the_content_security_policy(live_server, browser_page, db):
    page = browser_page
    page.goto(live_server.url + "/api/docs")
    page.get_by_role("heading", name="Mentora API").wait_for()
    page.locator(".opblock").first.wait_for()
    assert csp_violations == []
