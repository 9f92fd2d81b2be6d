"""Issue 9 §3.10: what the run, swap, compare and publish pages offer and say."""

import pytest
from django.urls import reverse

from mentora.pairing import selectors, services
from mentora.pairing.models import MatchRun
from mentora.relationships.services import relationship_decline
from tests.factories import PersonFactory, api_headers
from tests.pairing.conftest import enrol_mentee, enrol_mentor

pytestmark = pytest.mark.django_db


def run_now(program, pam):
    run = services.match_run_create(program=program, created_by=pam, settings={})
    return services.match_run_execute(run_id=run.pk)


def page(client, pam, name, *args, **params) -> str:
    client.force_login(pam.user)
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def test_publish_is_not_offered_for_a_run_without_pairs(client, program, pam, skill):
    mentor = enrol_mentor(program, name="Maya Mentor", skill=skill)
    enrol_mentee(program, name="Ella Mentee", skill=skill)
    (relationship,) = services.match_run_publish(run=run_now(program, pam), by=pam)
    relationship_decline(relationship=relationship, person=mentor)
    empty = run_now(program, pam)
    assert not empty.proposals.exists()
    text = page(client, pam, "pairing:run", empty.pk)
    assert reverse("pairing:publish", args=[empty.pk]) not in text
    assert "There is nothing to publish" in text
    confirm = page(client, pam, "pairing:publish", empty.pk)
    assert "There is nothing to publish" in confirm and "Yes, publish" not in confirm
    # Through the API: a conflict with the run's state, coded apart from an empty input's 422 `empty`.
    response = client.post(f"/api/matching/runs/{empty.pk}/publish", headers=api_headers(pam))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "nothing_to_publish"


def test_publish_is_not_offered_when_every_pair_is_forbidden(client, program, pam, cohort):
    run = run_now(program, pam)
    for proposal in run.proposals.all():
        services.proposal_forbid(proposal=proposal, by=pam)
    assert reverse("pairing:publish", args=[run.pk]) not in page(client, pam, "pairing:run", run.pk)


def test_the_swap_picker_leaves_out_swaps_that_break_a_rule(client, org, program, pam, skill):
    boss = enrol_mentor(program, name="Boss", skill=skill, capacity=1)
    enrol_mentor(program, name="Other mentor", skill=skill, capacity=1)
    report = enrol_mentee(
        program,
        name="Skip-level report",
        skill=skill,
        manager=PersonFactory(organisation=org, full_name="Middle", manager=boss),
    )
    enrol_mentee(program, name="Free mentee", skill=skill)
    run = run_now(program, pam)
    first = run.proposals.get(mentor=boss)  # swapping would give Boss their own skip-level report
    assert run.proposals.get(mentee=report).mentor != boss
    assert not selectors.proposal_swap_candidates(proposal=first).exists()
    text = page(client, pam, "pairing:swap", run.pk, first=first.pk)
    assert "Skip-level report" not in text.split("swap-candidates", 1)[1]
    assert "would keep every matching rule" in text


def test_an_allowed_swap_is_still_offered(program, pam, cohort):
    run = run_now(program, pam)
    first = run.proposals.order_by("id").first()
    candidates = selectors.proposal_swap_candidates(proposal=first)
    assert candidates.exists()
    for candidate in candidates:
        services.proposal_swap(first=first, second=candidate, by=None)  # every offered swap is accepted
        break


def test_the_largest_gap_says_when_no_group_has_a_mean_score(client, program, pam, cohort):
    run = run_now(program, pam)
    groups = {
        "Sales": {"people": 6, "matched": 0, "match_rate": 0.0, "mean_score": None},
        "Engineering": {"people": 5, "matched": 0, "match_rate": 0.0, "mean_score": None},
    }
    result = {**run.result, "fairness": {**run.result["fairness"], "by": {"department": {"groups": groups}}}}
    MatchRun.objects.filter(pk=run.pk).update(result=result)
    text = page(client, pam, "pairing:run", run.pk)
    assert "mean score ." not in text
    assert "no mean score (no group shown has a pair)" in text


def test_publishing_one_pair_says_pair_not_pairs(client, program, pam, skill):
    enrol_mentor(program, name="Maya Mentor", skill=skill)
    enrol_mentee(program, name="Ella Mentee", skill=skill)
    run = run_now(program, pam)
    client.force_login(pam.user)
    response = client.post(reverse("pairing:publish", args=[run.pk]), follow=True)
    text = response.content.decode()
    assert "Published 1 pair." in text and "1 pairs" not in text


def test_the_mentor_load_sentence_agrees_in_number(client, program, pam, skill):
    enrol_mentor(program, name="Maya Mentor", skill=skill)
    enrol_mentor(program, name="Milo Mentor", skill=skill)
    enrol_mentee(program, name="Ella Mentee", skill=skill)
    text = page(client, pam, "pairing:run", run_now(program, pam).pk)
    assert "at most 1 mentee per mentor" in text and "1 mentor without a mentee." in text
    assert "1 mentees" not in text and "1 mentors" not in text


def test_the_compare_page_and_api_name_the_pairs_in_common(client, program, pam, cohort):
    first, second = run_now(program, pam), run_now(program, pam)
    shared = set(first.proposals.values_list("mentor_id", "mentee_id")) & set(
        second.proposals.values_list("mentor_id", "mentee_id")
    )
    assert shared  # the same people and weights give the same pairs
    text = page(client, pam, "pairing:compare", program.pk, a=first.pk, b=second.pk)
    for proposal in first.proposals.select_related("mentor", "mentee"):
        assert f"<bdi>{proposal.mentor.full_name}</bdi> → <bdi>{proposal.mentee.full_name}</bdi>" in text
    response = client.get(
        f"/api/matching/runs/{first.pk}/compare/{second.pk}", headers=api_headers(pam)
    ).json()
    assert {(p["mentor_id"], p["mentee_id"]) for p in response["common_pairs"]} == shared
    assert response["pairs_in_common"] == len(shared)


def test_a_rematch_lists_as_left_out_only_people_left_out_of_its_pool(client, program, pam, cohort):
    mentors, mentees = cohort
    relationships = services.match_run_publish(run=run_now(program, pam), by=pam)
    declined = relationships[0]
    relationship_decline(relationship=declined, person=declined.mentee)
    rematch = run_now(program, pam)
    report = selectors.run_report(run=rematch)
    assert report.notes == []
    assert report.already_paired == 2
    text = page(client, pam, "pairing:run", rematch.pk)
    assert "Left out of this run" not in text
    assert "2 mentees already have a mentor in this program" in text
    api = client.get(f"/api/matching/runs/{rematch.pk}", headers=api_headers(pam)).json()
    assert api["summary"]["left_out"] == [] and api["summary"]["already_paired"] == 2
