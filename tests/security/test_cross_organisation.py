"""Nothing of one organisation reaches another. Acme holds a running pair with meetings, goals, notes,
advocacy, check-ins, a matching run, an import job and a self-assessment, each carrying a canary
string. Globex's program manager, org admin and participant then call every API operation (schemathesis
generates valid requests, Acme's ids in every path) and every page URL (GET and an empty POST, Acme's
ids in every path). Every answer must be free of canaries and of server errors, no answer that names
an Acme object may succeed, and afterwards not one of Acme's rows has changed."""

import datetime
import json
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from mentora.advocacy.models import AdvocacyAction
from mentora.advocacy.services import advocacy_action_create
from mentora.api.models import ApiToken
from mentora.api.services import api_token_create
from mentora.api_root import api
from mentora.checkins.models import Checkin, CheckinKind
from mentora.goals.models import Goal, Milestone
from mentora.goals.services import goal_create, milestone_add
from mentora.meetings.models import Meeting
from mentora.meetings.services import meeting_schedule
from mentora.notes.models import Note
from mentora.notes.services import note_create
from mentora.organisations.models import Role
from mentora.pairing.models import MatchRun, Proposal, RunStatus
from mentora.people.models import PeopleImport, Person, SelfAssessment
from mentora.programs.models import Enrolment, IntakeQuestion, Program, ProgramStatus
from mentora.relationships.models import Relationship
from mentora.wsgi import application
from tests.factories import PersonFactory, SelfAssessmentFactory
from tests.programs.factories import IntakeQuestionFactory, ProgramFactory
from tests.workspace.fixtures import active_relationship

CANARY = "CANARY7Q"
SUCCESS = range(200, 300)

schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
schema.config.phases.update(phases=["examples", "fuzzing"])


def _acme_rows(org) -> dict[str, list[dict]]:
    """Every row of Acme's that another organisation could try to read or change."""
    pairs = {"relationship__program__organisation": org}
    querysets = {
        "people": Person.objects.filter(organisation=org),
        "programs": Program.objects.filter(organisation=org),
        "enrolments": Enrolment.objects.filter(program__organisation=org),
        "questions": IntakeQuestion.objects.filter(program__organisation=org),
        "relationships": Relationship.objects.filter(program__organisation=org),
        "meetings": Meeting.objects.filter(**pairs),
        "goals": Goal.objects.filter(**pairs),
        "milestones": Milestone.objects.filter(goal__relationship__program__organisation=org),
        "notes": Note.objects.filter(**pairs),
        "advocacy": AdvocacyAction.objects.filter(**pairs),
        "checkins": Checkin.objects.filter(**pairs),
        "runs": MatchRun.objects.filter(program__organisation=org),
        "proposals": Proposal.objects.filter(run__program__organisation=org),
        "imports": PeopleImport.objects.filter(organisation=org),
        "self_assessments": SelfAssessment.objects.filter(person__organisation=org),
        "tokens": ApiToken.objects.filter(user__person__organisation=org).defer("last_used_at"),
    }
    return {name: list(queryset.order_by("pk").values()) for name, queryset in querysets.items()}


@pytest.fixture
def acme(org, pam, alice, bob, python_skill):
    """Bob mentors Alice in Pam's running program; every private text holds the canary."""
    program = ProgramFactory(
        organisation=org, managers=[pam], status=ProgramStatus.RUNNING, name=f"Program {CANARY}"
    )
    question = IntakeQuestionFactory(program=program, prompt=f"Question {CANARY}?")
    relationship = active_relationship(program, bob, alice)
    meeting = meeting_schedule(
        relationship=relationship,
        person=alice,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        duration_minutes=60,
        place=f"Room {CANARY}",
    )
    goal = goal_create(
        relationship=relationship,
        person=alice,
        title=f"Goal {CANARY}",
        measure="measure",
        plan="plan",
        relevance="relevance",
        target_date=timezone.localdate() + datetime.timedelta(days=60),
    )
    milestone = milestone_add(goal=goal, person=alice, title=f"Milestone {CANARY}")
    note = note_create(
        relationship=relationship, person=alice, visibility="private", body=f"Private {CANARY}"
    )
    note_create(relationship=relationship, person=bob, visibility="shared", body=f"Shared {CANARY}")
    action = advocacy_action_create(
        relationship=relationship,
        person=bob,
        kind="introduction",
        occurred_on=timezone.localdate(),
        description=f"Introduced {CANARY}",
    )
    checkin = Checkin.objects.create(
        relationship=relationship, respondent=alice, kind=CheckinKind.PULSE, due_on=timezone.localdate()
    )
    run = MatchRun.objects.create(program=program, created_by=pam, status=RunStatus.SUCCEEDED, progress=100)
    proposal = Proposal.objects.create(
        run=run, mentor=bob, mentee=alice, score=0.9, reasons=[{"text": f"Reason {CANARY}"}]
    )
    job = PeopleImport.objects.create(
        organisation=org, created_by=pam, filename=f"{CANARY}.csv", dry_run=True
    )
    SelfAssessmentFactory(person=alice, reflection=f"Reflection {CANARY}")
    token, _raw = api_token_create(user=alice.user, name=f"Token {CANARY}")
    enrolment = Enrolment.objects.filter(program=program, person=alice).get()
    return {
        "program_id": program.pk,
        "pk": program.pk,
        "relationship_id": relationship.pk,
        "person_id": alice.pk,
        "mentor_id": bob.pk,
        "other_id": bob.pk,
        "meeting_id": meeting.pk,
        "goal_id": goal.pk,
        "milestone_id": milestone.pk,
        "note_id": note.pk,
        "action_id": action.pk,
        "checkin_id": checkin.pk,
        "run_id": run.pk,
        "proposal_id": proposal.pk,
        "question_id": question.pk,
        "enrolment_id": enrolment.pk,
        "import_id": job.pk,
        "token_id": token.pk,
        "request_id": relationship.pk,
    }


