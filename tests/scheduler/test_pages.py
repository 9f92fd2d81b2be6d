"""The scheduled jobs page and `/api/scheduler/jobs`: org admins see the schedule and outcomes, the
site's staff also the figures and errors; nobody else sees anything."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from mentora.core import schedule
from mentora.scheduler.services import scheduler_tick
from tests.factories import UserFactory, api_headers

pytestmark = pytest.mark.django_db
JOBS_URL = reverse("scheduler:jobs")
API_URL = "/api/scheduler/jobs"


@pytest.fixture
def ran(test_jobs, immediate_tasks, django_capture_on_commit_callbacks):
    with freeze_time("2026-03-04 10:20"), django_capture_on_commit_callbacks(execute=True):
        scheduler_tick()


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


def test_an_org_admin_sees_each_job_with_its_last_outcome_but_not_its_figures(client, olga, ran):
    client.force_login(olga.user)
    page = client.get(JOBS_URL).content.decode()
    assert "tests.tally" in page and "Succeeded" in page
    assert "tests.broken" in page and "Failed" in page
    assert "every 15 minutes" in page
    assert "the HR share is offline" not in page and "counted" not in page


def test_the_site_s_staff_also_see_figures_and_errors(client, staff, ran):
    client.force_login(staff)
    page = client.get(JOBS_URL).content.decode()
    assert "the HR share is offline" in page and "counted" in page


def test_the_org_admin_s_navigation_leads_to_the_page(client, olga):
    client.force_login(olga.user)
    assert f'href="{JOBS_URL}"' in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("who", ["alice", "lou", "leo", "pam", "charlie"])
def test_every_other_role_is_refused(client, request, who, ran):
    person = request.getfixturevalue(who)
    client.force_login(person.user)
    assert client.get(JOBS_URL).status_code == 403
    assert f'href="{JOBS_URL}"' not in client.get(reverse("home")).content.decode()
    answer = client.get(API_URL, headers=api_headers(person))
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"


def test_a_visitor_is_sent_to_sign_in(client):
    assert client.get(JOBS_URL).status_code == 302
    assert client.get(API_URL).status_code == 401


def test_the_api_lists_jobs_without_figures_for_an_org_admin(client, olga, ran):
    body = client.get(API_URL, headers=api_headers(olga)).json()
    by_name = {job["name"]: job for job in body}
    tally = by_name["tests.tally"]
    assert tally["every_seconds"] == 900 and tally["daily_at"] is None
    assert tally["last_run"]["status"] == "succeeded"
    assert tally["last_run"]["result"] is None and tally["last_run"]["error"] is None
    assert by_name["tests.broken"]["daily_at"] == "02:30:00"
    assert by_name["tests.broken"]["last_success_at"] is None


def test_the_api_gives_staff_the_figures_and_errors(client, staff, ran):
    from mentora.api.services import api_token_create

    _token, raw = api_token_create(user=staff, name="tests")
    body = client.get(API_URL, headers={"Authorization": f"Bearer {raw}"}).json()
    by_name = {job["name"]: job for job in body}
    assert by_name["tests.tally"]["last_run"]["result"] == {"counted": 3}
    assert by_name["tests.broken"]["last_run"]["error"] == "RuntimeError: the HR share is offline"


def test_the_page_runs_a_fixed_number_of_queries(client, olga, test_jobs, django_assert_num_queries):
    client.force_login(olga.user)
    with freeze_time("2026-03-04 10:20"):
        scheduler_tick()
    client.get(JOBS_URL)  # warm the session and the viewer
    with django_assert_num_queries(QUERIES := _count(client)):
        client.get(JOBS_URL)
    for day in range(5, 9):
        schedule.register_job(
            name=f"tests.extra{day}", func=dict, description="More", every=datetime.timedelta(hours=day)
        )
        with freeze_time(f"2026-03-{day:02d} 10:20"):
            scheduler_tick()
    with django_assert_num_queries(QUERIES):
        client.get(JOBS_URL)


def _count(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(JOBS_URL)
    return len(queries)
