"""The dashboards through the REST API: the same figures, permissions and suppression as the pages."""

import pytest

from mentora.audit.models import AuditEvent
from tests.evidence.test_views import people  # noqa: F401 (the roles around Program P)
from tests.factories import api_headers
from tests.programs.factories import ProgramFactory


def dashboard_path(program) -> str:
    return f"/api/evidence/programs/{program.pk}/dashboard"


@pytest.mark.django_db
def test_the_dashboard_answers_every_table_as_records_with_hidden_cells_null(client, scenario, pam):
    answer = client.get(dashboard_path(scenario.program), headers=api_headers(pam))
    assert answer.status_code == 200
    body = answer.json()
    assert body["figures"]["match_rate_percent"] == 69.2
    tables = {table["key"]: table for table in body["tables"]}
    assert list(tables) == [
        "funnel", "matching", "pair_health", "meeting_cadence", "goal_progress", "usefulness_over_time",
        "sponsorship", "fairness_department", "fairness_seniority", "fairness_demographic_group",
        "fairness_under_sponsored", "fairness_over_time",
    ]  # fmt: skip
    departments = {row["group"]: row for row in tables["fairness_department"]["rows"]}
    assert departments["Legal"]["mentees"] is None and departments["Sales"]["match_rate_percent"] is None
    assert departments["Engineering"]["mentees"] == 6
    assert [row["relationship_id"] for row in body["at_risk"]] == [scenario.pairs["erin"].pk]
    assert body["at_risk"][0]["reasons"] == ["silent"]
    assert "SECRET" not in answer.content.decode()


@pytest.mark.django_db
def test_one_table_by_key_and_an_unknown_key(client, scenario, pam):
    headers = api_headers(pam)
    one = client.get(f"/api/evidence/programs/{scenario.program.pk}/tables/pair_health", headers=headers)
    assert one.status_code == 200
    assert [row["pairs"] for row in one.json()["rows"]] == [5, 1, 1, 1]
    unknown = client.get(f"/api/evidence/programs/{scenario.program.pk}/tables/nope", headers=headers)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    ["mentee", "mentor", "line manager", "leader", "another program's manager", "other organisation"],
)
def test_every_other_role_gets_404_for_the_dashboard_and_its_actions(client, scenario, people, role):  # noqa: F811
    headers = api_headers(people[role])
    assert client.get(dashboard_path(scenario.program), headers=headers).status_code == 404
    erin = scenario.pairs["erin"]
    answer = client.post(
        f"/api/evidence/programs/{scenario.program.pk}/pairs/{erin.pk}/actions",
        {"action": "nudge"},
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 404
    assert not AuditEvent.objects.filter(action="evidence.pair_action").exists()


@pytest.mark.django_db
def test_bad_input_is_a_clear_error(client, scenario, pam, other_org):
    headers = api_headers(pam)
    assert client.get("/api/evidence/programs/99999999/dashboard", headers=headers).status_code == 404
    assert (
        client.get(dashboard_path(ProgramFactory(organisation=other_org)), headers=headers).status_code == 404
    )
    base = f"/api/evidence/programs/{scenario.program.pk}/pairs"
    erin, hal = scenario.pairs["erin"], scenario.pairs["hal"]
    post = lambda path, body: client.post(path, body, content_type="application/json", headers=headers)  # noqa: E731
    bad = post(f"{base}/{erin.pk}/actions", {"action": "explode"})
    assert bad.status_code == 422 and bad.json()["error"]["field"].endswith("action")
    empty = post(f"{base}/{erin.pk}/actions", {"action": "message", "message": " "})
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "required"
    long = post(f"{base}/{erin.pk}/actions", {"action": "message", "message": "x" * 1001})
    assert long.status_code == 422 and long.json()["error"]["code"] == "too_long"
    ended = post(f"{base}/{hal.pk}/actions", {"action": "rematch"})
    assert ended.status_code == 409 and ended.json()["error"]["code"] == "not_active"
    assert post(f"{base}/99999999/actions", {"action": "nudge"}).status_code == 404
    created = post(f"{base}/{erin.pk}/actions", {"action": "nudge"})
    assert created.status_code == 201 and created.json()["action"] == "nudge"
    again = post(f"{base}/{erin.pk}/actions", {"action": "nudge"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "too_soon"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, status",
    [
        ("org admin", 200),
        ("leader", 200),
        ("program manager", 403),
        ("mentee", 403),
        ("mentor", 403),
        ("line manager", 403),
        ("other organisation", 403),
    ],
)
def test_the_rollup_is_for_org_admins_and_leaders(client, scenario, people, role, status):  # noqa: F811
    answer = client.get("/api/evidence/organisation", headers=api_headers(people[role]))
    assert answer.status_code == status
    if status == 200:
        tables = {table["key"]: table for table in answer.json()["tables"]}
        programs = {row["program"]: row for row in tables["programs_over_cycles"]["rows"]}
        assert programs["Program P"]["approved_mentees"] == 13
        assert programs["Program P"]["match_rate_percent"] == 69.2


@pytest.mark.django_db
def test_the_rollup_never_counts_another_organisations_people(client, scenario, charlie, other_org):
    from mentora.organisations.models import Role
    from tests.factories import PersonFactory

    admin = PersonFactory(organisation=other_org, roles=[Role.ORG_ADMIN])
    answer = client.get("/api/evidence/organisation", headers=api_headers(admin)).json()
    tables = {table["key"]: table for table in answer["tables"]}
    assert tables["programs_over_cycles"]["rows"] == []
    assert (
        sum(row["people"] for row in tables["participation_by_department"]["rows"]) == 2
    )  # Charlie, the admin