@pytest.fixture
def globex(other_org):
    """Globex's program manager, org admin and a participant."""
    return [
        PersonFactory(organisation=other_org, full_name="Gina Manager", roles=[Role.PROGRAM_MANAGER]),
        PersonFactory(organisation=other_org, full_name="Gus Admin", roles=[Role.ORG_ADMIN]),
        PersonFactory(organisation=other_org, full_name="Gail Member", roles=[Role.PARTICIPANT]),
    ]


@pytest.fixture
def connection_kept_open():
    """schemathesis calls the WSGI application, which closes the connection after each request;
    inside the test's transaction it must stay open, as Django's test client keeps it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _check(response_status: int, body: bytes, *, names_acme: bool, where: str) -> None:
    assert response_status < 500, f"{where}: server error {response_status}"
    assert CANARY.encode() not in body, f"{where}: Acme's private text reached Globex ({response_status})"
    if names_acme:
        assert response_status not in SUCCESS, f"{where}: succeeded on Acme's object ({response_status})"


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=4, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
def test_no_api_operation_reaches_another_organisation(case, org, acme, globex, connection_kept_open):
    if case.meta.generation.mode is not GenerationMode.POSITIVE:
        return  # invalid requests are the contract test's; here only well-formed ones matter
    case.path_parameters.update({name: acme[name] for name in case.path_parameters if name in acme})
    names_acme = any(name in acme for name in case.path_parameters)
    before = _acme_rows(org)
    for person in globex:
        _token, raw = api_token_create(user=person.user, name="probe")
        response = case.call(app=application, headers={"Authorization": f"Bearer {raw}"})
        where = f"{case.method} {case.formatted_path} as {person.full_name}"
        _check(response.status_code, response.content, names_acme=names_acme, where=where)
    assert _acme_rows(org) == before, f"{case.method} {case.formatted_path} changed Acme's data"


def _routes(resolvers, prefix=""):
    """Every URL pattern with its full route, e.g. "programs/<int:pk>/edit/"."""
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


PAGE_PREFIXES = ("api/", "admin/", "static/")


def _page_routes_with_ids() -> list[str]:
    return sorted(
        {
            route
            for route in _routes(get_resolver().url_patterns)
            if "<int:" in route and not route.startswith(PAGE_PREFIXES) and not route.startswith("^")
        }
    )


def _fill(route: str, ids: dict[str, int]) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "pk":
            kind = route.split("/", 1)[0]
            by_prefix = {
                "people": "person_id",
                "mentoring": "relationship_id",
                "programs": "program_id",
            }
            if route.startswith("people/import/"):
                return str(ids["import_id"])
            return str(ids[by_prefix.get(kind, "program_id")])
        return str(ids.get(name, ids["relationship_id"]))

    return "/" + re.sub(r"<int:(\w+)>", value, route)


@pytest.mark.django_db
def test_no_page_reaches_another_organisation(client, org, acme, globex):
    routes = _page_routes_with_ids()
    assert len(routes) > 30  # the walk found the site's pages
    before = _acme_rows(org)
    for person in globex:
        client.force_login(person.user)
        for route in routes:
            url = _fill(route, acme)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                body = response.content if not response.streaming else b"".join(response.streaming_content)
                _check(
                    response.status_code,
                    body,
                    names_acme=True,
                    where=f"{method.upper()} {url} as {person.full_name}",
                )
    assert _acme_rows(org) == before
