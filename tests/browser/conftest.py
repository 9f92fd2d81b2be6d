"""What every browser journey shares: Debian's Chromium (never a downloaded browser) driven by
Playwright against the live server. Screenshots go to test-artifacts/ (see journey.py).

Every test in this folder is marked `browser`, runs against a transactional database (the live
server must see the test's rows) and is skipped where Chromium is not installed.
"""

import os
from pathlib import Path

import pytest

from tests.browser.journey import (
    ARTIFACTS,
    accessibility_found,
    check_visited_pages,
    csp_violations,
    new_page,
    visited,
)

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test's own
# fixtures and assertions are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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


def pytest_itemcollected(item):
    # pytest calls a conftest's collection hooks only for the items below its folder.
    item.add_marker(pytest.mark.browser)
    item.add_marker(pytest.mark.django_db(transaction=True))
    item.add_marker(
        pytest.mark.skipif(
            not Path(CHROMIUM).exists(), reason="Debian's Chromium is not installed (bin/setup --dev)"
        )
    )


@pytest.fixture
def browser():
    playwright_sync = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    csp_violations.clear()
    visited.clear()
    accessibility_found.clear()
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
            accessibility_found.extend(check_visited_pages(browser))
        finally:
            browser.close()
    assert csp_violations == [], "the Content-Security-Policy refused something on a page"
    problems = list(dict.fromkeys(accessibility_found))
    assert problems == [], "axe-core or the 320 px check found problems:\n" + "\n".join(problems)


@pytest.fixture
def browser_page(browser):
    """One page, for a journey with one person in it."""
    return new_page(browser)
