"""Accounts in a real browser: an imported person gets an activation e-mail from the org admin's
page, opens the link, chooses a password and signs in; "forgot password" answers a known and an
unknown address alike; an org admin requires a second factor and a program manager sets up an
authenticator app, then signs in with its code. Every page visited gets the journeys' axe-core and
320 px checks (tests/browser/conftest.py)."""

import re

import pytest
from django.core import mail

from mentora.organisations.models import Role
from tests.accounts.totp import totp_code
from tests.browser.journey import Screenshots, new_page, sign_in
from tests.factories import PASSWORD, PersonFactory

NEW_PASSWORD = "nina-chooses-a-long-passphrase"


@pytest.fixture
def nina(org):
    """Imported: no usable password, never signed in."""
    person = PersonFactory(organisation=org, full_name="Nina Newcomer", roles=[Role.PARTICIPANT])
    person.user.set_unusable_password()
    person.user.save()
    return person


def test_an_imported_person_activates_her_account_and_signs_in(
    live_server, browser, immediate_tasks, olga, nina
):
    page = new_page(browser)
    shot = Screenshots("accounts-activation")
    sign_in(page, live_server, olga)
    page.get_by_role("link", name="Activation e-mails").click()
    page.get_by_role("heading", name="Activation e-mails").wait_for()
    page.get_by_label("Everyone of the organisation who has never signed in").check()
    shot(page, "choose")
    page.get_by_role("button", name="Send activation e-mails").click()
    page.get_by_text("The activation e-mails are being sent").wait_for()
    shot(page, "sent")
    assert [message.to for message in mail.outbox] == [[nina.email]]
    link = re.search(r"https?://\S+/accounts/activate/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]

    newcomer = new_page(browser)
    newcomer.goto(live_server.url + path)
    newcomer.get_by_role("heading", name="Choose your password").wait_for()
    newcomer.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    newcomer.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    shot(newcomer, "choose-password")
    newcomer.get_by_role("button", name="Set my password").click()
    newcomer.get_by_text("Your password is set").wait_for()
    newcomer.get_by_label("Work e-mail").fill(nina.email)
    newcomer.get_by_label("Password").fill(NEW_PASSWORD)
    newcomer.get_by_role("button", name="Sign in").click()
    newcomer.get_by_role("link", name="My profile", exact=True).wait_for()
    shot(newcomer, "signed-in")


def test_forgot_password_answers_known_and_unknown_addresses_alike(live_server, browser_page, alice):
    page = browser_page
    shot = Screenshots("accounts-forgot")
    texts = []
    for address in (alice.email, "nobody-here@example.com"):
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_role("link", name="Forgot your password?").click()
        page.get_by_role("heading", name="Forgot your password?").wait_for()
        page.locator("input[name=email]").fill(address)
        page.get_by_role("button", name="Send the link").click()
        page.get_by_role("heading", name="Check your e-mail").wait_for()
        texts.append(page.locator("main").inner_text())
        shot(page, "asked")
    assert texts[0] == texts[1]
    assert [message.to for message in mail.outbox] == [[alice.email], ["nobody-here@example.com"]]


def test_a_manager_is_made_to_set_up_a_second_factor_and_signs_in_with_it(
    live_server, browser, settings, olga, pam
):
    # A code stays valid one period either side, so a slow machine cannot make the typed code stale.
    settings.MFA_TOTP_TOLERANCE = 1
    admin = new_page(browser)
    shot = Screenshots("accounts-mfa")
    sign_in(admin, live_server, olga)
    admin.get_by_role("link", name="Sign-in rules").click()
    admin.get_by_label(
        "Require a second factor (authenticator app) for org admins and program managers"
    ).check()
    admin.get_by_role("button", name="Save").click()
    admin.get_by_text("The sign-in rules are saved.").wait_for()
    shot(admin, "rule-on")

    page = new_page(browser)
    sign_in(page, live_server, pam)
    # Sent to set up the factor first: allauth asks for the password again, then shows the key.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Set up an authenticator app").wait_for()
    shot(page, "set-up")
    secret = page.locator("#authenticator-secret").inner_text().strip()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on").click()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Second factor").wait_for()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, pam)
    page.get_by_role("heading", name="Second factor").wait_for()
    shot(page, "code")
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="My profile", exact=True).wait_for()
    shot(page, "signed-in")
