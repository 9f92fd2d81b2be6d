"""A mentee answers her fit survey from the navigation; the program's manager sees no figure while
too few answered, and the published figures once enough did: in a real browser."""

import datetime

from mentora.core.privacy import MIN_AGGREGATE_GROUP
from mentora.surveys import selectors, services
from tests.browser.journey import Screenshots, new_page, sign_in
from tests.surveys.fixtures import answers_for, fit, pairs  # noqa: F401
from tests.workspace.fixtures import dora, other_relationship, program, relationship  # noqa: F401

SECRET = "SECRET-WHY: we talk past each other"


def test_a_mentee_answers_and_the_manager_sees_figures_only_when_enough_answered(
    live_server,
    browser,
    pairs,  # noqa: F811
    fit,  # noqa: F811
    pam,
    program,  # noqa: F811
):
    services.surveys_issue_due(today=datetime.date(2031, 1, 16))
    alice = pairs[0].mentee
    shot = Screenshots("surveys")

    page = new_page(browser)
    sign_in(page, live_server, alice)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My surveys").click()
    page.get_by_role("heading", name="My surveys").wait_for()
    shot(page, "mine")
    page.get_by_role("link", name="First-session fit: mentored by Bob Baker").click()
    page.get_by_role("radio", name="4").check()
    page.get_by_label("What would make it work better? (Only you can read this.)").fill(SECRET)
    shot(page, "form")
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("Thank you. Only you can see your answers.").wait_for()
    assert SECRET in page.inner_text("main")
    shot(page, "answered")

    manager = new_page(browser)
    sign_in(manager, live_server, pam)
    manager.goto(f"{live_server.url}/surveys/programs/{program.pk}/results/")
    manager.get_by_role("heading", name="First-session fit").wait_for()
    assert "Nothing published yet" in manager.inner_text("main")
    shot(manager, "too-few")

    for person in [p for pair in pairs[1:] for p in (pair.mentee, pair.mentor)][: MIN_AGGREGATE_GROUP - 1]:
        instance = selectors.surveys_pending_for(person=person)[0]
        services.survey_answer(instance=instance, person=person, answers=answers_for(instance, fit=5))
    manager.reload()
    manager.get_by_role("table", name="Mean score per measure (1–5)").wait_for()
    text = manager.inner_text("main")
    assert "Nothing published yet" not in text.split("Would you recommend")[0]
    assert SECRET not in text
    shot(manager, "published")
