"""A participant signs in, adds a skill they can offer, and sees it saved: in a real browser.

Uses Debian's Chromium (never a downloaded browser). Screenshots go to test-artifacts/.
"""

from django.urls import reverse

from tests.browser.journey import Screenshots, sign_in


def test_a_participant_adds_a_skill_they_can_offer(live_server, browser_page, alice, python_skill):
    page = browser_page
    shot = Screenshots("profile")

    sign_in(page, live_server, alice)
    page.get_by_role("heading", name="Welcome, Alice Archer").wait_for()
    shot(page, "home")

    page.get_by_role("link", name="Edit my profile and skills").click()
    page.get_by_role("heading", name="Edit my profile").wait_for()
    page.get_by_label("Skill 1", exact=True).first.select_option(label="Python")
    page.locator("#id_offered-0-level").select_option("4")
    page.get_by_label("Location").fill("Leeds")
    shot(page, "edit")
    page.get_by_role("button", name="Save my profile").click()

    page.get_by_text("Your profile is saved.").wait_for()
    shot(page, "saved")
    offers = page.get_by_role("region", name="Can offer")
    assert "Python — level 4 of 5" in offers.inner_text()
    assert page.url.endswith(reverse("people:me"))
    assert list(alice.offered_skills.values_list("skill__name", "level")) == [("Python", 4)]
