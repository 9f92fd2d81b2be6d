"""Helpers for the browser journeys (the fixtures that launch Chromium are in conftest.py)."""

import os
from pathlib import Path

from django.urls import reverse

from tests.factories import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 15_000


# What the Content-Security-Policy refused on any page; the `browser` fixture fails a journey with any.
csp_violations: list[str] = []


def _record_csp_violation(page, message) -> None:
    if "Content Security Policy" in message.text:
        csp_violations.append(f"{page.url}: {message.text}")


def new_page(browser):
    """A page in a fresh context: its own cookies, so each person signs in separately."""
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", lambda message: _record_csp_violation(page, message))
    return page


def sign_in(page, live_server, person) -> None:
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Work e-mail").fill(person.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


class Screenshots:
    """Full-page screenshots in test-artifacts/, numbered in order: `<worker>-<journey>-<n>-<name>.png`."""

    def __init__(self, journey: str):
        self.prefix = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{journey}"
        self.taken = 0

    def __call__(self, page, name: str) -> None:
        self.taken += 1
        page.screenshot(path=ARTIFACTS / f"{self.prefix}-{self.taken}-{name}.png", full_page=True)
