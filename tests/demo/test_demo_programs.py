"""The demo programs: three programs at three stages, written through the services, the same for a
seed, loaded once with the demo organisation."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from mentora.advocacy.models import AdvocacyAction
from mentora.agreements.models import Agreement
from mentora.checkins.models import Checkin, CheckinAnswer, CheckinStatus
from mentora.checkins.selectors import RiskReason, at_risk_pairs
from mentora.demo.org import DEMO_PASSWORD, demo_org_load
from mentora.demo.outcomes import NAME as OUTCOMES_CYCLE
from mentora.demo.programs import GROW, REVERSE, SALES, DemoTooSmall, demo_programs_load
from mentora.goals.models import Goal
from mentora.meetings.models import Meeting, MeetingStatus
from mentora.notes.models import Note, NoteVisibility
from mentora.organisations.models import Organisation
from mentora.pairing.models import MatchRun, Proposal, RunStatus
from mentora.people.models import Person
from mentora.programs.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    MatchingMode,
    Program,
    ProgramStatus,
)
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus
from mentora.relationships.selectors import program_gaps
from tests.programs.factories import ProgramFactory
from tests.workspace.fixtures import active_relationship

PEOPLE, SEED = 120, 7


def _load(slug="demo", seed=SEED, people=PEOPLE):
    organisation = demo_org_load(people=people, seed=seed, slug=slug)
    return organisation, demo_programs_load(organisation=organisation, seed=seed)


def _person(slug, label):
    return Person.objects.get(email=f"{label}@{slug}.mentora.test")


@pytest.fixture
def demo(db):
    organisation, programs = _load()
    return organisation, programs


# ---- the programs and their stages ------------------------------------------------------------


def test_grow_into_leadership_runs_with_a_published_run_and_consented_pairs(demo):
    organisation, programs = demo
    grow = Program.objects.get(organisation=organisation, name=GROW)
    manager = _person("demo", "manager")

    assert grow.status == ProgramStatus.RUNNING
    assert grow.manager_memberships.filter(person=manager).exists()
    approved = grow.enrolments.filter(status=EnrolmentStatus.APPROVED)
    assert approved.filter(role=EnrolmentRole.MENTEE).count() == 40
    assert approved.filter(role=EnrolmentRole.MENTOR).count() == 20
    assert not approved.filter(
        role=EnrolmentRole.MENTOR, person__seniority__lt=grow.mentor_min_seniority
    ).exists()
    assert all(enrolment.answers.exists() for enrolment in approved)
    assert approved.filter(role=EnrolmentRole.MENTOR, invitation__isnull=False).count() == 20
    assert approved.filter(role=EnrolmentRole.MENTEE, decided_by=manager).count() == 40

    run = MatchRun.objects.get(program=grow)
    assert run.status == RunStatus.SUCCEEDED and run.published_at is not None
    assert run.input_snapshot["people"] and run.timings["total"] >= 0
    relationships = Relationship.objects.filter(program=grow)
    from_run = relationships.filter(origin=RelationshipOrigin.PROPOSAL)
    assert from_run.count() == Proposal.objects.filter(run=run, relationship__isnull=False).count() > 20

    active = relationships.filter(status=RelationshipStatus.ACTIVE)
    assert active.count() >= relationships.count() - 3
    assert not active.filter(mentor_consented_at=None).exists()
    assert not active.filter(mentee_consented_at=None).exists()
    declined = relationships.get(status=RelationshipStatus.DECLINED)
    assert declined.declined_by_id == declined.mentor_id and declined.declined_at
    assert not relationships.filter(mentee=declined.mentee, status__in=[RelationshipStatus.ACTIVE]).exists()
    ended = relationships.get(status=RelationshipStatus.ENDED)
    assert ended.ended_by_id == ended.mentee_id and ended.end_reason and ended.started_at < ended.ended_at

    now = timezone.now()
    started = active.order_by("started_at").first().started_at
    assert now - datetime.timedelta(days=64) < started < now - datetime.timedelta(days=55)
    assert programs.notes == []


def test_the_demo_mentee_and_mentor_are_an_active_pair(demo):
    grow = Program.objects.get(name=GROW)
    mentor, mentee, manager = _person("demo", "mentor"), _person("demo", "mentee"), _person("demo", "manager")

    pair = Relationship.objects.get(program=grow, mentee=mentee)

    assert pair.mentor == mentor
    assert pair.status == RelationshipStatus.ACTIVE
    assert pair.origin == RelationshipOrigin.MANUAL and pair.created_by == manager
    assert pair.mentor_consented_at and pair.mentee_consented_at


def test_reverse_mentoring_is_open_with_applications_waiting_and_a_shortfall(demo):
    reverse = Program.objects.get(name=REVERSE)
    leader = _person("demo", "leader")

    gaps = program_gaps(program=reverse)

    assert reverse.status == ProgramStatus.OPEN and reverse.format == "reverse"
    assert gaps.pending == 4
    assert gaps.shortfall > 0 and gaps.mentees > gaps.capacity
    assert reverse.enrolments.get(person=leader).status == EnrolmentStatus.APPROVED
    mentees = reverse.enrolments.filter(role=EnrolmentRole.MENTEE, status=EnrolmentStatus.APPROVED)
    mentors = reverse.enrolments.filter(role=EnrolmentRole.MENTOR, status=EnrolmentStatus.APPROVED)
    assert min(e.person.seniority for e in mentees) > max(e.person.seniority for e in mentors)


def test_the_sales_academy_lets_mentees_choose_and_two_requests_wait_for_the_demo_mentor(demo):
    sales = Program.objects.get(name=SALES)
    mentor = _person("demo", "mentor")

    waiting = Relationship.objects.filter(
        program=sales, mentor=mentor, status=RelationshipStatus.PENDING_CONSENT
    )

    assert sales.matching_mode == MatchingMode.MENTEE_CHOICE
    assert sales.status in (ProgramStatus.OPEN, ProgramStatus.MATCHING)
    assert waiting.count() == 2
    assert all(r.origin == RelationshipOrigin.MENTEE_REQUEST and r.mentee_consented_at for r in waiting)
    assert not waiting.filter(mentor_consented_at__isnull=False).exists()
    chosen = Relationship.objects.filter(program=sales, status=RelationshipStatus.ACTIVE)
    assert chosen.exists() and all(r.origin == RelationshipOrigin.MENTEE_REQUEST for r in chosen)
    assert Relationship.objects.filter(program=sales, status=RelationshipStatus.DECLINED).count() == 1
    mentors = Enrolment.objects.filter(
        program=sales, role=EnrolmentRole.MENTOR, status=EnrolmentStatus.APPROVED
    )
    places = (
        sum(e.capacity for e in mentors)
        - Relationship.objects.filter(
            program=sales, status__in=[RelationshipStatus.ACTIVE, RelationshipStatus.PENDING_CONSENT]
        ).count()
    )
    assert places > 0


# ---- the running program's life --------------------------------------------------------------


def test_the_demo_pair_has_an_agreement_goals_meetings_notes_checkins_and_advocacy(demo):
    pair = Relationship.objects.get(program__name=GROW, mentee=_person("demo", "mentee"))
    now = timezone.now()

    agreement = Agreement.objects.get(relationship=pair)
    assert agreement.mentor_confirmed_at and agreement.mentee_confirmed_at

    goals = Goal.objects.filter(relationship=pair)
    assert goals.count() == 2
    main = goals.order_by("pk").first()
    assert main.progress > 0 and main.milestones.filter(done_at__isnull=False).exists()
    assert main.skills.exists()

    meetings = Meeting.objects.filter(relationship=pair)
    happened = meetings.filter(status=MeetingStatus.HAPPENED)
    assert happened.count() == 3 and all(m.starts_at < now and m.logged_at for m in happened)
    upcoming = meetings.get(status=MeetingStatus.SCHEDULED)
    assert now < upcoming.starts_at < now + datetime.timedelta(days=7)
    assert upcoming.prep.questions

    assert Note.objects.filter(relationship=pair, visibility=NoteVisibility.SHARED).exists()
    assert CheckinAnswer.objects.filter(checkin__relationship=pair).exists()
    assert pair.checkins.filter(respondent=pair.mentee, status=CheckinStatus.PENDING).exists()
    actions = AdvocacyAction.objects.filter(relationship=pair)
    assert actions.count() == 2 and actions.filter(confirmed_at__isnull=False).count() == 1


def test_other_pairs_meet_two_have_gone_silent_and_one_asks_for_help(demo):
    grow = Program.objects.get(name=GROW)

    at_risk = at_risk_pairs(program=grow)

    assert sum(RiskReason.SILENT in pair.reasons for pair in at_risk) == 2
    assert sum(RiskReason.HELP_REQUESTED in pair.reasons for pair in at_risk) == 1
    assert Meeting.objects.filter(relationship__program=grow, status=MeetingStatus.HAPPENED).count() > 60
    assert Meeting.objects.filter(relationship__program=grow, starts_at__gt=timezone.now()).count() > 2
    assert (
        Agreement.objects.filter(relationship__program=grow, mentor_confirmed_at__isnull=False).count() > 10
    )
    assert Goal.objects.filter(relationship__program=grow).count() > 10
    assert CheckinAnswer.objects.filter(checkin__relationship__program=grow).count() > 30
    assert AdvocacyAction.objects.filter(relationship__program=grow).count() >= 3


def test_loading_the_demo_issues_no_checkins_to_another_organisations_pairs(db, org, alice, bob):
    program = ProgramFactory(organisation=org, status=ProgramStatus.RUNNING, name="Acme's own")
    acme_pair = active_relationship(program, bob, alice)
    # Long enough ago that every one of the demo's replayed sweeps would find a pulse due.
    Relationship.objects.filter(pk=acme_pair.pk).update(
        started_at=timezone.now() - datetime.timedelta(days=365)
    )

    _load()

    assert not Checkin.objects.filter(relationship=acme_pair).exists()
    assert Checkin.objects.filter(relationship__program__name=GROW).exists()


# ---- determinism, the command, small organisations -------------------------------------------


def _summary(organisation):
    """Everything the seed decides, by employee id (database ids differ between organisations)."""
    enrolments = sorted(
        (e.program.name, e.person.employee_id, e.role, e.status, e.capacity)
        for e in Enrolment.objects.filter(program__organisation=organisation).select_related(
            "program", "person"
        )
    )
    relationships = sorted(
        (r.program.name, r.mentor.employee_id, r.mentee.employee_id, r.status, r.origin)
        for r in Relationship.objects.filter(program__organisation=organisation).select_related(
            "program", "mentor", "mentee"
        )
    )
    meetings = Meeting.objects.filter(relationship__program__organisation=organisation).count()
    return enrolments, relationships, meetings


def test_the_same_seed_gives_the_same_programs(db):
    first, _programs = _load(slug="first")
    second, _programs = _load(slug="second")

    assert _summary(first) == _summary(second)


def test_the_command_loads_people_and_programs_once(db, capsys):
    call_command("demo_org", "--people", str(PEOPLE), "--seed", str(SEED), "--if-empty")
    call_command("demo_org", "--people", str(PEOPLE), "--seed", str(SEED), "--if-empty")

    organisation = Organisation.objects.get(slug="demo")
    assert set(Program.objects.filter(organisation=organisation).values_list("name", flat=True)) == {
        GROW,
        REVERSE,
        SALES,
        OUTCOMES_CYCLE,  # last year's closed cycle, for the outcome analysis (mentora/demo/outcomes.py)
    }
    assert MatchRun.objects.count() == 1
    output = capsys.readouterr().out
    assert "Created the demo programs" in output and "already exists" in output


def test_the_demo_mentee_sees_their_mentor_and_the_manager_their_programs(db, client):
    call_command("demo_org", "--people", str(PEOPLE), "--seed", str(SEED))
    mentor = _person("demo", "mentor")

    client.login(username="mentee@demo.mentora.test", password=DEMO_PASSWORD)
    assert mentor.full_name in client.get("/mentoring/").content.decode()

    client.login(username="manager@demo.mentora.test", password=DEMO_PASSWORD)
    page = client.get("/programs/").content.decode()
    assert all(name.replace("&", "&amp;") in page for name in (GROW, REVERSE, SALES))


def test_the_command_without_programs_and_small_organisations_load_people_only(db, capsys):
    call_command("demo_org", "--people", str(PEOPLE), "--seed", str(SEED), "--without-programs")
    call_command("demo_org", "--people", "30", "--seed", str(SEED), "--org-slug", "tiny")

    assert not Program.objects.exists()
    assert Person.objects.filter(organisation__slug="tiny").count() == 30
    assert "No demo programs" in capsys.readouterr().out
    with pytest.raises(DemoTooSmall):
        demo_programs_load(organisation=Organisation.objects.get(slug="tiny"), seed=SEED)
