"""Privacy in a real browser: a participant reads and downloads their data from the account menu;
an org admin sets retention periods and erases a person after the confirmation step. Every page
visited gets the journeys' axe-core and 320 px checks (tests/browser/conftest.py)."""

import json
from pathlib import Path

from mentora.people.models import Person
from mentora.privacy.models import RetentionPolicy
from tests.browser.journey import Screenshots, sign_in


def test_a_participant_downloads_their_data(live_server, browser_page, alice):
    page = browser_page
    shot = Screenshots("privacy-my-data")
    sign_in(page, live_server, alice)
    page.get_by_role("link", name="My data").click()
    page.get_by_role("heading", name="My data", exact=True).wait_for()
    page.get_by_role("heading", name="Profile and HR record").wait_for()
    shot(page, "my-data")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a JSON file").click()
    document = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert document["person"]["full_name"] == "Alice Archer"


def test_an_org_admin_sets_retention_and_erases_a_person(live_server, browser_page, olga, bob, org):
    page = browser_page
    shot = Screenshots("privacy-admin")
    sign_in(page, live_server, olga)
    page.get_by_role("link", name="Privacy", exact=True).click()
    page.get_by_role("heading", name="Privacy", exact=True).wait_for()
    page.get_by_label("Private notes, after their relationship ended").fill("12")
    page.get_by_role("button", name="Save retention periods").click()
    page.get_by_text("Retention periods saved.").wait_for()
    assert RetentionPolicy.objects.get(organisation=org).private_notes_months == 12
    shot(page, "retention-saved")

    page.get_by_label("E-mail or employee id of the person to erase").fill(bob.email)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Erase Bob Baker").wait_for()
    page.get_by_label("Reason (kept in the audit log)").fill("Bob asked for erasure")
    page.get_by_label("I understand that this erases").check()
    shot(page, "confirm")
    page.get_by_role("button", name="Erase for good").click()
    page.get_by_text("The person was erased.").wait_for()
    shot(page, "erased")
    assert Person.objects.get(pk=bob.pk).full_name == "Former participant"
