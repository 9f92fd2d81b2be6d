"""The fairness report from the manager's side: every cell below the minimum group size is hidden
(with complementary suppression), and re-running after one more applicant joins reveals nothing of
that person's consented demographic group or under-sponsored flag, on the run page or by API."""

import re

import pytest
from django.urls import reverse

from mentora.core.privacy import MIN_AGGREGATE_GROUP
from mentora.pairing import selectors, services
from mentora.pairing.models import MatchRun
from tests.factories import DemographicProfileFactory, DepartmentFactory, api_headers
from tests.pairing.conftest import enrol_mentee, enrol_mentor

pytestmark = pytest.mark.django_db

DEMOGRAPHIC = "Consented demographic group"
UNDER_SPONSORED = "Under-sponsored (self-declared)"
SENSITIVE = (DEMOGRAPHIC, UNDER_SPONSORED)
PRIVATE_LABELS = {"alpha", "beta", "under-sponsored", "other"}


def mentee(program, skill, name, *, gender=None, under_sponsored=False):
    person = enrol_mentee(program, name=name, skill=skill)
    if gender is not None:
        DemographicProfileFactory(person=person, gender=gender, under_sponsored=under_sponsored)
    return person


@pytest.fixture
def cohort(program, skill):
    """Two mentors with room for everyone; twelve consenting mentees: six "alpha" and six "beta",
    five of them under-sponsored."""
    enrol_mentor(program, name="Maya Mentor", skill=skill, capacity=10)
    enrol_mentor(program, name="Milo Mentor", skill=skill, capacity=10)
    for i in range(12):
        mentee(program, skill, f"Mentee {i:02}", gender="alpha" if i % 2 else "beta", under_sponsored=i < 5)


def run_now(program, pam) -> MatchRun:
    created = services.match_run_create(program=program, created_by=pam, settings={})
    return services.match_run_execute(run_id=created.pk)


def api_groups(client, pam, run) -> dict[str, dict[str, int]]:
    body = client.get(f"/api/matching/runs/{run.pk}", headers=api_headers(pam)).json()
    return {
        grouping: {label: group["people"] for label, group in data["groups"].items()}
        for grouping, data in body["summary"]["fairness"].items()
    }


def page_rows(client, pam, run) -> set[tuple[str, str]]:
    """(group label, people) rows of the run page's fairness tables."""
    client.force_login(pam.user)
    text = client.get(reverse("pairing:run", args=[run.pk])).content.decode()
    section = text[text.index('id="fairness-heading"') :]
    return set(re.findall(r"<tr><td>([^<]*)</td><td>(\d+)</td>", section))


def revealed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    """Groups whose shown figure moved between two reads: the newcomer belongs to one of them."""
    if not after:
        return set()
    return {label for label in before.keys() | after.keys() if before.get(label) != after.get(label)}


def test_one_more_applicant_does_not_reveal_their_group_between_runs(client, program, pam, skill, cohort):
    first = run_now(program, pam)
    before_api, before_page = api_groups(client, pam, first), page_rows(client, pam, first)
    assert before_api[DEMOGRAPHIC] == {"alpha": 6, "beta": 6}  # big enough to be shown at all

    mentee(program, skill, "Zoe Newcomer", gender="alpha", under_sponsored=True)  # approved
    second = run_now(program, pam)

    after_api, after_page = api_groups(client, pam, second), page_rows(client, pam, second)
    for grouping in SENSITIVE:
        assert revealed(before_api[grouping], after_api[grouping]) == set(), grouping
    private_rows = {row for row in after_page if row[0] in PRIVATE_LABELS}
    assert private_rows in (set(), {row for row in before_page if row[0] in PRIVATE_LABELS})
    # The first run keeps showing what it showed.
    assert api_groups(client, pam, first) == before_api


def test_figures_come_back_once_enough_people_have_changed(client, program, pam, skill, cohort):
    run_now(program, pam)
    mentee(program, skill, "Zoe Newcomer", gender="alpha")
    held_back = run_now(program, pam)
    assert api_groups(client, pam, held_back)[DEMOGRAPHIC] == {}
    for i in range(MIN_AGGREGATE_GROUP - 1):
        mentee(program, skill, f"Newcomer {i}", gender="beta" if i % 2 else "alpha")
    shown = run_now(program, pam)
    assert api_groups(client, pam, shown)[DEMOGRAPHIC] == {"alpha": 9, "beta": 8}
    # Still held back: the run one person away from the shown one.
    assert api_groups(client, pam, MatchRun.objects.get(pk=held_back.pk))[DEMOGRAPHIC] == {}


def test_a_rerun_of_the_same_people_shows_its_figures(client, program, pam, cohort):
    run_now(program, pam)
    again = run_now(program, pam)
    assert api_groups(client, pam, again)[DEMOGRAPHIC] == {"alpha": 6, "beta": 6}


def test_small_cells_are_hidden_in_every_grouping_with_complementary_suppression(client, program, pam, skill):
    enrol_mentor(program, name="Maya Mentor", skill=skill, capacity=10)
    for i in range(7):
        mentee(program, skill, f"Mentee {i}", gender="alpha" if i else "gamma", under_sponsored=i == 0)
    run = run_now(program, pam)

    groups = api_groups(client, pam, run)
    # One under-sponsored person among seven: neither cell can be shown, since "other" would
    # give the hidden one away as the total minus the shown cell.
    assert groups[UNDER_SPONSORED] == {}
    assert groups[DEMOGRAPHIC] == {}
    rows = page_rows(client, pam, run)
    assert not {label for label, _ in rows} & {*PRIVATE_LABELS, "gamma"}
    report = selectors.run_report(run=run)
    view = next(v for v in report.fairness if v.grouping == UNDER_SPONSORED)
    assert view.hidden_groups == 2 and view.gap_match_rate is None


def test_only_the_programs_managers_read_the_fairness_report(client, program, pam, bob, cohort):
    run = run_now(program, pam)
    assert client.get(f"/api/matching/runs/{run.pk}", headers=api_headers(bob)).status_code in (403, 404)
    client.force_login(bob.user)
    assert client.get(reverse("pairing:run", args=[run.pk])).status_code in (403, 404)


def test_locking_one_pair_and_running_again_does_not_reveal_the_locked_mentees_group(
    client, program, pam, cohort
):
    first = run_now(program, pam)
    before = api_groups(client, pam, first)
    services.proposal_lock(proposal=first.proposals.first(), by=pam)  # out of the next report
    second = run_now(program, pam)
    after = api_groups(client, pam, second)
    for grouping in SENSITIVE:
        assert revealed(before[grouping], after[grouping]) == set(), grouping
    client.force_login(pam.user)
    text = client.get(reverse("pairing:run", args=[second.pk])).content.decode()
    assert "Held back: fewer than 5 people joined or left" in text


def test_the_run_comparison_gap_leaves_small_departments_out(client, program, pam, skill):
    big, small = (DepartmentFactory(organisation=program.organisation, name=n) for n in ("Big", "Small"))
    enrol_mentor(program, name="Maya Mentor", skill=skill, capacity=10)
    for i in range(6):
        enrol_mentee(program, name=f"Mentee {i}", skill=skill, department=big)
    enrol_mentee(program, name="Solo Mentee", skill=skill, department=small)
    run = run_now(program, pam)
    body = client.get(f"/api/matching/runs/{run.pk}/compare/{run.pk}", headers=api_headers(pam)).json()
    # Both departments are hidden (Small is one person, and Big would give it away): no gap to show.
    assert body["first"]["fairness_gap"] is None
