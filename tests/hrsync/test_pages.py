"""The HR sync page and API, and the person page's HR history, from every role's side."""

import datetime

import pytest
from django.urls import reverse

from mentora.core.roles import viewer_for
from mentora.hrsync.models import HrSyncRun, HrSyncSource, RunStatus
from mentora.hrsync.services import hr_sync_configure
from mentora.people.models import PersonHrChange
from mentora.people.services import person_update
from tests.factories import PersonFactory, api_headers

pytestmark = pytest.mark.django_db
PAGE = reverse("hrsync:page")
RUN = reverse("hrsync:run")
URL = "https://hr.example.com/export.csv"


@pytest.fixture
def configured(olga):
    return hr_sync_configure(
        viewer=viewer_for(olga.user), enabled=True, kind="url", url=URL, bearer_token="t0ken"
    )


@pytest.fixture
def other_admin(other_org):
    return PersonFactory(organisation=other_org, full_name="Gina Globex", roles=["org_admin"])


def test_the_org_admin_configures_the_source_on_the_page(client, olga):
    client.force_login(olga.user)
    assert f'href="{PAGE}"' in client.get(reverse("home")).content.decode()
    answer = client.post(
        PAGE, {"enabled": "on", "kind": "url", "url": URL, "bearer_token": "t0ken", "every_hours": "12"}
    )
    assert answer.status_code == 302
    source = HrSyncSource.objects.get()
    assert (source.url, source.bearer_token, source.every_hours, source.enabled) == (URL, "t0ken", 12, True)
    page = client.get(PAGE).content.decode()
    assert "A bearer token is saved." in page and "t0ken" not in page


def test_a_bad_source_on_the_page_says_why_and_saves_nothing(client, olga):
    client.force_login(olga.user)
    answer = client.post(PAGE, {"kind": "url", "url": "http://hr.example.com/x.csv", "every_hours": "500"})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "https://" in page and "has-error" in page
    assert not HrSyncSource.objects.exists()


def test_run_now_queues_a_run_and_the_page_lists_it(client, olga, configured):
    client.force_login(olga.user)
    assert client.post(RUN).status_code == 302
    run = HrSyncRun.objects.get()
    assert run.status == RunStatus.QUEUED and run.requested_by == olga
    page = client.get(PAGE).content.decode()
    assert "Run now" in page and "Queued" in page and URL in page


@pytest.mark.parametrize("who", ["alice", "pam", "lou", "leo", "charlie", "other_admin"])
def test_every_other_role_and_organisation_is_refused(client, request, who, configured):
    person = request.getfixturevalue(who)
    client.force_login(person.user)
    assert client.get(PAGE).status_code == (200 if who == "other_admin" else 403)
    if who == "other_admin":  # their own organisation's page: nothing of Acme's
        assert URL not in client.get(PAGE).content.decode()
    else:
        assert f'href="{PAGE}"' not in client.get(reverse("home")).content.decode()
    assert client.post(
        PAGE, {"kind": "url", "url": "https://evil.example.com/x.csv", "every_hours": "1"}
    ).status_code in (302, 403)
    client.post(RUN)
    headers = api_headers(person)
    assert client.get("/api/hr-sync/runs", headers=headers).status_code in (200, 403)
    if who != "other_admin":
        assert client.get("/api/hr-sync", headers=headers).status_code == 403
        assert client.post("/api/hr-sync/runs", headers=headers).status_code == 403
    else:
        runs = client.get("/api/hr-sync/runs", headers=headers).json()
        assert [run["source"] for run in runs] == ["https://evil.example.com/x.csv"]  # their own
    acme = HrSyncSource.objects.get(organisation=configured.organisation)
    assert acme.url == URL
    assert not HrSyncRun.objects.filter(organisation=configured.organisation).exists()


def test_the_api_saves_reads_and_runs_the_sync(client, olga):
    headers = api_headers(olga)
    assert client.get("/api/hr-sync", headers=headers).status_code == 404
    answer = client.put(
        "/api/hr-sync",
        {"enabled": False, "kind": "url", "url": URL, "bearer_token": "t0ken"},
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["has_bearer_token"] is True and "t0ken" not in answer.content.decode()
    run = client.post("/api/hr-sync/runs", headers=headers)
    assert run.status_code == 202 and run.json()["status"] == "queued"
    again = client.post("/api/hr-sync/runs", headers=headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "running"
    assert [r["id"] for r in client.get("/api/hr-sync/runs", headers=headers).json()] == [run.json()["id"]]


def test_the_api_refuses_a_bad_source_with_its_field(client, olga):
    answer = client.put(
        "/api/hr-sync",
        {"enabled": True, "kind": "folder", "folder": "/etc"},
        content_type="application/json",
        headers=api_headers(olga),
    )
    assert answer.status_code == 422
    assert [d["field"] for d in answer.json()["error"]["details"]] == ["folder"]
    assert not HrSyncSource.objects.exists()


def test_the_page_runs_a_fixed_number_of_queries(client, olga, configured, django_assert_num_queries):
    client.force_login(olga.user)
    HrSyncRun.objects.create(
        organisation=olga.organisation,
        trigger="manual",
        requested_by=olga,
        status="failed",
        source=URL,
        reason="HTTP 404",
    )
    client.get(PAGE)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(PAGE)
    for _ in range(5):
        HrSyncRun.objects.create(
            organisation=olga.organisation,
            trigger="manual",
            requested_by=olga,
            status="failed",
            source=URL,
            reason="HTTP 404",
        )
    with django_assert_num_queries(len(first)):
        client.get(PAGE)


# -- the person page's HR history ----------------------------------------------------------------


@pytest.fixture
def history(olga, alice, lou):
    person_update(
        actor=viewer_for(olga.user),
        person=alice,
        job_title="Analyst",
        leaving_date=datetime.date(2026, 9, 30),
    )
    return PersonHrChange.objects.filter(person=alice)


@pytest.mark.parametrize(
    "who, sees",
    [("alice", True), ("lou", True), ("leo", True), ("pam", True), ("olga", True), ("bob", False)],
)
def test_the_hr_history_shows_to_the_person_their_managers_and_the_people_team(
    client, request, alice, history, who, sees
):
    person = request.getfixturevalue(who)
    client.force_login(person.user)
    page = client.get(reverse("people:detail", args=[alice.pk])).content.decode()
    assert ("HR history" in page and "Analyst" in page) is sees
    answer = client.get(f"/api/people/{alice.pk}/hr-history", headers=api_headers(person))
    if sees:
        assert answer.status_code == 200
        assert {row["field"] for row in answer.json()} == {"job_title", "leaving_date"}
    else:
        assert answer.status_code == 403


def test_another_organisation_gets_404_for_the_hr_history(client, alice, history, charlie):
    client.force_login(charlie.user)
    assert client.get(reverse("people:detail", args=[alice.pk])).status_code == 404
    assert client.get(f"/api/people/{alice.pk}/hr-history", headers=api_headers(charlie)).status_code == 404


def test_a_manager_sets_a_leaving_date_on_the_edit_page(client, pam, alice):
    client.force_login(pam.user)
    data = {
        "full_name": alice.full_name,
        "employee_id": alice.employee_id,
        "seniority": alice.seniority,
        "time_zone": alice.time_zone,
        "leaving_date": "2026-10-31",
        "is_active": "on",
        "roles": ["participant"],
    }
    answer = client.post(reverse("people:edit", args=[alice.pk]), data)
    assert answer.status_code == 302, answer.context["form"].errors
    change = PersonHrChange.objects.get(person=alice)
    assert (change.field, change.new_value, change.actor) == ("leaving_date", "2026-10-31", pam)
