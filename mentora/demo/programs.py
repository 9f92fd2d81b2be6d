"""The demo organisation's programs, at three stages, and the life of the one that runs.

`demo_programs_load` writes, for a demo organisation loaded by `demo_org_load`:

- "Grow into leadership": classic 1:1, running for about nine weeks. Mentors were invited,
  mentees applied and were approved, a matching run was published, most pairs consented, one
  pairing was declined (both people are free for a rematch), one relationship ended without
  blame. The pairs then lived: agreements, goals with milestones and progress, logged meetings
  and upcoming ones, notes, check-ins and advocacy; two pairs have gone silent (at risk).
- "Reverse mentoring: AI & new tools": open for enrolment, leaders invited as mentees, a few
  applications waiting for approval and too few mentors (the "who is missing" panel shows it).
- "Choose your mentor — Sales Academy": mentees choose from a shortlist; some chose and were
  accepted, one was declined, two requests wait for the demo mentor's answer.

Everything goes through the services, as people would have done it. To give the running program
a past, the story is replayed on a clock: `django.utils.timezone.now` (which every service and
every `auto_now` field reads) is moved to each moment in turn, relative to the real now, so the
demo always looks current on the day it is loaded. The choices (who enrols, who declines, who
meets when) come from one `random.Random(seed)` over people in employee-id order: the same seed
gives the same programs.
"""

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone

from mentora.advocacy.models import AdvocacyKind
from mentora.advocacy.services import advocacy_action_confirm, advocacy_action_create
from mentora.agreements.closure import relationship_end_no_fault
from mentora.agreements.models import AgendaStep
from mentora.agreements.services import agenda_step_set, agreement_confirm, agreement_update
from mentora.checkins.models import Checkin, CheckinStatus, MeetingFrequency
from mentora.checkins.services import checkin_answer, checkins_issue_due
from mentora.core.zones import zone_or_utc
from mentora.demo.org import demo_domain
from mentora.goals.models import Goal
from mentora.goals.services import comment_add, goal_create, milestone_add, milestone_set_done, progress_add
from mentora.meetings.models import MeetingStatus
from mentora.meetings.services import meeting_log, meeting_prep_save, meeting_schedule
from mentora.notes.models import NoteVisibility
from mentora.notes.services import note_create
from mentora.organisations.models import Department, Organisation, Role
from mentora.pairing.choose_selectors import shortlist_for
from mentora.pairing.choose_services import (
    mentor_request_answer,
    mentor_request_create,
    shortlist_exposure_record,
)
from mentora.pairing.models import MatchRun, RunStatus
from mentora.pairing.services import (
    match_run_create,
    match_run_execute,
    match_run_publish,
    relationship_pair_by_hand,
)
from mentora.people.models import Person, Skill
from mentora.programs.invitations import program_invite
from mentora.programs.models import (
    EnrolmentRole,
    MatchingMode,
    Program,
    ProgramFormat,
    ProgramStatus,
    ProgramType,
    QuestionAudience,
    QuestionKind,
)
from mentora.programs.services import (
    enrolment_decide,
    intake_question_add,
    program_create,
    program_enrol,
    program_set_status,
)
from mentora.relationships.models import Relationship
from mentora.relationships.services import (
    relationship_consent,
    relationship_decline,
)

GROW = "Grow into leadership"
REVERSE = "Reverse mentoring: AI & new tools"
SALES = "Choose your mentor — Sales Academy"

# Below this size the organisation cannot fill the programs with distinct people.
MIN_PEOPLE = 60

GROW_MENTEES, GROW_MENTORS = 40, 20
REVERSE_MENTEES, REVERSE_MENTORS, REVERSE_PENDING = 10, 3, 4
SALES_MENTEES, SALES_MENTORS, SALES_CHOSEN, SALES_LATE = 12, 8, 5, 12

# The running program's cycle began this many days ago. Consents fall in the days after, so that
# the second monthly check-in is due within the last week (answerable, not yet overdue).
GROW_STARTED_DAYS_AGO = 63

AI_SKILLS = ("Machine learning", "Data analysis", "Python", "Data engineering", "Experimentation")


class DemoTooSmall(ValueError):
    """The organisation has too few people for the demo programs."""


@dataclass
class DemoPrograms:
    grow: Program
    reverse: Program
    sales: Program
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- clock


class _Clock:
    """The story's clock. `at(days, hour)` is a moment `days` from the real now (negative: past)
    at a whole hour of the current zone; `moving()` makes `timezone.now()` return the current
    moment. A pair's events happen at their mentee's local hours (`local_to`)."""

    def __init__(self, now: datetime.datetime, zone: str) -> None:
        self.now = now
        self.moment = now
        self.zone = zone_or_utc(zone)

    def at(self, days: float, hour: int = 10, minute: int = 0) -> datetime.datetime:
        day = (self.now + datetime.timedelta(days=days)).astimezone(self.zone).date()
        return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone)

    def go(self, days: float, hour: int = 10, minute: int = 0) -> datetime.datetime:
        moment = self.at(days, hour, minute)
        self.moment = min(moment, self.now)  # the story never runs ahead of the real now
        return moment

    def today(self) -> datetime.date:
        return timezone.localdate(self.moment)

    @contextmanager
    def local_to(self, person: Person) -> Iterator["_Clock"]:
        home, self.zone = self.zone, person.zone
        try:
            yield self
        finally:
            self.zone = home

    @contextmanager
    def moving(self) -> Iterator["_Clock"]:
        with mock.patch.object(timezone, "now", lambda: self.moment):
            yield self


