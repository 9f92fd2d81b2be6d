"""A participant signs in, adds a skill they can offer, and sees it saved: in a real browser.

Uses Debian's Chromium (never a downloaded browser). Screenshots go to test-artifacts/.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

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
def browser_page():
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


def test_a_participant_adds_a_skill_they_can_offer(live_server, browser_page, alice, python_skill):
    page = browser_page
    shot = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-profile"

    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(alice.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Welcome, Alice Archer").wait_for()
    page.screenshot(path=ARTIFACTS / f"{shot}-1-home.png", full_page=True)

    page.get_by_role("link", name="Edit my profile and skills").click()
    page.get_by_role("heading", name="Edit my profile").wait_for()
    page.get_by_label("Skill 1", exact=True).first.select_option(label="Python")
    page.locator("#id_offered-0-level").select_option("4")
    page.get_by_label("Location").fill("Leeds")
    page.screenshot(path=ARTIFACTS / f"{shot}-2-edit.png", full_page=True)
    page.get_by_role("button", name="Save my profile").click()

    page.get_by_text("Your profile is saved.").wait_for()
    page.screenshot(path=ARTIFACTS / f"{shot}-3-saved.png", full_page=True)
    offers = page.get_by_role("region", name="Can offer")
    assert "Python — level 4 of 5" in offers.inner_text()
    assert page.url.endswith(reverse("people:me"))
    assert list(alice.offered_skills.values_list("skill__name", "level")) == [("Python", 4)]
