"""A mentee picks a mentor from their shortlist, with a note; the mentor accepts: in a real browser.

Uses Debian's Chromium (never a downloaded browser). Screenshots go to test-artifacts/.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from mentora.pairing import choose_selectors
from mentora.relationships.models import Relationship, RelationshipStatus
from tests.factories import PASSWORD
from tests.pairing.choose_setup import PRIVATE_WORDS, cohort

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test's own
# fixtures and assertions are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Debian's Chromium is not installed (bin/setup --dev)"
    ),
]


@pytest.fixture
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    choose_selectors.shortlister_cache_clear()
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            choose_selectors.shortlister_cache_clear()


def sign_in(browser, live_server, person):
    page = browser.new_context().new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(person.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Mentor choice").wait_for()
    return page


def test_a_mentee_picks_a_mentor_from_the_shortlist_and_the_mentor_accepts(
    live_server, browser, org, alice, pam
):
    c = cohort(org, alice, pam)
    shot = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-mentee"

    # The mentee opens their shortlist from the navigation.
    page = sign_in(browser, live_server, c.alice)
    page.get_by_role("link", name="Mentor choice").click()
    page.get_by_role("link", name=c.program.name).click()
    page.get_by_role("heading", name="Choose your mentor").wait_for()
    shortlist = page.locator("ol.shortlist")
    assert shortlist.locator("> li").count() == 2
    first = shortlist.locator("> li").first
    assert "Mo Mentor" in first.inner_text() and "Why this mentor" in first.inner_text()
    text = page.content()
    for word in PRIVATE_WORDS:
        assert word not in text
    page.screenshot(path=ARTIFACTS / f"{shot}-1-shortlist.png", full_page=True)

    # Reads Mo's public profile and asks, with a short note.
    first.get_by_role("link", name="Read Mo Mentor's profile").click()
    page.get_by_role("heading", name="Mo Mentor", exact=True).wait_for()
    assert "Staff engineer" in page.inner_text("main")
    page.get_by_label("A short note for the mentor (optional)").fill("I want to write better Python tests.")
    page.screenshot(path=ARTIFACTS / f"{shot}-2-profile.png", full_page=True)
    page.get_by_role("button", name="Send my request").click()
    page.get_by_text("Your request was sent to Mo Mentor.").wait_for()
    assert "We are waiting for their answer." in page.inner_text("main")
    page.screenshot(path=ARTIFACTS / f"{shot}-3-requested.png", full_page=True)

    # The mentor sees the request with the note, and accepts.
    mentor_page = sign_in(browser, live_server, c.mo)
    mentor_page.get_by_role("link", name="Mentor choice").click()
    mentor_page.get_by_role("link", name=c.program.name).click()
    mentor_page.get_by_role("heading", name="Requests from mentees").wait_for()
    assert "I want to write better Python tests." in mentor_page.inner_text("main")
    mentor_page.screenshot(path=ARTIFACTS / f"{shot}-4-request.png", full_page=True)
    mentor_page.get_by_role("button", name="Accept Alice Archer").click()
    mentor_page.get_by_text("You accepted Alice Archer: your relationship has started.").wait_for()
    mentor_page.screenshot(path=ARTIFACTS / f"{shot}-5-accepted.png", full_page=True)

    # The mentee sees their mentor.
    page.reload()
    page.get_by_text("Mo Mentor is your mentor in this program.").wait_for()
    page.screenshot(path=ARTIFACTS / f"{shot}-6-mentored.png", full_page=True)
    relationship = Relationship.objects.get(mentee=c.alice)
    assert relationship.mentor == c.mo and relationship.status == RelationshipStatus.ACTIVE