# ---------------------------------------------------------------------------------------------- cast


@dataclass
class _Cast:
    """The named demo accounts and everybody else, in employee-id order."""

    manager: Person
    mentor: Person
    mentee: Person
    leader: Person | None
    linemanager: Person | None
    people: list[Person]
    reports: dict[int, int]  # person pk → number of direct reports
    used: set[int] = field(default_factory=set)

    def available(self, people) -> list[Person]:
        return [person for person in people if person.pk not in self.used]

    def take(self, people) -> list[Person]:
        self.used.update(person.pk for person in people)
        return list(people)


def _cast(organisation: Organisation) -> _Cast:
    domain = demo_domain(organisation.slug)
    people = list(
        Person.objects.filter(organisation=organisation, is_active=True)
        .select_related("department")
        .prefetch_related("role_memberships", "offered_skills__skill", "wanted_skills__skill")
        .order_by("employee_id")
    )
    if len(people) < MIN_PEOPLE:
        raise DemoTooSmall(f"The demo programs need at least {MIN_PEOPLE} people.")
    by_email = {person.email: person for person in people}
    named = {label: by_email.get(f"{label}@{domain}") for label in DEMO_LABELS}
    if not (named["manager"] and named["mentor"] and named["mentee"]):
        raise DemoTooSmall("The demo programs need the demo manager, mentor and mentee log-ins.")
    reports = dict(
        Person.objects.filter(organisation=organisation, manager__isnull=False)
        .values("manager_id")
        .annotate(n=Count("pk"))
        .values_list("manager_id", "n")
    )
    cast = _Cast(
        manager=named["manager"],
        mentor=named["mentor"],
        mentee=named["mentee"],
        leader=named["leader"],
        linemanager=named["linemanager"],
        people=people,
        reports=reports,
    )
    # Staff who run programs take part in none; the other named accounts are placed on purpose.
    staff_roles = {Role.ORG_ADMIN, Role.PROGRAM_MANAGER}
    cast.used.update(
        person.pk
        for person in people
        if staff_roles & {membership.role for membership in person.role_memberships.all()}
        or person.seniority >= 10
    )
    cast.used.update(person.pk for person in named.values() if person is not None)
    return cast


DEMO_LABELS = ("admin", "manager", "mentor", "mentee", "linemanager", "leader")


def _offered(person: Person) -> dict[str, int]:
    return {offered.skill.name: offered.level for offered in person.offered_skills.all()}


def _wanted_ids(person: Person) -> list[int]:
    return [wanted.skill_id for wanted in sorted(person.wanted_skills.all(), key=lambda w: w.priority)][:10]


# ---------------------------------------------------------------------------------------------- intake


MEETING_CHOICES = ["Video", "In person", "Either is fine"]
MEETING_ANSWER = {"video": "Video", "in_person": "In person", "either": "Either is fine"}


def _questionnaire(program: Program, *, skills_prompt: str, mentor_prompt: str) -> dict[str, int]:
    questions = [
        (
            "skills",
            {
                "prompt": skills_prompt,
                "kind": QuestionKind.SKILL_PICK,
                "audience": QuestionAudience.MENTEES,
                "feeds": "goal_fit",
                "help_text": "Pick up to three; your mentor will be stronger in them.",
                "max_picks": 3,
            },
        ),
        (
            "direction",
            {
                "prompt": "Where would you like your work to take you in the next three years?",
                "kind": QuestionKind.LONG_TEXT,
                "audience": QuestionAudience.EVERYONE,
                "feeds": "purpose",
                "required": False,
            },
        ),
        (
            "meeting",
            {
                "prompt": "How would you rather meet?",
                "kind": QuestionKind.SINGLE_CHOICE,
                "choices": MEETING_CHOICES,
                "audience": QuestionAudience.EVERYONE,
                "feeds": "practical",
            },
        ),
        (
            "offer",
            {
                "prompt": mentor_prompt,
                "kind": QuestionKind.LONG_TEXT,
                "audience": QuestionAudience.MENTORS,
                "required": False,
            },
        ),
    ]
    return {key: intake_question_add(program=program, values=values).pk for key, values in questions}


def _answers(questions: dict[str, int], person: Person, role: str, skill_ids: list[int]) -> dict[int, object]:
    answers: dict[int, object] = {
        questions["direction"]: person.purpose,
        questions["meeting"]: MEETING_ANSWER.get(person.meeting_mode, "Either is fine"),
    }
    if role == EnrolmentRole.MENTEE:
        answers[questions["skills"]] = skill_ids[:3]
    else:
        strongest = sorted(_offered(person).items(), key=lambda item: -item[1])[:2]
        answers[questions["offer"]] = "What I have learned the hard way about " + " and ".join(
            name.lower() for name, _level in strongest
        )
    return answers


def _program(manager: Person, values: dict) -> Program:
    base = {
        "program_type": ProgramType.MENTORING,
        "meetings_per_month": 1,
        "min_seniority": 1,
        "max_seniority": 9,
        "mentor_min_seniority": 1,
        "default_mentor_capacity": 2,
    }
    return program_create(actor=manager, values={**base, **values})


