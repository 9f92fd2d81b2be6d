"""Program P: 13 approved mentees (Engineering 6 with Alice, Sales 5, Legal 2) and 7 mentors (Bob
and six more, two places each), meeting twice a month. Nine pairs, dated from now:

- Alice with Bob: started 100 days ago, met 7 times, the latest 5 days ago, a goal at 60 %: on track;
- Erin with Mo: started 100 days ago, met twice, the latest 60 days ago: silent, so at risk;
- Fay with Max: started 7 days ago: too early to say;
- Gus with Mia: started 70 days ago, met once 10 days ago, no goal: needs attention;
- four Sales and Engineering mentees with Ned, Ola and Pip: started 45 days ago, met 3 times, on track;
- Hal with Ned: ended, completed (after its end date).
Quinn Quay mentors nobody. Waiting list: Uma, Val, Wes and Xia (never paired) and Hal (his pair
ended). Zed Zane was invited and applied, still waiting for approval (outside the fairness view).
Alice, Erin, Fay, Gus and Ivy consented to give their gender (Woman) and say they are under-sponsored.
Private content planted to prove it never shows: a goal titled "SECRET GOAL", a note "SECRET NOTE".
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from mentora.goals.models import Goal
from mentora.meetings.models import Meeting, MeetingStatus
from mentora.notes.models import Note, NoteVisibility
from mentora.organisations.models import Role
from mentora.people.models import Person
from mentora.programs.models import Enrolment, EnrolmentStatus, Invitation, ProgramStatus
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus
from tests.factories import DemographicProfileFactory, DepartmentFactory, PersonFactory
from tests.programs.factories import EnrolmentFactory, ProgramFactory


@dataclass
class Scenario:
    program: object
    people: dict[str, Person] = field(default_factory=dict)
    pairs: dict[str, Relationship] = field(default_factory=dict)


def _pair(program, mentor, mentee, *, started_days_ago, met_days_ago=(), goals=(), ended=False):
    now = timezone.now()
    started = now - timedelta(days=started_days_ago)
    relationship = Relationship.objects.create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        status=RelationshipStatus.ENDED if ended else RelationshipStatus.ACTIVE,
        origin=RelationshipOrigin.PROPOSAL,
        mentor_consented_at=started,
        mentee_consented_at=started,
        started_at=started,
        ends_on=(now - timedelta(days=2)).date() if ended else program.ends_on,
        ended_at=now - timedelta(days=1) if ended else None,
    )
    Relationship.objects.filter(pk=relationship.pk).update(created_at=started - timedelta(days=3))
    for days in met_days_ago:
        Meeting.objects.create(
            relationship=relationship,
            starts_at=now - timedelta(days=days),
            duration_minutes=45,
            status=MeetingStatus.HAPPENED,
        )
    for progress in goals:
        Goal.objects.create(
            relationship=relationship,
            title="SECRET GOAL",
            measure="m",
            plan="p",
            relevance="r",
            target_date=date(2040, 1, 1),
            progress=progress,
        )
    return relationship


def build_scenario(*, org, managers) -> Scenario:
    program = ProgramFactory(
        organisation=org,
        managers=managers,
        status=ProgramStatus.RUNNING,
        name="Program P",
        meetings_per_month=2,
        starts_on=date(2020, 1, 1),
        ends_on=date(2040, 12, 31),
    )
    scenario = Scenario(program=program)
    departments = {
        name: DepartmentFactory(organisation=org, name=name) for name in ("Engineering", "Sales", "Legal")
    }
    mentee_names = {
        "Engineering": ["Alice Archer", "Erin Eve", "Fay Fox", "Gus Gray", "Ivy Ink", "Jon Jay"],
        "Sales": ["Kim Key", "Lia Lee", "Hal Hunt", "Uma Urn", "Val Vine"],
        "Legal": ["Wes Wolf", "Xia Xu"],
    }
    for department, names in mentee_names.items():
        for name in names:
            person = PersonFactory(
                organisation=org, full_name=name, department=departments[department], roles=[Role.PARTICIPANT]
            )
            EnrolmentFactory(program=program, person=person, role="mentee")
            scenario.people[name.split()[0].lower()] = person
    for name in [
        "Bob Baker",
        "Mo Moss",
        "Max Mint",
        "Mia Moon",
        "Ned Nash",
        "Ola Oak",
        "Pip Pine",
        "Quinn Quay",
    ]:
        person = PersonFactory(organisation=org, full_name=name, roles=[Role.PARTICIPANT])
        EnrolmentFactory(program=program, person=person, role="mentor", capacity=2)
        scenario.people[name.split()[0].lower()] = person
    p = scenario.people
    # Everyone applied 200 days ago: time to match is then 197 days less the pair's age.
    Enrolment.objects.filter(program=program).update(created_at=timezone.now() - timedelta(days=200))
    for name in ("alice", "erin", "fay", "gus", "ivy"):
        DemographicProfileFactory(person=p[name], gender="Woman", under_sponsored=True)
    waiting = PersonFactory(organisation=org, full_name="Zed Zane", roles=[Role.PARTICIPANT])
    EnrolmentFactory(program=program, person=waiting, role="mentee", status=EnrolmentStatus.APPLIED)
    Invitation.objects.create(program=program, person=waiting)
    pairs = scenario.pairs
    pairs["alice"] = _pair(
        program,
        p["bob"],
        p["alice"],
        started_days_ago=100,
        met_days_ago=(95, 80, 66, 50, 35, 20, 5),
        goals=(60,),
    )
    pairs["erin"] = _pair(
        program, p["mo"], p["erin"], started_days_ago=100, met_days_ago=(90, 60), goals=(10,)
    )
    pairs["fay"] = _pair(program, p["max"], p["fay"], started_days_ago=7)
    pairs["gus"] = _pair(program, p["mia"], p["gus"], started_days_ago=70, met_days_ago=(10,))
    for mentee, mentor in (("ivy", "ned"), ("jon", "ola"), ("kim", "ola"), ("lia", "pip")):
        pairs[mentee] = _pair(
            program, p[mentor], p[mentee], started_days_ago=45, met_days_ago=(40, 25, 10), goals=(0, 100)
        )
    pairs["hal"] = _pair(
        program, p["ned"], p["hal"], started_days_ago=120, met_days_ago=(110, 80, 50), ended=True
    )
    Note.objects.create(
        relationship=pairs["alice"], author=p["alice"], visibility=NoteVisibility.PRIVATE, body="SECRET NOTE"
    )
    return scenario
