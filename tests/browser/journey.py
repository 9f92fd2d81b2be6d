"""Helpers for the browser journeys (the fixtures that launch Chromium are in conftest.py).

Every page a journey visits is checked for accessibility: axe-core (from npm, `bin/setup --dev`) runs on
the live page at each screenshot, and, when the journey ends, on every address it visited, opened again
in the same browser context 320 CSS pixels wide, where the page must not scroll sideways either.
"""

import os
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from django.urls import reverse

from tests.factories import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# A wait for a condition, never a speed budget: generous so a loaded CI machine only waits longer.
TIMEOUT_MS = 60_000
# The narrowest phone width WCAG's reflow criterion (1.4.10) asks a page to fit without scrolling sideways.
NARROW = {"width": 320, "height": 640}


# What the Content-Security-Policy refused on any page; the `browser` fixture fails a journey with any.
csp_violations: list[str] = []


def _record_csp_violation(page, message) -> None:
    if "Content Security Policy" in message.text:
        csp_violations.append(f"{page.url}: {message.text}")


# The addresses each browser context's pages showed, in order; the `browser` fixture checks them all.
visited: dict = {}
# Pages drawn by a third party's script, not by our templates: the API docs are Swagger UI, whose own
# markup fails axe-core (nested-interactive, color-contrast, heading-order; docs/accessibility.md). They
# are left out of the check, which would otherwise pass or fail by whether Swagger UI had drawn yet.
NOT_OURS = ("/api/docs",)
# What the checks at each screenshot found; the `browser` fixture fails a journey with any.
accessibility_found: list[str] = []


def _record_visit(page, frame) -> None:
    if frame == page.main_frame:
        addresses = visited.setdefault(page.context, [])
        address = urldefrag(frame.url).url
        ours = not urlsplit(address).path.startswith(NOT_OURS)
        if address.startswith("http") and ours and address not in addresses:
            addresses.append(address)


def new_page(browser):
    """A page in a fresh context: its own cookies, so each person signs in separately."""
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", lambda message: _record_csp_violation(page, message))
    page.on("framenavigated", lambda frame: _record_visit(page, frame))
    return page


def announced(page, words: str) -> None:
    """Waits until the page's one live region says these words (static/js/accessibility.js)."""
    page.wait_for_function("words => document.getElementById('live-region').textContent === words", arg=words)


def focus_is_in(page, selector: str) -> bool:
    """Whether the keyboard focus is on or inside this element (and not dropped to <body>)."""
    return page.evaluate("s => document.querySelector(s).contains(document.activeElement)", selector)


def accessibility_problems(page) -> list[str]:
    """What axe-core finds on the page as it is now: one line per violation, with its rule id, impact
    and the elements it concerns."""
    assert AXE_SCRIPT.exists(), "axe-core is not installed: run bin/setup --dev (npm ci)"
    if not page.evaluate("typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol: a <script> tag would be refused by our own
        # Content-Security-Policy.
        page.evaluate(AXE_SCRIPT.read_text())
    violations = page.evaluate("async () => (await window.axe.run(document)).violations")
    return [
        f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in violations
    ]


# The first elements that reach past the window's right edge, to say where a page scrolls sideways.
PAST_THE_EDGE = """() => Array.from(document.querySelectorAll("body *"))
    .filter(element => element.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .slice(-3).map(element => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + (element.className ? "." + String(element.className).split(" ").join(".") : ""))"""


def sideways_scroll(page) -> str | None:
    """The page's width, if it is wider than the window (the page would scroll sideways)."""
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if widths[0] > widths[1]:
        culprits = ", ".join(page.evaluate(PAST_THE_EDGE))
        return f"{page.url}: {widths[0]} px wide in a {widths[1]} px window ({culprits})"
    return None


def check_narrow(page) -> list[str]:
    """Whether the page as it is now fits 320 CSS pixels without sideways scroll, and axe-core finds
    nothing there either; the page gets its former size back."""
    former = page.viewport_size
    page.set_viewport_size(NARROW)
    try:
        problems = accessibility_problems(page)
        too_wide = sideways_scroll(page)
    finally:
        page.set_viewport_size(former)
    return problems + ([too_wide] if too_wide else [])


def check_visited_pages(browser) -> list[str]:
    """Every address the journey's pages showed, opened again in their own browser context (the same
    person signed in), checked at the usual width and at 320 pixels."""
    problems = []
    for context in browser.contexts:
        audit = context.new_page()
        audit.set_default_timeout(TIMEOUT_MS)
        for address in visited.get(context, []):
            audit.goto(address)
            problems += accessibility_problems(audit) + check_narrow(audit)
        audit.close()
        problems += _too_wide_without_javascript(browser, context)
    return problems


def _too_wide_without_javascript(browser, context) -> list[str]:
    """The context's addresses again at 320 pixels with JavaScript off (the same person signed in): what
    keeps a page narrow, such as a table's scroll box, must come from the server."""
    plain = browser.new_context(
        java_script_enabled=False, storage_state=context.storage_state(), viewport=NARROW
    )
    page = plain.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems = []
    for address in visited.get(context, []):
        page.goto(address)
        too_wide = sideways_scroll(page)
        problems += [f"without JavaScript: {too_wide}"] if too_wide else []
    plain.close()
    return problems


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
        """Also checks the page as it is now (after the journey's htmx swaps too) for accessibility."""
        self.taken += 1
        page.screenshot(path=ARTIFACTS / f"{self.prefix}-{self.taken}-{name}.png", full_page=True)
        accessibility_found.extend(accessibility_problems(page) + check_narrow(page))
