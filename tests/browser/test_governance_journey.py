"""An org admin's governance pages in a real browser: every page the navigation offers for sign-in,
provisioning, HR sync, scheduled jobs and the audit log opens from the menu, and a SCIM token made on
its page shows once and then appears in the audit log. Every page visited gets the journeys' axe-core
and 320 px checks (tests/browser/conftest.py)."""

from mentora.scim.models import ScimToken
from tests.browser.journey import Screenshots, sign_in

# The menu's link and the heading of the page it opens.
GOVERNANCE_PAGES = [
    ("Locked accounts", "Locked accounts"),
    ("Activation e-mails", "Activation e-mails"),
    ("Sign-in rules", "Sign-in rules"),
    ("Single sign-on", "Single sign-on"),
    ("HR sync", "HR file sync"),
    ("Scheduled jobs", "Scheduled jobs"),
    ("Audit log", "Audit log"),
]


def test_an_org_admin_opens_every_governance_page_and_makes_a_scim_token(
    live_server, browser_page, olga, org
):
    page = browser_page
    shot = Screenshots("governance")
    sign_in(page, live_server, olga)
    for link, heading in GOVERNANCE_PAGES:
        page.get_by_role("navigation", name="Main").get_by_role("link", name=link, exact=True).click()
        page.get_by_role("heading", level=1, name=heading, exact=True).wait_for()
        shot(page, link.lower().replace(" ", "-"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Provisioning (SCIM)").click()
    page.get_by_role("heading", level=1, name="Provisioning (SCIM)").wait_for()
    page.get_by_label("Token name").fill("Okta")
    page.get_by_role("button", name="Make token").click()
    page.get_by_text("Copy your new token now: it is shown only once.").wait_for()
    shot(page, "scim-token")
    token = ScimToken.objects.get(organisation=org)
    assert page.get_by_label("New token").input_value().startswith(f"scim_{token.prefix}")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    page.get_by_role("cell", name="Okta").first.wait_for()
    shot(page, "audit-log-with-token")
