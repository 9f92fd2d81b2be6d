"""A client generated from the published OpenAPI document drives the main objects end to end.

`openapi-python-client` (pinned in requirements/dev.txt) reads /api/openapi.json from the live
server into a temporary package, offline and with no post-generation hooks (it would run ruff from
PATH); the test imports that package and, with token auth, creates and reads a program (as its
manager; an HR system's service account reads it too), then a goal, a meeting and a check-in answer
(as the mentee of a pair in it). A schema that declares a nullable field non-null, or leaves a
response undocumented, fails here: the generated models raise on what the server sends, or return
None for a status they do not know.
"""

import importlib
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from mentora.api.services import api_token_create
from mentora.checkins.models import CheckinKind, CheckinSchedule
from mentora.checkins.services import checkins_issue_due
from mentora.core.roles import viewer_for
from mentora.programs.models import Program, ProgramStatus
from mentora.serviceaccounts.services import service_account_create
from tests.workspace.fixtures import active_relationship

pytestmark = [pytest.mark.generated_client, pytest.mark.django_db(transaction=True)]

PACKAGE = "mentora_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture
def client_package(live_server, tmp_path, monkeypatch):
    config = tmp_path / "generator.yaml"
    config.write_text(f"post_hooks: []\nproject_name_override: {PACKAGE}\npackage_name_override: {PACKAGE}\n")
    output = tmp_path / PACKAGE
    generated = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--url",
            f"{live_server.url}/api/openapi.json",
            "--meta",
            "none",
            "--config",
            str(config),
            "--output-path",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    # The generator reports what it had to leave out (an endpoint or model it could not read) as a warning.
    assert "Warning" not in generated.stdout + generated.stderr, generated.stdout + generated.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module(PACKAGE)
    for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
        del sys.modules[name]


def _operation(package, tag: str, operation_id: str):
    """The generated module of one operation, under its tag's package (e.g. api/programs/)."""
    return importlib.import_module(f"{package.__name__}.api.{tag}.{operation_id}")


def _models(package):
    return importlib.import_module(f"{package.__name__}.models")


def _authenticated(package, live_server, person):
    _token, raw = api_token_create(user=person.user, name="generated client")
    return package.AuthenticatedClient(base_url=live_server.url, token=raw, raise_on_unexpected_status=True)


def test_a_generated_client_creates_and_reads_a_program_goal_meeting_and_checkin(
    client_package, live_server, pam, olga, alice, bob
):
    models = _models(client_package)
    as_pam = _authenticated(client_package, live_server, pam)
    starts_on = date.today()

    created = _operation(client_package, "programs", "mentora_programs_api_create_program").sync(
        client=as_pam,
        body=models.ProgramIn(
            name="Generated client program",
            strategic_objective="Grow engineers",
            purpose="Pair people across teams",
            goals="Each mentee sets one goal",
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=180),
        ),
    )
    assert isinstance(created, models.ProgramOut), created
    read = _operation(client_package, "programs", "mentora_programs_api_get_program").sync(
        client=as_pam, program_id=created.id
    )
    assert (read.name, read.starts_on, read.eligible_department_ids) == (
        "Generated client program",
        starts_on,
        [],
    )

    managed = _operation(client_package, "programs", "mentora_programs_api_list_managed").sync(client=as_pam)
    assert [summary.id for summary in managed] == [created.id]
    # An HR system's service account reads it too (programs:read).
    _account, service_token = service_account_create(
        actor=viewer_for(olga.user),
        name="HR system",
        scopes=["programs:read"],
        expires_at=timezone.now() + timedelta(days=1),
    )
    as_service = client_package.AuthenticatedClient(
        base_url=live_server.url, token=service_token, raise_on_unexpected_status=True
    )
    read_by_service = _operation(client_package, "programs", "mentora_programs_api_get_program").sync(
        client=as_service, program_id=created.id
    )
    assert read_by_service.name == "Generated client program"

    # Pairing is not what this test is about: the pair is made with the services, as the other tests do.
    program = Program.objects.get(pk=created.id)
    program.status = ProgramStatus.RUNNING
    program.save(update_fields=["status"])
    relationship = active_relationship(program, bob, alice)
    as_alice = _authenticated(client_package, live_server, alice)

    goal = _operation(client_package, "goals", "mentora_goals_api_goal_create").sync(
        client=as_alice,
        relationship_id=relationship.pk,
        body=models.GoalIn(
            title="Lead a design review",
            measure="One review led",
            plan="Shadow two reviews first",
            relevance="Needed for the next level",
            target_date=starts_on + timedelta(days=60),
        ),
    )
    assert isinstance(goal, models.GoalOut), goal
    read_goal = _operation(client_package, "goals", "mentora_goals_api_goal_get").sync(
        client=as_alice, relationship_id=relationship.pk, goal_id=goal.id
    )
    assert read_goal.title == "Lead a design review"
    goal_page = _operation(client_package, "goals", "mentora_goals_api_goal_list").sync(
        client=as_alice, relationship_id=relationship.pk
    )
    assert [listed.id for listed in goal_page.results] == [goal.id]

    starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
    meeting = _operation(client_package, "meetings", "mentora_meetings_api_meeting_schedule").sync(
        client=as_alice,
        relationship_id=relationship.pk,
        body=models.MeetingIn(starts_at=starts_at, duration_minutes=45, place="Room 4"),
    )
    assert isinstance(meeting, models.MeetingOut), meeting
    read_meeting = _operation(client_package, "meetings", "mentora_meetings_api_meeting_get").sync(
        client=as_alice, relationship_id=relationship.pk, meeting_id=meeting.id
    )
    assert (read_meeting.starts_at, read_meeting.duration_minutes) == (starts_at, 45)
    meeting_page = _operation(client_package, "meetings", "mentora_meetings_api_meeting_list").sync(
        client=as_alice, relationship_id=relationship.pk
    )
    assert [listed.id for listed in meeting_page.results] == [meeting.id]

    cadence = CheckinSchedule(program=program).cadence_weeks
    checkins_issue_due(today=relationship.started_at.date() + timedelta(weeks=cadence))
    pending = _operation(client_package, "check_ins", "mentora_checkins_api_pending").sync(client=as_alice)
    pulse = next(checkin for checkin in pending if checkin.kind.value == CheckinKind.PULSE)
    assert pulse.answer is None
    answered = _operation(client_package, "check_ins", "mentora_checkins_api_checkin_answer").sync(
        client=as_alice,
        checkin_id=pulse.id,
        body=models.AnswerIn(usefulness=4, meeting_frequency=models.MeetingFrequency.MONTHLY),
    )
    assert isinstance(answered, models.CheckinOut), answered
    read_checkin = _operation(client_package, "check_ins", "mentora_checkins_api_checkin_get").sync(
        client=as_alice, checkin_id=pulse.id
    )
    assert (read_checkin.status.value, read_checkin.answer.usefulness) == ("answered", 4)