# ---------------------------------------------------------------------------------------------- load


def demo_programs_load(
    *, organisation: Organisation, seed: int, now: datetime.datetime | None = None
) -> DemoPrograms:
    """Create the three demo programs in a demo organisation; call inside a transaction.

    Raises DemoTooSmall when the organisation is too small to fill them.
    """
    rng = random.Random(seed)
    cast = _cast(organisation)
    clock = _Clock(now or timezone.now(), organisation.default_time_zone)
    with clock.moving():
        grow = _grow(cast, clock, rng)
        reverse = _reverse(cast, clock, rng)
        sales, sales_notes = _sales(cast, clock, rng)
    return DemoPrograms(grow=grow, reverse=reverse, sales=sales, notes=sales_notes)


# ---------------------------------------------------------------------------------------------- grow


def _grow(cast: _Cast, clock: _Clock, rng: random.Random) -> Program:
    manager = cast.manager
    started = clock.at(-GROW_STARTED_DAYS_AGO).date()
    clock.go(-100)
    program = _program(
        manager,
        {
            "name": GROW,
            "strategic_objective": "Grow our next generation of leads from within",
            "purpose": (
                "Pair people early in their careers with experienced colleagues from another part of "
                "the company, to grow the skills and the confidence to lead."
            ),
            "goals": (
                "Each mentee sets two or three goals tied to skills they want to grow, meets their "
                "mentor about once a month and leaves the cycle with a development plan."
            ),
            "format": ProgramFormat.ONE_TO_ONE,
            "starts_on": started,
            "ends_on": started + datetime.timedelta(days=270),
            "max_seniority": 8,
            "mentor_min_seniority": 5,
            "matching_mode": MatchingMode.ALGORITHMIC_REVIEW,
        },
    )
    questions = _questionnaire(
        program,
        skills_prompt="Which skills do you most want to grow in this cycle?",
        mentor_prompt="What would you like to pass on to a mentee?",
    )
    program = program_set_status(program=program, status=ProgramStatus.OPEN)

    # Mentees: juniors without reports, the line manager's people first; mentors: seniors.
    juniors = [p for p in cast.available(cast.people) if p.seniority <= 4 and not cast.reports.get(p.pk)]
    own_team = [p for p in juniors if cast.linemanager and p.manager_id == cast.linemanager.pk][:2]
    others = [p for p in juniors if p not in own_team]
    mentees = cast.take(
        [cast.mentee, *own_team, *rng.sample(others, min(len(others), GROW_MENTEES - 1 - len(own_team)))]
    )
    seniors = [p for p in cast.available(cast.people) if 5 <= p.seniority <= 8]
    mentors = cast.take([cast.mentor, *rng.sample(seniors, min(len(seniors), GROW_MENTORS - 1))])

    clock.go(-99)
    invitations = {
        invitation.person_id: invitation
        for invitation in program_invite(program=program, actor=manager, emails=[m.email for m in mentors])
    }
    for index, mentor in enumerate(mentors):
        clock.go(-98 + index % 8, hour=9 + index % 8)
        capacity = 2 if mentor == cast.mentor else rng.choice([2, 2, 2, 3])
        program_enrol(
            program=program,
            person=mentor,
            role=EnrolmentRole.MENTOR,
            answers=_answers(questions, mentor, EnrolmentRole.MENTOR, []),
            capacity=capacity,
            invitation=invitations[mentor.pk],
        )
    applications = []
    for index, mentee in enumerate(mentees):
        clock.go(-97 + index % 16, hour=9 + index % 9)
        applications.append(
            program_enrol(
                program=program,
                person=mentee,
                role=EnrolmentRole.MENTEE,
                answers=_answers(questions, mentee, EnrolmentRole.MENTEE, _wanted_ids(mentee)),
            )
        )
    clock.go(-78)
    for application in applications:
        enrolment_decide(enrolment=application, actor=manager, approve=True)

    clock.go(-66)
    program = program_set_status(program=program, status=ProgramStatus.MATCHING)
    # The demo mentee asked for the demo mentor by name (they want what the mentor offers best):
    # the manager pairs them by hand, and the run matches everybody else.
    demo_pair = relationship_pair_by_hand(
        program=program,
        mentor=cast.mentor,
        mentee=cast.mentee,
        by=manager,
        note="Asked for by name after the platform team's workshop.",
        override_reason="They asked for each other by name after the platform team's workshop.",
    )
    clock.go(-65)
    run = match_run_create(program=program, created_by=manager)
    run = match_run_execute(run_id=run.pk) or MatchRun.objects.get(pk=run.pk)
    if run.status != RunStatus.SUCCEEDED:
        raise ValueError(f"The demo matching run failed: {run.error}")
    clock.go(-64)
    relationships = [demo_pair, *match_run_publish(run=run, by=manager)]
    program = program_set_status(program=program, status=ProgramStatus.RUNNING)

    active, ending = _consents(relationships, cast, clock, rng)
    _pair_life(active, ending, cast, clock, rng)
    return program


