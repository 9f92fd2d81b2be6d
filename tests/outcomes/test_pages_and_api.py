"""A program's outcome analyses: started and read by its managers and the org admins only (pages and
API), run in the background, the balance table before any outcome, no name of anyone, no estimate
below the minimum sample."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentora.audit.models import Action, AuditEvent
from mentora.outcomes.models import AnalysisStatus, OutcomeAnalysis
from tests.factories import api_headers
from tests.markup import duplicate_ids, unlabelled_fields
from tests.outcomes.conftest import AS_OF, START, hired, population
from tests.programs.factories import ProgramFactory

INLINE = re.compile(r"\sstyle=|<style\b|<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=", re.IGNORECASE)
OTHERS = ["pat", "alice", "bob", "lou", "leo", "charlie"]


@pytest.fixture
def mentee_and_mentor(org, program, sales, alice, bob):
    """Alice is a mentee of the program, Bob her mentor."""
    from tests.outcomes.conftest import pair

    hired(alice)
    hired(bob)
    pair(program, bob, alice, started=START)
    return alice, bob


@pytest.fixture
def analysis(program, pam):
    return OutcomeAnalysis.objects.create(
        organisation=program.organisation, program=program, requested_by=pam, as_of=AS_OF
    )


@pytest.mark.parametrize("who", ["pam", "olga"])
def test_managers_and_org_admins_run_an_analysis(
    client, request, who, program, sales, django_capture_on_commit_callbacks
):
    person = request.getfixturevalue(who)
    client.force_login(person.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/outcomes/programs/{program.pk}/", {"as_of": AS_OF.isoformat()})

    job = OutcomeAnalysis.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/outcomes/analyses/{job.pk}/"
    assert (job.status, job.requested_by, job.as_of) == (AnalysisStatus.DONE, person, AS_OF)
    assert AuditEvent.objects.filter(action=Action.OUTCOME_ANALYSIS_STARTED, actor_person=person).exists()
    page = client.get(f"/outcomes/analyses/{job.pk}/").content.decode()
    assert "fewer than 20 participants" in page  # nobody took part: refused, with the reason


@pytest.mark.parametrize("who", OTHERS)
def test_nobody_else_sees_or_starts_a_programs_analysis(
    client, request, who, program, analysis, mentee_and_mentor
):
    client.force_login(request.getfixturevalue(who).user)

    assert client.get(f"/outcomes/programs/{program.pk}/").status_code in (403, 404)
    assert client.post(f"/outcomes/programs/{program.pk}/", {"as_of": AS_OF.isoformat()}).status_code in (
        403,
        404,
    )
    assert client.get(f"/outcomes/analyses/{analysis.pk}/").status_code in (403, 404)
    assert OutcomeAnalysis.objects.count() == 1


@pytest.mark.parametrize("who", OTHERS)
def test_the_api_answers_nobody_else(client, request, who, program, analysis, mentee_and_mentor):
    headers = api_headers(request.getfixturevalue(who))

    assert client.get(f"/api/outcomes/analyses/{analysis.pk}", headers=headers).status_code == 404
    assert client.get(f"/api/outcomes/programs/{program.pk}/analyses", headers=headers).status_code == 404
    started = client.post(
        f"/api/outcomes/programs/{program.pk}/analyses", {}, "application/json", headers=headers
    )
    assert started.status_code == 404
    assert OutcomeAnalysis.objects.count() == 1


def test_the_outcomes_home_lists_only_managed_programs(client, pam, pat, program, alice):
    ProgramFactory(organisation=program.organisation, name="Not Pams")
    client.force_login(pam.user)

    page = client.get("/outcomes/").content.decode()

    assert "Rising leads" in page and "Not Pams" not in page
    client.force_login(alice.user)
    assert client.get("/outcomes/").status_code == 403


def test_an_analysis_before_the_cycle_started_is_refused(client, pam, program):
    client.force_login(pam.user)

    page = client.post(f"/outcomes/programs/{program.pk}/", {"as_of": "2025-01-06"})
    api = client.post(
        f"/api/outcomes/programs/{program.pk}/analyses",
        {"as_of": "2024-12-01"},
        "application/json",
        headers=api_headers(pam),
    )

    assert page.status_code == 400 and "there are no outcomes to compare before it" in page.content.decode()
    assert api.json()["error"]["code"] == "not_started" and api.json()["error"]["field"] == "as_of"
    assert OutcomeAnalysis.objects.count() == 0


def test_bad_input_is_a_clear_error(client, pam, program):
    client.force_login(pam.user)

    assert client.post(f"/outcomes/programs/{program.pk}/", {"as_of": "someday"}).status_code == 400
    future = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    response = client.post(
        f"/api/outcomes/programs/{program.pk}/analyses",
        {"as_of": future},
        "application/json",
        headers=api_headers(pam),
    )
    assert response.json()["error"]["code"] == "in_future"
    assert (
        client.get("/api/outcomes/analyses/99999999999999999999", headers=api_headers(pam)).status_code == 422
    )


def test_the_whole_analysis_on_a_real_organisation(
    client, org, program, sales, pam, django_capture_on_commit_callbacks
):
    mentees = population(org, program, sales, participants=24, others=60, leavers=(3, 14))
    client.force_login(pam.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/outcomes/programs/{program.pk}/analyses",
            {"as_of": AS_OF.isoformat()},
            "application/json",
            headers=api_headers(pam),
        )

    assert response.status_code == 202
    body = client.get(f"/api/outcomes/analyses/{response.json()['id']}", headers=api_headers(pam)).json()
    assert body["status"] == "done" and body["refused"] is None
    keys = [table["key"] for table in body["tables"]]
    assert keys[:2] == ["outcome_samples", "outcome_balance"]  # who and how alike, before any outcome
    assert keys.index("outcome_balance") < keys.index("outcome_retention")
    retention = next(table for table in body["tables"] if table["key"] == "outcome_retention")
    everyone = retention["rows"][0]
    assert everyone["participants"] == 24 and everyone["hazard_ratio"] is not None
    assert everyone["leavers_participants"] is None  # 3 leavers: under the privacy minimum, withheld
    assert body["curves"]["participants"][0] == {
        "day": 0,
        "survival": 1.0,
        "lower": 1.0,
        "upper": 1.0,
        "at_risk": 24,
    }

    page = client.get(f"/outcomes/analyses/{body['id']}/").content.decode()
    assert page.index("Covariate balance") < page.index("Leaving: hazard ratio") < page.index("<svg")
    assert "What this cannot show" in page
    assert not any(person.full_name in page for person in mentees)
    assert INLINE.findall(page) == [] and duplicate_ids(page) == [] and unlabelled_fields(page) == []


def test_an_analysis_is_listed_on_the_program_page_and_its_section(client, pam, program, analysis):
    client.force_login(pam.user)

    assert (
        f"/outcomes/analyses/{analysis.pk}/"
        in client.get(f"/outcomes/programs/{program.pk}/").content.decode()
    )
    assert (
        f"/outcomes/programs/{program.pk}/" in client.get(f"/programs/{program.pk}/manage/").content.decode()
    )


def test_a_queued_analysis_says_so(client, pam, analysis):
    client.force_login(pam.user)

    page = client.get(f"/outcomes/analyses/{analysis.pk}/").content.decode()

    assert "Status: Queued" in page
    body = client.get(f"/api/outcomes/analyses/{analysis.pk}", headers=api_headers(pam)).json()
    assert (body["status"], body["tables"], body["curves"]) == ("queued", [], {})


def test_another_organisations_manager_never_reads_it(client, charlie, other_org, analysis):
    their_program = ProgramFactory(organisation=other_org, managers=[charlie])
    client.force_login(charlie.user)

    assert client.get(f"/outcomes/programs/{their_program.pk}/").status_code == 200
    assert client.get(f"/outcomes/analyses/{analysis.pk}/").status_code == 404


def test_the_program_page_reads_the_same_queries_whatever_the_number_of_analyses(client, pam, program):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/outcomes/programs/{program.pk}/").status_code == 200
        return len(captured.captured_queries)

    client.force_login(pam.user)
    OutcomeAnalysis.objects.create(
        organisation=program.organisation, program=program, requested_by=pam, as_of=AS_OF
    )
    one = queries()
    for _n in range(4):
        OutcomeAnalysis.objects.create(
            organisation=program.organisation, program=program, requested_by=pam, as_of=AS_OF
        )

    assert queries() == one
