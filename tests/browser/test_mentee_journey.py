"""A mentee picks a mentor from their shortlist, with a note; the mentor accepts: in a real browser.

Uses Debian's Chromium (never a downloaded browser). Screenshots go to test-artifacts/.
"""

import pytest

from mentora.pairing import choose_selectors
from mentora.relationships.models import Relationship, RelationshipStatus
from tests.browser.journey import Screenshots, new_page, sign_in
from tests.pairing.choose_setup import PRIVATE_WORDS, cohort


@pytest.fixture(autouse=True)
def fresh_shortlister():
    choose_selectors.shortlister_cache_clear()
    yield
    choose_selectors.shortlister_cache_clear()


def signed_in(browser, live_server, person):
    page = new_page(browser)
    sign_in(page, live_server, person)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentor choice").wait_for()
    return page


def test_a_mentee_picks_a_mentor_from_the_shortlist_and_the_mentor_accepts(
    live_server, browser, org, alice, pam
):
    c = cohort(org, alice, pam)
    shot = Screenshots("mentee")

    # The mentee opens their shortlist from the navigation.
    page = signed_in(browser, live_server, c.alice)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentor choice").click()
    page.get_by_role("link", name=c.program.name).click()
    page.get_by_role("heading", name="Choose your mentor").wait_for()
    shortlist = page.locator("ol.shortlist")
    assert shortlist.locator("> li").count() == 2
    first = shortlist.locator("> li").first
    assert "Mo Mentor" in first.inner_text() and "Why this mentor" in first.inner_text()
    text = page.content()
    for word in PRIVATE_WORDS:
        assert word not in text
    shot(page, "shortlist")

    # Reads Mo's public profile and asks, with a short note.
    first.get_by_role("link", name="Read Mo Mentor's profile").click()
    page.get_by_role("heading", name="Mo Mentor", exact=True).wait_for()
    assert "Staff engineer" in page.inner_text("main")
    page.get_by_label("A short note for the mentor (optional)").fill("I want to write better Python tests.")
    shot(page, "profile")
    page.get_by_role("button", name="Send my request").click()
    page.get_by_text("Your request was sent to Mo Mentor.").wait_for()
    assert "We are waiting for their answer." in page.inner_text("main")
    shot(page, "requested")

    # The mentor sees the request with the note, and accepts.
    mentor_page = signed_in(browser, live_server, c.mo)
    mentor_page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentor choice").click()
    mentor_page.get_by_role("link", name=c.program.name).click()
    mentor_page.get_by_role("heading", name="Requests from mentees").wait_for()
    assert "I want to write better Python tests." in mentor_page.inner_text("main")
    shot(mentor_page, "request")
    mentor_page.get_by_role("button", name="Accept Alice Archer").click()
    mentor_page.get_by_text("You accepted Alice Archer: your relationship has started.").wait_for()
    shot(mentor_page, "accepted")

    # The mentee sees their mentor.
    page.reload()
    page.get_by_text("Mo Mentor is your mentor in this program.").wait_for()
    shot(page, "mentored")
    relationship = Relationship.objects.get(mentee=c.alice)
    assert relationship.mentor == c.mo and relationship.status == RelationshipStatus.ACTIVE