def _consents(
    relationships: list[Relationship], cast: _Cast, clock: _Clock, rng: random.Random
) -> tuple[list[Relationship], Relationship]:
    """Both sides agree, over a few days; one mentor declines. Returns the active relationships and
    the one that will end without blame."""
    demo = {cast.mentor.pk, cast.mentee.pk}
    ordinary = [r for r in relationships if r.mentor_id not in demo and r.mentee_id not in demo]
    declined = ordinary[len(ordinary) // 3]
    clock.go(-62, hour=11)
    relationship_decline(relationship=declined, person=declined.mentor)
    active = []
    for relationship in relationships:
        if relationship == declined:
            continue
        day = -62 + rng.randint(0, 3)
        with clock.local_to(relationship.mentee):
            clock.go(day, hour=9 + rng.randint(0, 4))
            relationship_consent(relationship=relationship, person=relationship.mentee)
            clock.go(day + rng.randint(0, 2), hour=14 + rng.randint(0, 3))
            active.append(relationship_consent(relationship=relationship, person=relationship.mentor))
    ending = ordinary[2 * len(ordinary) // 3]
    return [r for r in active if r.pk != ending.pk], next(r for r in active if r.pk == ending.pk)


# ---------------------------------------------------------------------------------------------- pair life


TOPICS = [
    "Getting to know each other; what the mentee wants from the cycle; agreed the agreement",
    "Giving feedback to a peer without damaging the relationship",
    "Preparing a first presentation to leadership",
    "How to say no to work that does not fit your priorities",
    "Reading the org chart: who decides what, and how to get heard",
    "Reviewing progress on the goals; next milestone",
    "Handling a difficult stakeholder conversation",
    "Planning a stretch project for the next quarter",
]


def _pair_life(
    active: list[Relationship], ending: Relationship, cast: _Cast, clock: _Clock, rng: random.Random
) -> None:
    """Agreements, goals, meetings, notes, check-ins and advocacy, phase by phase in time order;
    check-in sweeps on the days the worker would have run them; one relationship ends on the way."""
    demo = next(r for r in active if r.mentee_id == cast.mentee.pk and r.mentor_id == cast.mentor.pk)
    others = [r for r in active if r.pk != demo.pk]
    # The sweep is the worker's own; kept to the demo so another organisation's pairs get nothing.
    organisation = demo.program.organisation
    # Two pairs stopped meeting after the first meeting; one of them also says it is not useful.
    silent = {others[3].pk, others[11 % len(others)].pk}
    unhappy = others[3].pk
    for relationship in active:
        relationship.refresh_from_db()
    plans = {r.pk: _plan(r, rng, silent=r.pk in silent) for r in others}

    for relationship in others:
        with clock.local_to(relationship.mentee):
            _ordinary_pair_start(relationship, plans[relationship.pk], clock, rng)
    with clock.local_to(demo.mentee):
        goals = _demo_pair_start(demo, clock)

    for relationship in others:
        with clock.local_to(relationship.mentee):
            _ordinary_pair_middle(relationship, plans[relationship.pk], clock, rng)
    with clock.local_to(demo.mentee):
        _demo_pair_middle(demo, clock, goals)

    clock.go(-28, hour=6)
    checkins_issue_due(today=clock.today(), organisation=organisation)
    for relationship in others:
        with clock.local_to(relationship.mentee):
            _answer_pulse(
                relationship, clock, rng, low=relationship.pk == unhappy, days=(-27, -22), share=0.85
            )
    with clock.local_to(demo.mentee):
        _answer_pulse(demo, clock, rng, low=False, days=(-26, -26), share=1.0)

    clock.go(-20, hour=16)
    relationship_end_no_fault(
        relationship=ending,
        person=ending.mentee,
        reason="My team moved to the night shift and we could no longer find a time that worked.",
    )

    for relationship in others:
        with clock.local_to(relationship.mentee):
            _ordinary_pair_next(relationship, plans[relationship.pk], clock, rng)
    with clock.local_to(demo.mentee):
        _demo_pair_next(demo, clock, goals)

    clock.go(-1, hour=6)
    checkins_issue_due(today=clock.today(), organisation=organisation)
    for relationship in others:
        with clock.local_to(relationship.mentee):
            _answer_pulse(relationship, clock, rng, low=relationship.pk == unhappy, days=(-1, -1), share=0.5)
    mentor_pulse = Checkin.objects.get(
        relationship=demo, respondent=demo.mentor, status=CheckinStatus.PENDING
    )
    clock.go(-1, hour=18)
    checkin_answer(
        checkin=mentor_pulse,
        person=demo.mentor,
        usefulness=5,
        meeting_frequency=MeetingFrequency.MONTHLY,
    )
    # The demo mentee's second check-in stays pending: it is on their home page, to answer.


@dataclass
class _Plan:
    started: datetime.date
    silent: bool
    agreement: bool
    wants_goal: bool
    advocacy: bool
    upcoming: bool
    goal: Goal | None = None


def _plan(relationship: Relationship, rng: random.Random, *, silent: bool) -> _Plan:
    return _Plan(
        started=relationship.started_at.date(),
        silent=silent,
        agreement=rng.random() < 0.7,
        wants_goal=rng.random() < 0.65,
        advocacy=rng.random() < 0.15,
        upcoming=not silent and rng.random() < 0.4,
    )


def _days_from_now(clock: _Clock, day: datetime.date) -> int:
    return (day - clock.now.date()).days


def _meet(
    relationship: Relationship,
    clock: _Clock,
    *,
    day: int,
    hour: int,
    topics: str,
    ratings: tuple[int, int],
    video: bool = True,
    scheduled_days_before: int = 6,
):
    """Schedule a meeting some days ahead, then both log it after it happened."""
    clock.go(day - scheduled_days_before, hour=9)
    meeting = meeting_schedule(
        relationship=relationship,
        person=relationship.mentee,
        starts_at=clock.at(day, hour),
        duration_minutes=45 if video else 60,
        place="" if video else "Office, 3rd floor kitchen",
        video_url=f"https://meet.example.com/mentora-{relationship.pk}" if video else "",
    )
    clock.go(day, hour=hour + 2)
    meeting = meeting_log(
        meeting=meeting,
        person=relationship.mentee,
        version=meeting.version,
        outcome=MeetingStatus.HAPPENED,
        actual_duration_minutes=meeting.duration_minutes,
        topics=topics,
        rating=ratings[0],
    )
    meeting_log(
        meeting=meeting,
        person=relationship.mentor,
        version=meeting.version,
        outcome=MeetingStatus.HAPPENED,
        actual_duration_minutes=meeting.actual_duration_minutes,
        topics=topics,
        rating=ratings[1],
    )


def _agree(relationship: Relationship, clock: _Clock, day: int, *, cadence: str, channel: str) -> None:
    clock.go(day, hour=17)
    agreement = agreement_update(
        relationship=relationship,
        person=relationship.mentee,
        expected_version=0,
        fields={
            "expectations": (
                "We meet about once a month for 45 minutes. The mentee brings the agenda and specific "
                "questions; the mentor shares experience and contacts, and says so when something is "
                "outside what they know."
            ),
            "confidentiality": "What we discuss stays between us unless we both agree otherwise.",
            "cadence": cadence,
            "channel": channel,
            "ending": (
                "Either of us can end the relationship at any time, without blame, by saying so in "
                "Mentora; we will close with a short reflection."
            ),
        },
    )
    agreement_confirm(
        relationship=relationship, person=relationship.mentee, expected_version=agreement.version
    )
    clock.go(day + 1, hour=9)
    agreement_confirm(
        relationship=relationship, person=relationship.mentor, expected_version=agreement.version
    )


def _ordinary_pair_start(relationship: Relationship, plan: _Plan, clock: _Clock, rng: random.Random) -> None:
    first = _days_from_now(clock, plan.started) + rng.randint(5, 9)
    if plan.agreement:
        _agree(relationship, clock, first - 2, cadence="Once a month", channel="Video call")
    _meet(
        relationship,
        clock,
        day=first,
        hour=rng.choice([9, 13, 15]),
        topics=TOPICS[0],
        ratings=(rng.randint(4, 5), rng.randint(3, 5)),
        video=rng.random() < 0.7,
    )
    if plan.agreement:
        clock.go(first, hour=18)
        for step in (AgendaStep.INTRODUCTIONS, AgendaStep.GOALS, AgendaStep.AGREEMENT):
            agenda_step_set(relationship=relationship, person=relationship.mentee, step=step, done=True)
    if plan.wants_goal:
        clock.go(first + 1, hour=19)
        wanted = _wanted_ids(relationship.mentee)[:1]
        skill = relationship.mentee.wanted_skills.filter(skill_id__in=wanted).first()
        name = skill.skill.name if skill else "a new skill"
        goal = goal_create(
            relationship=relationship,
            person=relationship.mentee,
            title=f"Get confident in {name.lower()}",
            measure=f"Lead one piece of work that depends on {name.lower()} and get feedback on it",
            plan="Practise between meetings, bring one concrete example to each meeting",
            relevance="It is the skill my next role asks for most",
            target_date=clock.at(150).date(),
            skill_ids=wanted,
        )
        for title in ("Pick the piece of work with my manager", "First attempt, debrief with my mentor"):
            milestone_add(goal=goal, person=relationship.mentee, title=title)
        plan.goal = goal


def _ordinary_pair_middle(relationship: Relationship, plan: _Plan, clock: _Clock, rng: random.Random) -> None:
    if plan.silent:
        return  # no meeting since the first one: this pair shows as at risk
    day = -rng.randint(33, 38)
    _meet(
        relationship,
        clock,
        day=day,
        hour=rng.choice([9, 12, 16]),
        topics=rng.choice(TOPICS[1:]),
        ratings=(rng.randint(3, 5), rng.randint(4, 5)),
    )
    if plan.goal:
        clock.go(day, hour=20)
        first = plan.goal.milestones.order_by("position").first()
        milestone_set_done(milestone=first, person=relationship.mentee, done=True)
        progress_add(
            goal=plan.goal,
            person=relationship.mentee,
            percent=rng.choice([20, 30, 40]),
            text="Agreed the piece of work with my manager.",
        )
    if plan.advocacy:
        clock.go(day + 2, hour=11)
        advocacy_action_create(
            relationship=relationship,
            person=relationship.mentor,
            kind=rng.choice([AdvocacyKind.INTRODUCTION, AdvocacyKind.PUBLIC_ENDORSEMENT]),
            occurred_on=clock.today(),
            description="Introduced them to the head of the team they want to work with next.",
        )


def _ordinary_pair_next(relationship: Relationship, plan: _Plan, clock: _Clock, rng: random.Random) -> None:
    if plan.silent:
        return
    day = -rng.randint(4, 20)
    _meet(
        relationship,
        clock,
        day=day,
        hour=rng.choice([10, 14, 16]),
        topics=rng.choice(TOPICS[1:]),
        ratings=(rng.randint(3, 5), rng.randint(3, 5)),
    )
    if plan.goal and rng.random() < 0.7:
        clock.go(day, hour=20)
        progress_add(goal=plan.goal, person=relationship.mentee, percent=rng.choice([50, 60, 70]))
    if plan.upcoming:
        clock.go(-1, hour=12)
        meeting_schedule(
            relationship=relationship,
            person=relationship.mentor,
            starts_at=clock.at(rng.randint(2, 14), rng.choice([9, 11, 15])),
            duration_minutes=45,
            video_url=f"https://meet.example.com/mentora-{relationship.pk}",
        )


def _answer_pulse(
    relationship: Relationship,
    clock: _Clock,
    rng: random.Random,
    *,
    low: bool,
    days: tuple[int, int],
    share: float,
) -> None:
    for checkin in Checkin.objects.filter(relationship=relationship, status=CheckinStatus.PENDING).order_by(
        "respondent_id", "pk"
    ):
        if rng.random() >= share:
            continue
        clock.go(rng.randint(*days), hour=rng.randint(12, 20))
        checkin_answer(
            checkin=checkin,
            person=checkin.respondent,
            usefulness=2 if low else rng.choice([3, 4, 4, 5, 5]),
            meeting_frequency=MeetingFrequency.RARELY if low else MeetingFrequency.MONTHLY,
            blockers="We keep postponing; our calendars never match." if low else "",
            # The unhappy pair asks the program manager for help: that, not the score, flags it.
            tell_program_manager=low,
        )


# The demo pair: a full, believable story the mentee and the mentor will recognise.


def _demo_pair_start(relationship: Relationship, clock: _Clock) -> tuple[Goal, Goal]:
    mentee, mentor = relationship.mentee, relationship.mentor
    first = _days_from_now(clock, relationship.started_at.date()) + 5
    _agree(relationship, clock, first - 2, cadence="Every three weeks, 45 minutes", channel="Video call")
    _meet(relationship, clock, day=first, hour=11, topics=TOPICS[0], ratings=(5, 5))
    clock.go(first, hour=18)
    for step in AgendaStep.values:
        agenda_step_set(relationship=relationship, person=mentee, step=step, done=True)
    wanted = _wanted_ids(mentee)
    top = mentee.wanted_skills.get(skill_id=wanted[0]).skill.name
    clock.go(first + 1, hour=19)
    main = goal_create(
        relationship=relationship,
        person=mentee,
        title=f"Work confidently with {top}",
        measure=f"Ship a small change that uses {top} on my own, reviewed by the team",
        plan="An hour of practice each week; bring one question to every meeting",
        relevance="It is what my team relies on most, and what I understand least",
        target_date=clock.at(120).date(),
        skill_ids=wanted[:1],
    )
    for title in ("Finish an introductory course", "Pair on a real task with an engineer", "Ship a change"):
        milestone_add(goal=main, person=mentee, title=title)
    second = goal_create(
        relationship=relationship,
        person=mentee,
        title="Speak up in cross-team meetings",
        measure="Present our team's update at the monthly all-hands once",
        plan="Prepare with my mentor; rehearse twice",
        relevance="People outside my team should know what we do",
        target_date=clock.at(180).date(),
        skill_ids=wanted[1:2],
    )
    milestone_add(goal=second, person=mentee, title="Volunteer for one update")
    clock.go(first + 3, hour=10)
    note_create(
        relationship=relationship,
        person=mentor,
        visibility=NoteVisibility.SHARED,
        title="Reading list",
        body=(
            f"A few things to read before we meet again:\n- the team's onboarding guide to {top}\n"
            "- our engineering principles page\n- one post-mortem of your choice: we will discuss it."
        ),
    )
    note_create(
        relationship=relationship,
        person=mentee,
        visibility=NoteVisibility.PRIVATE,
        body="Ask about how they got from junior to senior so quickly.",
    )
    return main, second


def _demo_pair_middle(relationship: Relationship, clock: _Clock, goals: tuple[Goal, Goal]) -> None:
    mentee, mentor = relationship.mentee, relationship.mentor
    main, _second = goals
    _meet(relationship, clock, day=-34, hour=11, topics=TOPICS[1], ratings=(5, 4))
    clock.go(-34, hour=19)
    milestone_set_done(milestone=main.milestones.get(position=1), person=mentee, done=True)
    progress_add(goal=main, person=mentee, percent=35, text="Finished the course; the exercises helped.")
    comment_add(
        goal=main, person=mentor, text="Great pace. Next: a real task, I will find one with the team."
    )
    clock.go(-25, hour=11)
    introduction = advocacy_action_create(
        relationship=relationship,
        person=mentor,
        kind=AdvocacyKind.INTRODUCTION,
        occurred_on=clock.today(),
        description="Introduced them to the platform team's lead, who runs the internal workshops.",
    )
    clock.go(-24, hour=9)
    advocacy_action_confirm(action=introduction, person=mentee)


def _demo_pair_next(relationship: Relationship, clock: _Clock, goals: tuple[Goal, Goal]) -> None:
    mentee, mentor = relationship.mentee, relationship.mentor
    main, second = goals
    _meet(relationship, clock, day=-13, hour=11, topics=TOPICS[2], ratings=(5, 5))
    clock.go(-13, hour=19)
    milestone_set_done(milestone=main.milestones.get(position=2), person=mentee, done=True)
    progress_add(goal=main, person=mentee, percent=60, text="Paired on a real ticket; it went well.")
    progress_add(goal=second, person=mentee, percent=20, text="Volunteered for next month's update.")
    clock.go(-8, hour=16)
    advocacy_action_create(
        relationship=relationship,
        person=mentor,
        kind=AdvocacyKind.NOMINATION,
        occurred_on=clock.today(),
        description="Nominated them for the spring cross-team project with the platform team.",
    )
    clock.go(-2, hour=10)
    upcoming = meeting_schedule(
        relationship=relationship,
        person=mentor,
        starts_at=clock.at(3, 11),
        duration_minutes=45,
        video_url=f"https://meet.example.com/mentora-{relationship.pk}",
    )
    clock.go(-1, hour=20)
    meeting_prep_save(
        meeting=upcoming,
        person=mentee,
        version=0,
        agenda="1. The change I want to ship\n2. Rehearse the all-hands update",
        questions="How do I ask for a code review without feeling I waste people's time?",
    )


# ---------------------------------------------------------------------------------------------- reverse


def _reverse(cast: _Cast, clock: _Clock, rng: random.Random) -> Program:
    manager = cast.manager
    clock.go(-12, hour=9)
    starts = clock.at(30).date()
    program = _program(
        manager,
        {
            "name": REVERSE,
            "strategic_objective": "Every leader uses AI tools confidently by the end of the year",
            "purpose": (
                "Junior colleagues who use AI and new tools every day mentor senior leaders: hands-on "
                "sessions with their real work, and a fresh view of how the company looks from the "
                "front line."
            ),
            "goals": "Each leader uses two new tools in their own work and can explain their limits.",
            "format": ProgramFormat.REVERSE,
            "starts_on": starts,
            "ends_on": starts + datetime.timedelta(days=120),
            "meetings_per_month": 2,
            "matching_mode": MatchingMode.ALGORITHMIC_REVIEW,
            "similarity_diversity_dial": 0.9,
        },
    )
    questions = _questionnaire(
        program,
        skills_prompt="Which tools or skills do you want to learn?",
        mentor_prompt="Which tools do you use every day, and for what?",
    )
    program = program_set_status(program=program, status=ProgramStatus.OPEN)

    leaders = [p for p in cast.available(cast.people) if p.seniority >= 7]
    mentees = ([cast.leader] if cast.leader else []) + rng.sample(
        leaders, min(len(leaders), REVERSE_MENTEES + 2 - (1 if cast.leader else 0))
    )
    cast.take(mentees)
    invited, late_mentees = mentees[:REVERSE_MENTEES], mentees[REVERSE_MENTEES:]
    juniors = [p for p in cast.available(cast.people) if p.seniority <= 4]
    juniors.sort(key=lambda p: (-len(set(_offered(p)) & set(AI_SKILLS)), p.employee_id))
    mentors = cast.take(juniors[: REVERSE_MENTORS + REVERSE_PENDING - len(late_mentees)])
    approved_mentors = mentors[:REVERSE_MENTORS]

    clock.go(-11, hour=10)
    invitations = program_invite(program=program, actor=manager, emails=[p.email for p in invited])
    ai_skill_ids = list(
        Skill.objects.filter(organisation_id=program.organisation_id, name__in=AI_SKILLS)
        .order_by("name")
        .values_list("pk", flat=True)
    )
    for index, invitation in enumerate(invitations):
        person = invitation.person
        clock.go(-10 + index % 6, hour=8 + index % 10)
        program_enrol(
            program=program,
            person=person,
            role=EnrolmentRole.MENTEE,
            answers=_answers(questions, person, EnrolmentRole.MENTEE, rng.sample(ai_skill_ids, 2)),
            invitation=invitation,
        )
    for index, person in enumerate(mentors):
        clock.go(-7 + index if person in approved_mentors else -2 + index % 2, hour=12 + index)
        enrolment = program_enrol(
            program=program,
            person=person,
            role=EnrolmentRole.MENTOR,
            answers=_answers(questions, person, EnrolmentRole.MENTOR, []),
        )
        if person in approved_mentors:
            clock.go(-4, hour=9)
            enrolment_decide(enrolment=enrolment, actor=manager, approve=True)
    for index, person in enumerate(late_mentees):
        clock.go(-1, hour=9 + index)
        program_enrol(
            program=program,
            person=person,
            role=EnrolmentRole.MENTEE,
            answers=_answers(questions, person, EnrolmentRole.MENTEE, rng.sample(ai_skill_ids, 2)),
        )
    return program


# ---------------------------------------------------------------------------------------------- sales


def _sales(cast: _Cast, clock: _Clock, rng: random.Random) -> tuple[Program, list[str]]:
    manager = cast.manager
    clock.go(-30, hour=9)
    starts = clock.at(-10).date()
    program = _program(
        manager,
        {
            "name": SALES,
            "strategic_objective": "Double the number of account executives promoted from within",
            "purpose": (
                "People in Sales, Customer Success and anyone moving into a customer-facing role "
                "choose their own mentor from a ranked shortlist: sales leaders for deal craft, "
                "engineers for the technical depth customers ask about."
            ),
            "goals": "Every mentee picks a mentor in the first month and works on one deal skill.",
            "format": ProgramFormat.ONE_TO_ONE,
            "starts_on": starts,
            "ends_on": starts + datetime.timedelta(days=180),
            "max_seniority": 9,
            "mentor_min_seniority": 5,
            "matching_mode": MatchingMode.MENTEE_CHOICE,
        },
    )
    questions = _questionnaire(
        program,
        skills_prompt="Which deal skills do you want to grow?",
        mentor_prompt="Which deals or customers taught you the most?",
    )
    program = program_set_status(program=program, status=ProgramStatus.OPEN)

    departments = dict(
        Department.objects.filter(organisation_id=program.organisation_id).values_list("pk", "parent_id")
    )
    names = dict(Department.objects.filter(organisation_id=program.organisation_id).values_list("pk", "name"))

    def sales_side(person: Person) -> bool:
        top = person.department_id
        while departments.get(top) is not None:
            top = departments[top]
        return names.get(top) in ("Sales", "Customer Success")

    demo_offers = set(_offered(cast.mentor))
    juniors = [p for p in cast.available(cast.people) if sales_side(p) and p.seniority <= 4]
    mentees = cast.take(rng.sample(juniors, min(len(juniors), SALES_MENTEES)))
    # Later applicants who want what the demo mentor offers (technical depth for customer-facing
    # work), from Sales and Customer Success first.
    late = sorted(
        (
            p
            for p in cast.available(cast.people)
            if p.seniority <= 4 and demo_offers & {w.skill.name for w in p.wanted_skills.all()}
        ),
        key=lambda p: (not sales_side(p), p.employee_id),
    )
    seniors = [p for p in cast.available(cast.people) if sales_side(p) and 5 <= p.seniority <= 9]
    mentors = cast.take(rng.sample(seniors, min(len(seniors), SALES_MENTORS - 1)))
    mentors.insert(0, cast.mentor)

    clock.go(-29, hour=10)
    invitations = {
        invitation.person_id: invitation
        for invitation in program_invite(program=program, actor=manager, emails=[p.email for p in mentors])
    }
    for index, person in enumerate(mentors):
        clock.go(-28 + index % 4, hour=9 + index % 8)
        program_enrol(
            program=program,
            person=person,
            role=EnrolmentRole.MENTOR,
            answers=_answers(questions, person, EnrolmentRole.MENTOR, []),
            capacity=3 if person == cast.mentor else 2,
            invitation=invitations[person.pk],
        )
    clock.go(-27, hour=9)
    _sales_mentees_join(program, questions, mentees, manager, clock)

    # Mentees choose from their shortlists as soon as they are approved; mentors answer in a day.
    people = {person.pk: person for person in mentors}
    for index, mentee in enumerate(mentees[:SALES_CHOSEN]):
        day = -13 + index * 2
        clock.go(day, hour=11)
        shortlist = shortlist_for(program=program, mentee=mentee)
        shown = [item.mentor.person_id for item in shortlist.items]
        shortlist_exposure_record(program=program, mentee=mentee, mentor_ids=shown)
        choices = [people[pk] for pk in shown if pk != cast.mentor.pk]
        if not choices:
            continue
        request = mentor_request_create(
            program=program,
            mentee=mentee,
            mentor=choices[0],
            note="Your experience with enterprise customers is exactly what I want to learn from.",
        )
        clock.go(day + 1, hour=16)
        mentor_request_answer(request=request, mentor=request.mentor, accept=index != 1)

    # Two mentees ask the demo mentor, who has not answered yet. Whether the engine lets a mentee
    # choose them depends on skills and levels, so later applicants who want what the mentor
    # offers join until two requests are made.
    waiting = 0
    candidates = mentees[SALES_CHOSEN:] + late[:SALES_LATE]
    for index, mentee in enumerate(candidates):
        if waiting == 2:
            break
        clock.go(-2 + waiting, hour=9 + index % 8)
        if mentee in late:
            _sales_mentees_join(program, questions, [mentee], manager, clock)
        try:
            mentor_request_create(
                program=program,
                mentee=mentee,
                mentor=cast.mentor,
                note="I sell to engineering teams and want to understand how they think about our product.",
            )
        except ValidationError:
            continue
        waiting += 1
    cast.take(late)
    notes = [] if waiting == 2 else [f"Only {waiting} Sales Academy request(s) wait for the demo mentor."]
    return program, notes


def _sales_mentees_join(
    program: Program, questions: dict[str, int], mentees: list[Person], manager: Person, clock: _Clock
) -> None:
    """Mentees apply over a few days; the manager approves them a few days later."""
    start = clock.moment
    applications = []
    for index, person in enumerate(mentees):
        clock.moment = min(start + datetime.timedelta(hours=7 * index), clock.now)
        applications.append(
            program_enrol(
                program=program,
                person=person,
                role=EnrolmentRole.MENTEE,
                answers=_answers(questions, person, EnrolmentRole.MENTEE, _wanted_ids(person)),
            )
        )
    clock.moment = min(clock.moment + datetime.timedelta(hours=20), clock.now)
    for application in applications:
        enrolment_decide(enrolment=application, actor=manager, approve=True)
