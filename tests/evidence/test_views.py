"""The program dashboard and the evidence home: who may open them (every other role and another
organisation answer 404), what they never show, bad input, and constant queries."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.audit.models import AuditEvent
from mentora.notifications.models import PairNudge
from mentora.organisations.models import Role
from tests.factories import PersonFactory
from tests.programs.factories import ProgramFactory


def dashboard_url(program) -> str:
    return reverse("evidence:program", args=[program.pk])


@pytest.fixture
def people(scenario, org, pam, olga, lou, leo, charlie):
    """Everyone around Program P, by role."""
    other_manager = PersonFactory(organisation=org, full_name="Pete Other", roles=[Role.PROGRAM_MANAGER])
    ProgramFactory(organisation=org, managers=[other_manager], name="Program Q")
    return {
        "program manager": pam,
        "org admin": olga,
        "mentee": scenario.people["alice"],
        "mentor": scenario.people["bob"],
        "line manager": lou,
        "leader": leo,
        "another program's manager": other_manager,
        "other organisation": charlie,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, status",
    [
        ("program manager", 200),
        ("org admin", 200),
        ("mentee", 404),
        ("mentor", 404),
        ("line manager", 404),
        ("leader", 404),
        ("another program's manager", 404),
        ("other organisation", 404),
    ],
)
def test_only_the_programs_managers_and_org_admins_open_its_dashboard(client, scenario, people, role, status):
    client.force_login(people[role].user)
    assert client.get(dashboard_url(scenario.program)).status_code == status


@pytest.mark.django_db
def test_the_dashboard_shows_charts_beside_tables_and_no_private_content(client, scenario, pam):
    client.force_login(pam.user)
    page = client.get(dashboard_url(scenario.program)).content.decode()
    assert page.count('role="img"') >= 8
    assert "From invitation to completion" in page and "<caption>Pair health</caption>" in page
    assert "SECRET GOAL" not in page and "SECRET NOTE" not in page
    assert "Below the healthy 70 %" in page
    # The at-risk pair links to the pair's summary, with the actions.
    erin = scenario.pairs["erin"]
    assert reverse("checkins:pair", args=[scenario.program.pk, erin.pk]) in page
    assert reverse("evidence:pair_action", args=[scenario.program.pk, erin.pk]) in page


@pytest.mark.django_db
def test_unknown_and_foreign_programs_answer_404(client, scenario, pam, other_org):
    client.force_login(pam.user)
    assert client.get(reverse("evidence:program", args=[999999])).status_code == 404
    foreign = ProgramFactory(organisation=other_org)
    assert client.get(dashboard_url(foreign)).status_code == 404


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_however_many_pairs(client, scenario, pam, org):
    from mentora.evidence.selectors import program_dashboard_compute  # noqa: F401 (cold path measured)
    from tests.evidence.scenario import _pair
    from tests.programs.factories import EnrolmentFactory

    client.force_login(pam.user)
    url = dashboard_url(scenario.program)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(6):
        mentor, mentee = PersonFactory(organisation=org), PersonFactory(organisation=org)
        EnrolmentFactory(program=scenario.program, person=mentor, role="mentor", capacity=1)
        EnrolmentFactory(program=scenario.program, person=mentee, role="mentee")
        _pair(scenario.program, mentor, mentee, started_days_ago=40 + n, met_days_ago=(30, 20), goals=(50,))
    with CaptureQueriesContext(connection) as cold:
        client.get(url)  # the rows changed: computed again
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert len(cold) <= len(before) + 40  # one computation: a fixed number of queries
    assert len(warm) == len(before)
    assert len(warm) < 20  # a warm page: the session, the viewer, the snapshot check and the fingerprint


@pytest.mark.django_db
def test_a_new_meeting_shows_on_the_next_read(client, scenario, pam):
    from django.utils import timezone

    from mentora.meetings.models import Meeting, MeetingStatus

    client.force_login(pam.user)
    url = dashboard_url(scenario.program)
    assert client.get(url).context["dashboard"].figures["pairs_with_3_meetings_percent"] == 66.7
    for _ in range(3):
        Meeting.objects.create(
            relationship=scenario.pairs["fay"],
            starts_at=timezone.now(),
            duration_minutes=30,
            status=MeetingStatus.HAPPENED,
        )
    assert client.get(url).context["dashboard"].figures["pairs_with_3_meetings_percent"] == 77.8


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["nudge", "message", "rematch"])
def test_an_action_on_an_at_risk_pair_is_sent_and_logged(
    client, scenario, pam, action, immediate_tasks, django_capture_on_commit_callbacks
):
    erin = scenario.pairs["erin"]
    client.force_login(pam.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evidence:pair_action", args=[scenario.program.pk, erin.pk]),
            {"action": action, "message": "How can I help?"},
        )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="evidence.pair_action")
    assert event.details == {"action": action, "program_id": scenario.program.pk}
    assert event.actor_person_id == pam.pk
    assert sorted(m.to[0] for m in mail.outbox) == sorted([erin.mentor.email, erin.mentee.email])
    if action == "message":
        assert "How can I help?" in mail.outbox[0].body
    else:
        assert "How can I help?" not in mail.outbox[0].body
    assert PairNudge.objects.filter(relationship=erin).exists() == (action == "nudge")


@pytest.mark.django_db
def test_actions_refused_clearly(client, scenario, pam, org):
    client.force_login(pam.user)
    program = scenario.program
    hal = scenario.pairs["hal"]  # ended
    url = reverse("evidence:pair_action", args=[program.pk, hal.pk])
    response = client.post(url, {"action": "nudge"}, follow=True)
    assert "Only a running pair can be contacted from here." in response.content.decode()
    erin_url = reverse("evidence:pair_action", args=[program.pk, scenario.pairs["erin"].pk])
    response = client.post(erin_url, {"action": "message", "message": "  "}, follow=True)
    assert "Write the message to send." in response.content.decode()
    response = client.post(erin_url, {"action": "explode"}, follow=True)
    assert response.status_code == 200 and "Choose an action" in response.content.decode()
    response = client.post(erin_url, {"action": "message", "message": "x" * 1001}, follow=True)
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="evidence.pair_action").exists()
    # A pair of another program, through this program's address: 404.
    other = ProgramFactory(organisation=org, managers=[pam])
    assert (
        client.post(reverse("evidence:pair_action", args=[other.pk, hal.pk]), {"action": "nudge"}).status_code
        == 404
    )
    assert client.get(erin_url).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, status",
    [
        ("mentor", 404),
        ("mentee", 404),
        ("line manager", 404),
        ("other organisation", 200),  # Charlie manages programs in Globex: his own organisation's page
    ],
)
def test_pair_actions_from_every_other_role_are_refused(client, scenario, people, role, status):
    client.force_login(people[role].user)
    erin = scenario.pairs["erin"]
    url = reverse("evidence:pair_action", args=[scenario.program.pk, erin.pk])
    assert client.post(url, {"action": "nudge"}).status_code == 404
    assert not AuditEvent.objects.filter(action="evidence.pair_action").exists()
    assert client.get(reverse("evidence:rollup")).status_code == status


@pytest.mark.django_db
def test_the_evidence_home_shows_the_rollup_to_admins_and_leaders_only(client, scenario, people):
    for role in ("org admin", "leader"):
        client.force_login(people[role].user)
        page = client.get(reverse("evidence:rollup")).content.decode()
        assert "Participation by department" in page and "Programs, cycle by cycle" in page
        assert "SECRET" not in page
    client.force_login(people["program manager"].user)
    page = client.get(reverse("evidence:rollup")).content.decode()
    assert "Participation by department" not in page
    assert dashboard_url(scenario.program) in page
    client.force_login(people["other organisation"].user)
    page = client.get(reverse("evidence:rollup")).content.decode()
    assert "Program P" not in page


@pytest.mark.django_db
def test_the_rollup_costs_the_same_queries_however_many_programs(client, scenario, olga, org):
    from tests.evidence.scenario import _pair
    from tests.programs.factories import EnrolmentFactory

    client.force_login(olga.user)
    url = reverse("evidence:rollup")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for name in ("Program Q", "Program R"):
        program = ProgramFactory(organisation=org, name=name)
        mentor, mentee = PersonFactory(organisation=org), PersonFactory(organisation=org)
        EnrolmentFactory(program=program, person=mentor, role="mentor", capacity=1)
        EnrolmentFactory(program=program, person=mentee, role="mentee")
        _pair(program, mentor, mentee, started_days_ago=40, met_days_ago=(30, 20, 10))
    with CaptureQueriesContext(connection) as three:
        assert b"Program R" in client.get(url).content
    assert len(three) == len(one)
