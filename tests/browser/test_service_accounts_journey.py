"""An org admin makes a service account in a real browser: the page opens from the menu, the scopes
are ticked by their labels, the token shows once and works against the API, and revoking it from the
table stops it. Every page visited gets the journeys' axe-core and 320 px checks
(tests/browser/conftest.py)."""

from django.test import Client

from mentora.serviceaccounts.models import ServiceAccount
from tests.browser.journey import Screenshots, sign_in


def test_an_org_admin_makes_uses_and_revokes_a_service_account(live_server, browser_page, olga, org):
    page = browser_page
    shot = Screenshots("service-accounts")
    sign_in(page, live_server, olga)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Service accounts").click()
    page.get_by_role("heading", level=1, name="Service accounts").wait_for()
    page.get_by_label("Name").fill("Workday sync")
    page.get_by_label("people:read", exact=False).check()
    page.get_by_label("audit:read", exact=False).check()
    page.get_by_label("Expires after").select_option("30")
    page.get_by_role("button", name="Make service account").click()
    page.get_by_text("Copy your new token now: it is shown only once.").wait_for()
    shot(page, "made")

    raw = page.get_by_label("New token").input_value()
    account = ServiceAccount.objects.get(organisation=org)
    assert raw.startswith(f"svc_{account.prefix}") and account.scopes == ["people:read", "audit:read"]
    assert Client().get("/api/people/", headers={"Authorization": f"Bearer {raw}"}).status_code == 200

    page.get_by_role("button", name="Revoke Workday sync").click()
    page.get_by_text("Service account revoked: its token no longer works.").wait_for()
    shot(page, "revoked")
    assert Client().get("/api/people/", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
