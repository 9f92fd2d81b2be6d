"""Matching pages and API, from every side: the program's manager, another manager of the
organisation, a participant, an org admin and someone from another organisation."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.organisations.models import Department, Role
from mentora.pairing import selectors, services
from mentora.pairing.models import MatchRun, PairRule, ProposalState, RunStatus
from mentora.programs.models import MatchingComponent
from mentora.relationships.models import Relationship
from tests.factories import PASSWORD, PersonFactory, api_headers
from tests.markup import names_without_their_text
from tests.pairing.conftest import enrol_mentee
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(program, pam, cohort):
    created = services.match_run_create(program=program, created_by=pam, settings={})
    return services.match_run_execute(run_id=created.pk)


@pytest.fixture
def quinn(org):
    """A program manager of another program, Q, in the same organisation."""
    quinn = PersonFactory(organisation=org, full_name="Quinn Other", roles=[Role.PROGRAM_MANAGER])
    ProgramFactory(organisation=org, name="Program Q", managers=[quinn])
    return quinn


def login(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def test_the_manager_starts_a_run_from_the_matching_page(
    client, program, pam, cohort, django_capture_on_commit_callbacks
):
    login(client, pam)
    page = client.get(reverse("pairing:home", args=[program.pk]))
    assert page.status_code == 200
    assert b'value="0.4"' in page.content  # weights pre-filled from the program
    data = {
        "weight_goal_fit": "0.5",
        "weight_purpose": "0.2",
        "weight_diversity": "0.1",
        "weight_practical": "0.1",
        "weight_preference": "0.1",
        "diversity_dial": "0.6",
        "min_tz_overlap_hours": "2",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pairing:home", args=[program.pk]), data)
    run = MatchRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("pairing:run", args=[run.pk])
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.settings["weights"]["goal_fit"] == 0.5
    page = client.get(response.url)
    assert page.status_code == 200
    assert b"Ella Mentee" in page.content and b'class="component-bars"' in page.content


def test_invalid_weights_are_shown_on_the_form(client, program, pam, cohort):
    login(client, pam)
    data = dict.fromkeys(
        ["weight_goal_fit", "weight_purpose", "weight_diversity", "weight_practical", "weight_preference"],
        "0",
    )
    data.update(diversity_dial="0.5", min_tz_overlap_hours="2")
    response = client.post(reverse("pairing:home", args=[program.pk]), data)
    assert response.status_code == 200
    assert "At least one matching weight must be above 0." in response.content.decode()
    data["weight_goal_fit"] = "3"
    response = client.post(reverse("pairing:home", args=[program.pk]), data)
    assert response.status_code == 200 and not MatchRun.objects.exists()


def test_an_empty_program_gets_a_clear_message(client, program, pam):
    login(client, pam)
    data = {
        "weight_goal_fit": "0.5",
        "weight_purpose": "0.2",
        "weight_diversity": "0.1",
        "weight_practical": "0.1",
        "weight_preference": "0.1",
        "diversity_dial": "0.6",
        "min_tz_overlap_hours": "2",
    }
    response = client.post(reverse("pairing:home", args=[program.pk]), data)
    assert response.status_code == 200
    assert "no approved mentee" in response.content.decode()


def test_the_run_list_polls_while_a_run_is_running(client, program, pam, cohort):
    login(client, pam)
    run = services.match_run_create(program=program, created_by=pam, settings={})
    fragment = client.get(reverse("pairing:runs", args=[program.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    progress = client.get(reverse("pairing:progress", args=[run.pk]) + "?reload=1", HTTP_HX_REQUEST="true")
    assert "every 1s" in progress.content.decode() and "HX-Refresh" not in progress
    services.match_run_execute(run_id=run.pk)
    fragment = client.get(reverse("pairing:runs", args=[program.pk]), HTTP_HX_REQUEST="true")
    assert "every 1s" not in fragment.content.decode()
    progress = client.get(reverse("pairing:progress", args=[run.pk]) + "?reload=1", HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"


def test_lock_and_forbid_through_htmx_return_the_row(client, run, pam):
    login(client, pam)
    first, second = run.proposals.order_by("id")[:2]
    response = client.post(
        reverse("pairing:proposal_action", args=[first.pk, "lock"]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and f'id="proposal-{first.pk}"' in response.content.decode()
    assert "Locked" in response.content.decode()
    client.post(reverse("pairing:proposal_action", args=[second.pk, "forbid"]), HTTP_HX_REQUEST="true")
    assert PairRule.objects.count() == 2
    assert client.post(reverse("pairing:proposal_action", args=[first.pk, "explode"])).status_code == 404


def test_swap_and_compare_pages(client, program, run, pam):
    login(client, pam)
    proposals = list(run.proposals.order_by("id"))
    first = proposals[0]
    second = next(p for p in proposals if p.mentor_id != first.mentor_id)
    response = client.post(reverse("pairing:swap", args=[run.pk]), {"first": first.pk, "second": second.pk})
    assert response.status_code == 302
    old_second_mentor = second.mentor_id
    first.refresh_from_db()
    assert first.mentor_id == old_second_mentor
    other = services.match_run_execute(
        run_id=services.match_run_create(program=program, created_by=pam, settings={}).pk
    )
    page = client.get(reverse("pairing:compare", args=[program.pk]), {"a": run.pk, "b": other.pk})
    assert page.status_code == 200 and "in common" in page.content.decode()
    # Weights are named as the matching components are everywhere (programs.models.MatchingComponent).
    run_page = client.get(reverse("pairing:run", args=[run.pk])).content.decode()
    for component in [component for component in MatchingComponent if component.value]:
        assert f"Weight: {component.label}" in page.content.decode()
        assert f"{component.label} {run.settings['weights'][component.value]}" in run_page
    bad = client.get(reverse("pairing:compare", args=[program.pk]), {"a": "x"})
    assert bad.status_code == 302


def test_publish_asks_for_confirmation_then_creates_pending_relationships(client, run, pam):
    login(client, pam)
    page = client.get(reverse("pairing:publish", args=[run.pk]))
    assert page.status_code == 200 and "Yes, publish" in page.content.decode()
    assert not Relationship.objects.exists()
    response = client.post(reverse("pairing:publish", args=[run.pk]))
    assert response.status_code == 302
    assert Relationship.objects.count() == 3
    assert run.proposals.filter(state=ProposalState.ACCEPTED).count() == 3
    again = client.post(reverse("pairing:publish", args=[run.pk]), follow=True)
    assert "already published" in again.content.decode()
    assert Relationship.objects.count() == 3


def test_the_proposal_page_runs_a_fixed_number_of_queries(client, program, pam, skill, cohort):
    enrol_mentee(program, name="Expert already", skill=skill, self_level=5)  # nobody can teach them
    first = services.match_run_execute(
        run_id=services.match_run_create(program=program, created_by=pam, settings={}).pk
    )
    for n in range(5):
        enrol_mentee(program, name=f"Extra {n}", skill=skill)
    second = services.match_run_execute(
        run_id=services.match_run_create(program=program, created_by=pam, settings={}).pk
    )
    assert second.proposals.count() > first.proposals.count()
    login(client, pam)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("pairing:run", args=[first.pk])).status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("pairing:run", args=[second.pk])).status_code == 200
    assert len(large) == len(small)


def rows(response) -> int:
    return response.content.decode().count('<tr id="proposal-')


def test_the_proposal_page_is_paged_and_filtered_with_htmx_fragments(client, run, pam, cohort, monkeypatch):
    monkeypatch.setattr(selectors, "PROPOSALS_PER_PAGE", 2)
    login(client, pam)
    url = reverse("pairing:run", args=[run.pk])
    first = client.get(url)
    assert rows(first) == 2 and "3 proposed pairs" in first.content.decode()
    assert rows(client.get(url, {"page": 2})) == 1
    assert rows(client.get(url, {"page": "nonsense"})) == 2

    ella = cohort[1][0]
    by_name = client.get(url, {"name": "ella"})
    assert rows(by_name) == 1 and ella.full_name in by_name.content.decode()
    engineering = Department.objects.get(name="Engineering")
    in_engineering = run.proposals.filter(
        Q(mentor__department=engineering) | Q(mentee__department=engineering)
    ).count()
    assert rows(client.get(url, {"department": engineering.pk, "page": 1})) == min(in_engineering, 2)
    none = client.get(url, {"min_score": "1"})
    assert rows(none) == 0 and "No pair matches these filters." in none.content.decode()
    assert rows(client.get(url, {"min_score": "lots", "department": "x"})) == 2  # bad input is ignored

    fragment = client.get(url, {"name": "ella"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="proposals")
    html = fragment.content.decode()
    assert fragment.status_code == 200 and html.startswith('<div id="proposals">') and "<html" not in html
    assert rows(fragment) == 1
    assert "HX-Request" in fragment["Vary"] and "HX-Request" in first["Vary"]
    elsewhere = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="sidebar").content.decode()
    assert "<html" in elsewhere  # only a swap aimed at the proposals gets them alone


def test_swapping_picks_the_other_pair_by_search_not_from_a_list_of_every_pair(client, run, pam):
    login(client, pam)
    page = client.get(reverse("pairing:run", args=[run.pk])).content.decode()
    pairs_section = page.split('id="pairs-heading"')[1].split("</section>")[0]
    assert 'name="first"' not in pairs_section and 'name="second"' not in pairs_section
    proposals = list(run.proposals.order_by("id"))
    first = proposals[0]
    others = [p for p in proposals if p.mentor_id != first.mentor_id]
    url = reverse("pairing:swap", args=[run.pk])
    assert f"{url}?first={first.pk}" in page
    assert names_without_their_text(page) == []

    picker = client.get(url, {"first": first.pk}).content.decode()
    assert names_without_their_text(picker) == []
    assert all(f'name="second" value="{p.pk}"' in picker for p in others)
    assert f'name="second" value="{first.pk}"' not in picker
    wanted = others[0]
    found = client.get(
        url, {"first": first.pk, "name": wanted.mentee.full_name[:4]}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert found.startswith('<div id="swap-candidates">') and f'value="{wanted.pk}"' in found
    assert "No pair matches" in client.get(url, {"first": first.pk, "name": "zzz"}).content.decode()

    lost = client.get(url, {"first": "abc"}, follow=True)
    assert "Pick the pair to swap" in lost.content.decode()
    response = client.post(url, {"first": first.pk, "second": wanted.pk})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.mentor_id == wanted.mentor_id


def test_nobody_sees_a_private_self_assessment_through_an_explanation(client, run, pam, cohort):
    """Ella's self-assessed level (1) is private; the engine's reasons quote it, the stored ones do not."""
    _, mentees = cohort
    ella = mentees[0]
    proposal = run.proposals.get(mentee=ella)
    assert proposal.reasons
    assert not any({"own_level", "at_least"} & set(reason["params"]) for reason in proposal.reasons)
    login(client, pam)
    page = client.get(reverse("pairing:run", args=[run.pk])).content.decode()
    assert "rate yourself" not in page and "I freeze when I have to present" not in page
    api = client.get(f"/api/matching/runs/{run.pk}/proposals", headers=api_headers(pam)).content.decode()
    assert "own_level" not in api and "rate yourself" not in api and "self_assessment" not in api
    detail = client.get(f"/api/matching/runs/{run.pk}", headers=api_headers(pam)).content.decode()
    assert "self_assessment" not in detail and "input_snapshot" not in detail


# ---- permissions --------------------------------------------------------------------------------


def page_urls(run):
    proposal = run.proposals.first()
    program_id = run.program_id
    return [
        ("get", reverse("pairing:home", args=[program_id])),
        ("get", reverse("pairing:runs", args=[program_id])),
        ("get", reverse("pairing:run", args=[run.pk])),
        ("get", reverse("pairing:progress", args=[run.pk])),
        ("get", reverse("pairing:publish", args=[run.pk])),
        ("get", reverse("pairing:compare", args=[program_id]) + f"?a={run.pk}&b={run.pk}"),
        ("post", reverse("pairing:publish", args=[run.pk])),
        ("post", reverse("pairing:proposal_action", args=[proposal.pk, "lock"])),
        ("post", reverse("pairing:swap", args=[run.pk])),
    ]


@pytest.mark.parametrize("who, status", [("quinn", 403), ("alice", 403), ("charlie", 404)])
def test_only_the_programs_managers_reach_its_matching_pages(client, run, who, status, request):
    person = request.getfixturevalue(who)
    login(client, person)
    for method, url in page_urls(run):
        response = getattr(client, method)(url)
        assert response.status_code == status, (method, url)
    assert not Relationship.objects.exists() and not PairRule.objects.exists()


def test_an_org_admin_manages_every_programs_matching(client, run, olga):
    login(client, olga)
    assert client.get(reverse("pairing:run", args=[run.pk])).status_code == 200


def test_signed_out_visitors_are_sent_to_the_login_page(client, run):
    response = client.get(reverse("pairing:run", args=[run.pk]))
    assert response.status_code == 302 and reverse("login") in response.url


def test_participants_see_their_own_pairing_only_after_publishing(client, run, pam, cohort):
    mentors, mentees = cohort
    services.match_run_publish(run=run, by=pam)
    login(client, mentees[0])
    page = client.get(reverse("relationships:mine")).content.decode()
    own = Relationship.objects.get(mentee=mentees[0])
    assert own.mentor.full_name in page
    assert mentees[1].full_name not in page and mentees[2].full_name not in page


# ---- API --------------------------------------------------------------------------------------------


def test_the_api_runs_and_publishes(client, program, pam, cohort):
    headers = api_headers(pam)
    response = client.post(
        f"/api/matching/programs/{program.pk}/runs",
        {"weights": {"goal_fit": 0.6}, "diversity_dial": 0.5},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    run_id = response.json()["id"]
    services.match_run_execute(run_id=run_id)  # on_commit does not fire inside the test transaction
    run = client.get(f"/api/matching/runs/{run_id}", headers=headers).json()
    assert run["status"] == "succeeded" and run["summary"]["pairs"] == 3
    assert run["settings"]["weights"]["goal_fit"] == 0.6
    proposals = client.get(f"/api/matching/runs/{run_id}/proposals", headers=headers).json()["results"]
    assert len(proposals) == 3 and {"score", "components", "reasons"} <= set(proposals[0])
    locked = client.post(f"/api/matching/proposals/{proposals[0]['id']}/lock", headers=headers).json()
    assert locked["locked"] is True
    forbidden = client.post(f"/api/matching/proposals/{proposals[1]['id']}/forbid", headers=headers).json()
    assert forbidden["state"] == "rejected"
    cleared = client.post(f"/api/matching/proposals/{proposals[1]['id']}/clear", headers=headers).json()
    assert cleared["state"] == "proposed"
    other = client.get(f"/api/matching/programs/{program.pk}/runs", headers=headers).json()["results"]
    assert [r["id"] for r in other] == [run_id]
    compare = client.get(f"/api/matching/runs/{run_id}/compare/{run_id}", headers=headers).json()
    assert compare["pairs_in_common"] == 3
    assert compare["first"] == compare["second"]
    assert (compare["first"]["run_id"], compare["first"]["pairs"]) == (run_id, 3)
    published = client.post(f"/api/matching/runs/{run_id}/publish", headers=headers)
    assert published.status_code == 200 and len(published.json()["relationship_ids"]) == 3
    again = client.post(f"/api/matching/runs/{run_id}/publish", headers=headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "published"


def test_the_api_swap_reports_rule_breaks_in_the_error_shape(client, org, program, pam, skill):
    from tests.pairing.conftest import enrol_mentor

    boss = enrol_mentor(program, name="Boss", skill=skill, capacity=1)
    enrol_mentor(program, name="Other mentor", skill=skill, capacity=1)
    middle = PersonFactory(organisation=org, full_name="Middle", manager=boss)
    enrol_mentee(program, name="Report", skill=skill, manager=middle)
    enrol_mentee(program, name="Free", skill=skill)
    run = services.match_run_execute(
        run_id=services.match_run_create(program=program, created_by=pam, settings={}).pk
    )
    first, second = run.proposals.order_by("id")
    response = client.post(
        f"/api/matching/runs/{run.pk}/swap",
        {"first": first.pk, "second": second.pk},
        content_type="application/json",
        headers=api_headers(pam),
    )
    assert response.status_code == 422
    assert "reporting line" in str(response.json()["error"]["details"])


@pytest.mark.parametrize(
    "payload",
    [
        {"weights": {"goal_fit": 2}},
        {"weights": {"goal_fit": 0, "purpose": 0, "diversity": 0, "practical": 0, "preference": 0}},
        {"diversity_dial": -1},
        {"weights": {"goal_fit": "heavy"}},
        {"options": {"fairness_floor": "magic"}},
    ],
)
def test_the_api_rejects_bad_settings(client, program, pam, cohort, payload):
    response = client.post(
        f"/api/matching/programs/{program.pk}/runs",
        payload,
        content_type="application/json",
        headers=api_headers(pam),
    )
    assert response.status_code == 422 and "error" in response.json()
    assert not MatchRun.objects.exists()


def test_the_api_rejects_an_empty_program(client, program, pam):
    response = client.post(
        f"/api/matching/programs/{program.pk}/runs",
        {},
        content_type="application/json",
        headers=api_headers(pam),
    )
    assert response.status_code == 409
    assert "no approved mentee" in str(response.json()["error"]["details"])


@pytest.mark.parametrize("who, status", [("quinn", 403), ("alice", 403), ("charlie", 404)])
def test_the_api_is_scoped_to_the_programs_managers(client, run, who, status, request):
    headers = api_headers(request.getfixturevalue(who))
    proposal = run.proposals.first()
    calls = [
        ("post", f"/api/matching/programs/{run.program_id}/runs"),
        ("get", f"/api/matching/programs/{run.program_id}/runs"),
        ("get", f"/api/matching/runs/{run.pk}"),
        ("get", f"/api/matching/runs/{run.pk}/proposals"),
        ("post", f"/api/matching/proposals/{proposal.pk}/lock"),
        ("post", f"/api/matching/proposals/{proposal.pk}/forbid"),
        ("get", f"/api/matching/runs/{run.pk}/compare/{run.pk}"),
        ("post", f"/api/matching/runs/{run.pk}/publish"),
    ]
    for method, url in calls:
        kwargs = {"content_type": "application/json", "data": {}} if method == "post" else {}
        response = getattr(client, method)(url, headers=headers, **kwargs)
        assert response.status_code == status, (method, url, response.content)
    assert MatchRun.objects.count() == 1 and not Relationship.objects.exists()
