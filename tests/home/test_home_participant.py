"""The participant's home in one glance: relationships, next meeting, open goals, pending check-ins,
requests and programs; each with data and empty, privacy, a fixed query count, the API, and a
meeting across a DST change in the viewer's own zone.

Bob mentors Alice in Program P (tests.workspace.fixtures). Mo mentors Dora in the same program:
nothing of theirs may reach Alice's or Bob's home.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentora.agreements import closure
from mentora.api.services import api_token_create
from mentora.checkins.models import Checkin, CheckinAnswer, CheckinKind, CheckinStatus
from mentora.core.roles import viewer_for
from mentora.goals import services as goal_services
from mentora.goals.models import GoalStatus
from mentora.home.selectors import home_for
from mentora.meetings import services as meeting_services
from mentora.notes import services as note_services
from mentora.organisations.models import Role
from mentora.programs.models import EnrolmentStatus, MatchingMode, ProgramStatus
from mentora.relationships import services as relationship_services
from mentora.relationships.models import RelationshipOrigin
from tests.factories import PersonFactory, SelfAssessmentFactory, UserFactory, api_headers
from tests.meetings.test_pages_api import next_uk_fall_back, next_uk_spring_forward
from tests.meetings.test_services import in_the_past, schedule, soon
from tests.programs.factories import EnrolmentFactory, ProgramFactory

UTC = datetime.UTC


def home_page(client, person) -> str:
    client.force_login(person.user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def home_api(client, person):
    return client.get("/api/me/home", headers=api_headers(person))


def goal(relationship, mentee, title="Lead a design review", **fields):
    target = timezone.localdate() + datetime.timedelta(days=60)
    return goal_services.goal_create(
        relationship=relationship,
        person=mentee,
        title=title,
        measure="One review led",
        plan="Shadow two first",
        relevance="Next step to senior",
        target_date=fields.pop("target_date", target),
    )


def checkin(relationship, respondent, **fields):
    fields = {"kind": CheckinKind.PULSE, "due_on": timezone.localdate() + datetime.timedelta(days=3)} | fields
    return Checkin.objects.create(relationship=relationship, respondent=respondent, **fields)


# ---- relationships ---------------------------------------------------------------------------


def test_it_shows_relationships_on_both_sides_with_the_space_link_and_the_consent_action(
    client, relationship, program, alice, dora
):
    EnrolmentFactory(program=program, person=alice, role="mentor", capacity=2)
    EnrolmentFactory(program=program, person=dora, role="mentee")
    pending = relationship_services.relationship_create_pending(
        program=program, mentor=alice, mentee=dora, origin=RelationshipOrigin.PROPOSAL
    )
    text = home_page(client, alice)
    assert "Mentored by <bdi>Bob Baker</bdi>" in text
    assert f'href="/pairs/{relationship.pk}/"' in text
    assert "Mentoring <bdi>Dora Dean</bdi>" in text
    assert reverse("relationships:consent", args=[pending.pk]) in text
    assert reverse("relationships:decline", args=[pending.pk]) in text
    assert f'href="/pairs/{pending.pk}/"' not in text  # no space before both agree

    home = home_for(viewer=viewer_for(alice.user))
    assert [(r.partner_name, r.status) for r in home.as_mentee] == [("Bob Baker", "active")]
    assert [(r.partner_name, r.status, r.i_consented) for r in home.as_mentor] == [
        ("Dora Dean", "pending_consent", False)
    ]


def test_it_says_where_to_start_when_the_person_is_in_no_program(client, alice):
    text = home_page(client, alice)
    assert "You're not in a program yet — see programs open to you." in text
    assert "Meetings appear here once you have a mentoring relationship." in text
    assert "Goals appear here once you have a mentoring relationship." in text
    assert "No check-in is waiting for you." in text
    assert "No other program is open to you right now." in text
    assert "Requests waiting for you" not in text


def test_it_says_the_person_waits_for_a_match_when_enrolled_but_unpaired(client, program, alice):
    EnrolmentFactory(program=program, person=alice, role="mentee")
    text = home_page(client, alice)
    assert "You are in a program but not paired yet." in text
    assert "My programs" in text and "Program P" in text


def test_past_relationships_are_left_to_the_my_mentoring_page(client, relationship, alice, bob):
    closure.relationship_end_no_fault(relationship=relationship, person=bob, reason="PRIVATE-END")
    text = home_page(client, alice)
    assert "Mentored by <bdi>Bob Baker</bdi>" not in text and "PRIVATE-END" not in text
    assert reverse("relationships:mine") in text


# ---- next meeting ----------------------------------------------------------------------------


def test_it_shows_the_soonest_scheduled_meeting_with_its_ics_link(client, relationship, alice):
    later = schedule(relationship, alice, starts_at=soon(96))
    cancelled = schedule(relationship, alice, starts_at=soon(24))
    meeting_services.meeting_cancel(meeting=cancelled, person=alice, version=cancelled.version)
    in_the_past(schedule(relationship, alice, starts_at=soon(30)))
    nearest = schedule(relationship, alice, starts_at=soon(48), video_url="https://meet.example.com/x")

    text = home_page(client, alice)
    assert reverse("meetings:ics", args=[relationship.pk, nearest.pk]) in text
    assert reverse("meetings:ics", args=[relationship.pk, later.pk]) not in text
    assert "With <bdi>Bob Baker</bdi>, 60 minutes." in text and "https://meet.example.com/x" in text
    assert "Europe/London" in text


def test_it_invites_the_pair_to_plan_a_meeting_when_none_is_scheduled(client, relationship, alice):
    assert "No meeting is planned." in home_page(client, alice)


# ---- goals -----------------------------------------------------------------------------------


def test_it_shows_open_goals_with_progress_to_both_sides(client, relationship, alice, bob):
    open_goal = goal(relationship, alice)
    goal_services.progress_add(goal=open_goal, person=alice, percent=40, text="Shadowed one review")
    done = goal(relationship, alice, title="Give a lightning talk")
    done.status = GoalStatus.ACHIEVED
    done.save()

    text = home_page(client, alice)
    assert "Lead a design review" in text and "Give a lightning talk" not in text
    assert 'value="40"' in text and "40% done" in text
    assert f'<label for="goal-progress-{open_goal.pk}">' in text
    assert "with your mentor <bdi>Bob Baker</bdi>" in text
    assert "Shadowed one review" not in text  # progress text stays in the pair's space

    bob_text = home_page(client, bob)
    assert "Lead a design review" in bob_text and "<bdi>Alice Archer</bdi>'s goal" in bob_text


def test_it_asks_the_mentee_to_set_a_goal_when_none_is_open(client, relationship, alice, bob):
    assert "You have no open goal." in home_page(client, alice)
    assert "Your mentees have no open goal yet." in home_page(client, bob)


# ---- check-ins -------------------------------------------------------------------------------


def test_it_lists_pending_check_ins_and_never_an_answer(client, relationship, alice, bob):
    pending = checkin(relationship, alice)
    answered = checkin(
        relationship,
        alice,
        kind=CheckinKind.MIDPOINT,
        status=CheckinStatus.ANSWERED,
        answered_at=timezone.now(),
    )
    CheckinAnswer.objects.create(
        checkin=answered, usefulness=2, meeting_frequency="rarely", blockers="SECRET"
    )
    bobs = checkin(relationship, bob)

    text = home_page(client, alice)
    assert reverse("checkins:answer", args=[pending.pk]) in text
    assert "Answer the Pulse check-in about <bdi>Bob Baker</bdi>" in text
    assert reverse("checkins:answer", args=[answered.pk]) not in text
    assert reverse("checkins:answer", args=[bobs.pk]) not in text
    assert "SECRET" not in text and "SECRET" not in home_page(client, bob)


# ---- mentees' requests -----------------------------------------------------------------------


@pytest.fixture
def choice_program(org, pam):
    return ProgramFactory(
        organisation=org,
        managers=[pam],
        status=ProgramStatus.RUNNING,
        matching_mode=MatchingMode.MENTEE_CHOICE,
        name="Program C",
    )


def test_a_mentor_sees_mentees_requests_waiting_for_an_answer_once(client, choice_program, bob, dora):
    EnrolmentFactory(program=choice_program, person=bob, role="mentor", capacity=2)
    EnrolmentFactory(program=choice_program, person=dora, role="mentee")
    request = relationship_services.relationship_create_pending(
        program=choice_program, mentor=bob, mentee=dora, origin=RelationshipOrigin.MENTEE_REQUEST
    )
    text = home_page(client, bob)
    assert "<bdi>Dora Dean</bdi> asked you to be their mentor in <bdi>Program C</bdi>." in text
    assert reverse("pairing:choose_requests", args=[choice_program.pk]) in text
    # Answered from the requests page, not also from the relationships list.
    assert "Mentoring <bdi>Dora Dean</bdi>" not in text
    assert reverse("relationships:consent", args=[request.pk]) not in text
    # Dora, who asked, sees her request waiting for Bob.
    dora_text = home_page(client, dora)
    assert (
        "Mentored by <bdi>Bob Baker</bdi>" in dora_text
        and "You agreed. Waiting for the other person." in dora_text
    )
    assert "Requests waiting for you" not in dora_text


# ---- programs --------------------------------------------------------------------------------


def test_it_lists_programs_open_to_the_person_and_their_own(client, org, other_org, program, alice):
    open_program = ProgramFactory(organisation=org, status=ProgramStatus.OPEN, name="Open to all")
    ProgramFactory(organisation=org, status=ProgramStatus.DRAFT, name="Still a draft")
    ProgramFactory(organisation=other_org, status=ProgramStatus.OPEN, name="Globex program")
    EnrolmentFactory(program=program, person=alice, role="mentee", status=EnrolmentStatus.APPLIED)

    text = home_page(client, alice)
    assert "Open to all" in text and reverse("programs:detail", args=[open_program.pk]) in text
    assert "Still a draft" not in text and "Globex program" not in text
    home = home_for(viewer=viewer_for(alice.user))
    assert [p.name for p in home.open_programs] == ["Open to all"]
    assert [(p.name, [e.status for e in p.enrolments]) for p in home.my_programs] == [
        ("Program P", ["applied"])
    ]
    assert not home.in_a_program


# ---- privacy ---------------------------------------------------------------------------------


def test_another_pairs_meetings_goals_and_check_ins_never_show(
    client, relationship, other_relationship, alice, dora
):
    mo = other_relationship.mentor
    schedule(other_relationship, dora, starts_at=soon(2), place="DORA-PLACE")
    goal(other_relationship, dora, title="DORA-GOAL")
    checkin(other_relationship, dora)
    checkin(other_relationship, mo)

    for person in (alice, relationship.mentor):
        text = home_page(client, person)
        assert "DORA-PLACE" not in text and "DORA-GOAL" not in text and "Dora Dean" not in text
        home = home_for(viewer=viewer_for(person.user))
        assert home.next_meeting is None and home.goals == [] and home.checkins == []


def test_private_notes_and_the_partners_private_data_never_show(client, relationship, alice, bob):
    note_services.note_create(relationship=relationship, person=bob, visibility="private", body="BOB-PRIVATE")
    note_services.note_create(
        relationship=relationship, person=alice, visibility="private", body="ALICE-PRIVATE"
    )
    note_services.note_create(
        relationship=relationship, person=alice, visibility="shared", body="SHARED-NOTE"
    )
    SelfAssessmentFactory(person=bob, reflection="BOB-SELF-ASSESSMENT")

    for person in (alice, bob):
        text = home_page(client, person)
        api_text = home_api(client, person).content.decode()
        for secret in ("BOB-PRIVATE", "ALICE-PRIVATE", "BOB-SELF-ASSESSMENT"):
            assert secret not in text and secret not in api_text
        # Notes live in the pair's space; the home page shows none, shared ones included.
        assert "SHARED-NOTE" not in text and "SHARED-NOTE" not in api_text


def test_managers_and_outsiders_without_a_role_as_participant_get_no_participant_panels(
    client, relationship, pam
):
    schedule(relationship, relationship.mentee, place="PAIR-PLACE")
    client.force_login(pam.user)
    response = client.get(reverse("home"))
    assert "home" not in response.context
    assert "PAIR-PLACE" not in response.content.decode()


# ---- a fixed number of queries ---------------------------------------------------------------


def _busy_mentor(program, mentor, count: int):
    """`mentor` mentors `count` mentees, each pair with a meeting, two open goals and a check-in."""
    EnrolmentFactory(program=program, person=mentor, role="mentor", capacity=count)
    for _ in range(count):
        mentee = PersonFactory(organisation=program.organisation, roles=[Role.PARTICIPANT])
        EnrolmentFactory(program=program, person=mentee, role="mentee")
        pair = relationship_services.relationship_create_pending(
            program=program, mentor=mentor, mentee=mentee, origin=RelationshipOrigin.PROPOSAL
        )
        relationship_services.relationship_consent(relationship=pair, person=mentor)
        pair = relationship_services.relationship_consent(relationship=pair, person=mentee)
        schedule(pair, mentor)
        goal(pair, mentee)
        goal(pair, mentee, title="Second goal")
        checkin(pair, mentor)
    # One pending consent and one open program as well, so every panel has rows.
    waiting = PersonFactory(organisation=program.organisation, roles=[Role.PARTICIPANT])
    EnrolmentFactory(program=program, person=waiting, role="mentee")
    mentor_enrolment = program.enrolments.get(person=mentor, role="mentor")
    mentor_enrolment.capacity = count + 1
    mentor_enrolment.save()
    relationship_services.relationship_create_pending(
        program=program, mentor=mentor, mentee=waiting, origin=RelationshipOrigin.PROPOSAL
    )
    ProgramFactory(organisation=program.organisation, status=ProgramStatus.OPEN)


HOME_QUERIES = 8


@pytest.mark.parametrize("count", [1, 5])
def test_the_home_costs_the_same_queries_for_1_and_5_relationships(
    django_assert_num_queries, program, relationship, alice, count
):
    _busy_mentor(program, alice, count)
    viewer = viewer_for(alice.user)
    with django_assert_num_queries(HOME_QUERIES):
        home = home_for(viewer=viewer)
    assert len(home.as_mentor) == count + 1 and len(home.as_mentee) == 1
    assert len(home.goals) == 2 * count and len(home.checkins) == count
    assert home.next_meeting is not None and len(home.open_programs) == 1


# Columns of a person's profile that no panel of the home shows: the queries joining the pair's two
# people read their names alone (their whole rows made most of the home's CPU; docs/performance.md).
PROFILE_COLUMNS = ('"job_family"', '"availability_hours_per_month"', '"leaving_date"', '"seniority"')


def test_the_home_reads_the_partners_name_not_their_profile(program, relationship, alice):
    _busy_mentor(program, alice, 2)

    with CaptureQueriesContext(connection) as queries:
        home = home_for(viewer=viewer_for(alice.user))

    assert home.next_meeting and home.goals and home.checkins and home.as_mentor and home.as_mentee
    read = [q["sql"] for q in queries.captured_queries if any(c in q["sql"] for c in PROFILE_COLUMNS)]
    assert read == []


# ---- the API ---------------------------------------------------------------------------------


def test_the_api_returns_the_same_home(client, relationship, alice):
    meeting = schedule(relationship, alice)
    open_goal = goal(relationship, alice)
    pending = checkin(relationship, alice)

    response = home_api(client, alice)
    assert response.status_code == 200
    data = response.json()
    assert data["time_zone"] == "Europe/London"
    assert data["as_mentor"] == []
    (mine,) = data["as_mentee"]
    assert mine["partner_name"] == "Bob Baker" and mine["space_url"] == f"/pairs/{relationship.pk}/"
    assert data["next_meeting"]["id"] == meeting.pk
    assert data["next_meeting"]["ics_url"] == reverse("meetings:ics", args=[relationship.pk, meeting.pk])
    assert datetime.datetime.fromisoformat(data["next_meeting"]["starts_at"]) == meeting.starts_at
    assert [(g["id"], g["progress"], g["mine"]) for g in data["goals"]] == [(open_goal.pk, 0, True)]
    assert [c["id"] for c in data["checkins"]] == [pending.pk]
    assert data["requests"] == [] and data["open_programs"] == []
    assert [p["name"] for p in data["my_programs"]] == ["Program P"]


def test_the_api_needs_a_token_and_a_person(client, db):
    assert client.get("/api/me/home").status_code == 401
    user = UserFactory()
    _token, raw = api_token_create(user=user, name="tests")
    response = client.get("/api/me/home", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "no_person"


# ---- time zones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "utc_hour", "new_york"),
    [
        # 10:00 London (BST, UTC+1) on the day UK clocks go forward; New York is already on EDT.
        (next_uk_spring_forward, 9, "05:00"),
        # 10:00 London (GMT) on the day UK clocks go back; New York is still on EDT until November.
        (next_uk_fall_back, 10, "06:00"),
    ],
)
def test_a_meeting_across_a_dst_change_shows_in_each_viewers_zone(
    client, relationship, alice, bob, day, utc_hour, new_york
):
    bob.time_zone = "America/New_York"
    bob.save()
    date = day()
    starts_at = datetime.datetime.combine(date, datetime.time(utc_hour, 0), tzinfo=UTC)
    meeting = schedule(relationship, alice, starts_at=starts_at)

    alice_text = home_page(client, alice)
    assert f"{date.day} {date:%B} {date.year}, 10:00" in alice_text and "Europe/London" in alice_text
    bob_text = home_page(client, bob)
    assert f"{date.day} {date:%B} {date.year}, {new_york}" in bob_text and "America/New_York" in bob_text
    assert f'datetime="{date.isoformat()}T{utc_hour:02d}:00:00+00:00"' in bob_text

    data = home_api(client, bob).json()
    assert data["time_zone"] == "America/New_York"
    assert data["next_meeting"]["starts_at"] == f"{date.isoformat()}T{new_york}:00-04:00"
    assert datetime.datetime.fromisoformat(data["next_meeting"]["starts_at"]) == meeting.starts_at
