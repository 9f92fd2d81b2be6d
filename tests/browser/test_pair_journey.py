"""A pair works together in their space, in a real browser: they agree, the mentee sets a goal,
schedules a meeting and prepares questions; after it, the mentor logs it, answers a check-in and
proposes to close the relationship with a reflection (goals met), and the mentee confirms.

The journey is one function made of steps (helpers below), so that later steps slot in where the
comments say: the agreement before the goal, a check-in and the closure after the log.
Uses Debian's Chromium (never a downloaded browser). Screenshots go to test-artifacts/.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentora.agreements.models import Agreement, Closure, Reflection
from mentora.checkins.models import CheckinAnswer
from mentora.checkins.services import checkins_issue_due
from mentora.goals.models import Goal
from mentora.meetings.models import Meeting, MeetingStatus
from mentora.programs.models import ProgramStatus
from mentora.relationships.models import Relationship, RelationshipStatus
from tests.browser.journey import Screenshots, announced, focus_is_in, new_page, sign_in
from tests.factories import WantedSkillFactory
from tests.programs.factories import ProgramFactory
from tests.workspace.fixtures import active_relationship


@pytest.fixture
def pair(org, pam, alice, bob, python_skill):
    """Bob mentors Alice, who wants to grow in Python."""
    program = ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.RUNNING)
    WantedSkillFactory(person=alice, skill=python_skill)
    return active_relationship(program, bob, alice)


class Journey:
    """The browser, the server and a numbered screenshot after every step."""

    def __init__(self, browser, live_server):
        self.browser, self.live_server = browser, live_server
        self.shot = Screenshots("pair")

    def sign_in(self, person):
        page = new_page(self.browser)
        sign_in(page, self.live_server, person)
        page.get_by_role("link", name="My mentoring").wait_for()
        return page


def open_space(journey, page, partner_name: str) -> None:
    page.get_by_role("link", name="My mentoring").click()
    page.get_by_role("link", name=f"Open our space with {partner_name}").click()
    page.get_by_role("heading", name="Goals").wait_for()


def set_goal(journey, page) -> None:
    page.get_by_role("link", name="Set a goal").click()
    page.get_by_label("Specific: what exactly do you want to achieve?").fill("Give a talk at the all-hands")
    page.get_by_label("Measurable: how will you know you got there?").fill("Talk given, five questions asked")
    page.get_by_label("Achievable: the steps, and the help you need").fill("Outline, two rehearsals with Bob")
    page.get_by_label("Relevant: why this goal, and why now?").fill("Leads explain their decisions")
    target = timezone.localdate() + datetime.timedelta(days=120)
    page.get_by_label("Time-bound: target date").fill(target.isoformat())
    page.get_by_label("Python").check()
    journey.shot(page, "goal-form")
    page.get_by_role("button", name="Save the goal").click()
    page.get_by_text("Goal saved.").wait_for()
    # Milestones are added and ticked in place (htmx), with the keyboard.
    page.get_by_label("New milestone").fill("Write the outline")
    page.get_by_label("New milestone").press("Enter")
    page.get_by_role("button", name="Mark “Write the outline” as done").click()
    page.get_by_role("button", name="Mark “Write the outline” as not done").wait_for()
    # The swap replaced the button that had focus: focus stays in the list, and the change is said.
    announced(page, "Updated: Milestones")
    assert focus_is_in(page, "#milestones")
    page.get_by_label("Progress (%)").fill("25")
    page.get_by_role("button", name="Record progress").click()
    page.get_by_text("Progress recorded.").wait_for()
    journey.shot(page, "goal")
    page.get_by_role("link", name="Our space").click()


def schedule_meeting(journey, page) -> None:
    page.get_by_role("link", name="Schedule a meeting").click()
    when = timezone.localtime(timezone.now() + datetime.timedelta(days=7)).replace(hour=10, minute=0)
    page.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Duration (minutes)").fill("45")
    page.get_by_label("Place").fill("Café on the 3rd floor")
    journey.shot(page, "meeting-form")
    page.get_by_role("button", name="Schedule the meeting").click()
    page.get_by_text("Meeting scheduled.").wait_for()
    # Always come prepared with specific questions.
    page.get_by_label("My specific questions").fill("How do I open a talk to 200 people?")
    page.get_by_role("button", name="Save my preparation").click()
    page.locator("#prep").get_by_text("Preparation saved.").wait_for()
    journey.shot(page, "meeting-prepared")


def time_passes_until_after_the_meeting(relationship) -> None:
    Meeting.objects.filter(relationship=relationship).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2)
    )


def log_meeting(journey, page) -> None:
    page.locator("#meetings").get_by_role("link").filter(has_text=":").first.click()
    page.get_by_role("heading", name="Afterwards").wait_for()
    assert "How do I open a talk to 200 people?" in page.inner_text("main")
    page.get_by_label("Yes, it happened").check()
    page.get_by_label("How long did it last (minutes)?").fill("50")
    page.get_by_label("Topics").fill("Openings, handling questions")
    page.get_by_role("radio", name="5").check()
    page.get_by_role("button", name="Log the meeting").click()
    page.get_by_text("Meeting logged. Thank you.").wait_for()
    journey.shot(page, "meeting-logged")


def agree(journey, page, *, write: bool) -> None:
    """The agreement: the mentee writes it and confirms, the mentor confirms, one agenda step each."""
    page.get_by_role("link", name="Open the agreement").click()
    page.get_by_role("heading", name="Our mentoring agreement").wait_for()
    if write:
        page.get_by_label("Expectations", exact=True).fill("Alice brings questions; Bob shares his path.")
        page.get_by_label("Confidentiality", exact=True).fill("What we say stays between us.")
        page.get_by_label("How often we meet", exact=True).fill("Every two weeks, 45 minutes")
        page.get_by_label("Where we meet", exact=True).fill("Café on the 3rd floor")
        page.get_by_label("How either of us can end it", exact=True).fill("Either of us says so; no blame.")
        page.get_by_role("button", name="Save the agreement").click()
        page.get_by_text("Agreement saved.").wait_for()
        step = "Introduce yourselves: background, what brought you here"
    else:
        step = "The mentee says what they want to grow in this cycle"
    page.get_by_role("button", name="I confirm this agreement").click()
    page.get_by_text("You confirmed on").wait_for()
    # The first-meeting agenda is ticked in place (htmx).
    page.get_by_role("button", name=step, pressed=False).click()
    page.get_by_role("button", name=step, pressed=True).wait_for()
    journey.shot(page, "agreement")
    page.get_by_role("link", name="Our space with").click()
    page.get_by_role("heading", name="Goals").wait_for()


def time_passes_until_a_checkin_is_due(relationship) -> None:
    Relationship.objects.filter(pk=relationship.pk).update(
        started_at=timezone.now() - datetime.timedelta(days=29)
    )
    checkins_issue_due()


def answer_checkin(journey, page) -> None:
    page.reload()
    page.locator("#checkins").get_by_role("link", name="Answer the Pulse check-in").click()
    page.get_by_role("radio", name="4").check()
    page.get_by_label("Every two weeks").check()
    page.get_by_label("Anything blocking you?").fill("Finding a quiet room.")
    journey.shot(page, "checkin")
    page.get_by_role("button", name="Send my answer").click()
    page.get_by_text("Thank you. Only you can see your answer.").wait_for()


def close(journey, page, partner) -> None:
    """The mentor proposes to close because the goals are met; the mentee confirms."""
    page.goto(journey.live_server.url + reverse("relationships:mine"))
    page.get_by_role("link", name="Open our space with Alice Archer").click()
    page.get_by_role("link", name="Close, extend or reflect").click()
    page.get_by_label("Our goals are met").check()
    page.locator("form", has=page.get_by_role("button", name="Close the relationship")).get_by_label(
        "What I learned"
    ).fill("Mentors learn too: how to listen before advising.")
    journey.shot(page, "closure-form")
    page.get_by_role("button", name="Close the relationship").click()
    page.get_by_text("Your partner is asked to confirm that your goals are met.").wait_for()
    journey.shot(page, "closure-proposed")
    partner.goto(journey.live_server.url + reverse("relationships:mine"))
    partner.get_by_role("link", name="Open our space with Bob Baker").click()
    partner.get_by_role("link", name="Close, extend or reflect").click()
    partner.get_by_role("button", name="Yes, our goals are met: close").click()
    partner.get_by_text("kept as read-only history").first.wait_for()
    assert "how to listen before advising" in partner.inner_text("main")
    journey.shot(partner, "closed")


def test_a_pair_agrees_sets_a_goal_meets_checks_in_and_closes(live_server, browser, pair, alice, bob):
    journey = Journey(browser, live_server)

    mentee = journey.sign_in(alice)
    open_space(journey, mentee, "Bob Baker")
    journey.shot(mentee, "space")
    agree(journey, mentee, write=True)
    set_goal(journey, mentee)
    schedule_meeting(journey, mentee)

    time_passes_until_after_the_meeting(pair)
    mentor = journey.sign_in(bob)
    open_space(journey, mentor, "Alice Archer")
    assert "Give a talk at the all-hands" in mentor.inner_text("#goals")
    assert mentor.get_by_role("link", name="Set a goal").count() == 0
    agree(journey, mentor, write=False)
    log_meeting(journey, mentor)
    time_passes_until_a_checkin_is_due(pair)
    mentor.goto(live_server.url + reverse("workspace:pair", args=[pair.pk]))
    answer_checkin(journey, mentor)
    close(journey, mentor, mentee)

    goal = Goal.objects.get(relationship=pair)
    assert goal.progress == 25 and goal.milestones.get().is_done
    meeting = Meeting.objects.get(relationship=pair)
    assert meeting.status == MeetingStatus.HAPPENED and meeting.mentor_rating == 5
    assert meeting.prep.questions == "How do I open a talk to 200 people?"
    agreement = Agreement.objects.get(relationship=pair)
    assert agreement.is_confirmed and agreement.agenda_checks.count() == 2
    assert CheckinAnswer.objects.get().checkin.respondent == bob
    pair.refresh_from_db()
    assert pair.status == RelationshipStatus.ENDED and Closure.objects.get().reason == "goals_met"
    assert Reflection.objects.get().author == bob
