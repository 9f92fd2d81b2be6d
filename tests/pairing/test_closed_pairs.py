"""Issue 9 §3.1: a pair one side declined or ended is not proposed, published or forced by a lock
again in the program, unless a manager explicitly allows it again (kept with who and when)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentora.organisations.models import Role
from mentora.pairing import services
from mentora.pairing.models import PairAllowance, PairRule, PairRuleKind
from mentora.pairing.selectors import closed_pair_list
from mentora.relationships.models import Relationship, RelationshipStatus
from mentora.relationships.services import relationship_consent, relationship_decline
from tests.factories import PersonFactory, api_headers
from tests.pairing.conftest import enrol_mentee, enrol_mentor

pytestmark = pytest.mark.django_db


def api(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


def run_now(program, pam):
    run = services.match_run_create(program=program, created_by=pam, settings={})
    return services.match_run_execute(run_id=run.pk)


@pytest.fixture
def one_pair(program, skill):
    """One mentor with room for two, one mentee: the only pair a run can propose."""
    return (
        enrol_mentor(program, name="Maya Mentor", skill=skill),
        enrol_mentee(program, name="Ella Mentee", skill=skill),
    )


def published(program, pam):
    (relationship,) = services.match_run_publish(run=run_now(program, pam), by=pam)
    return relationship


def test_a_rematch_does_not_propose_a_pair_the_mentor_declined(program, pam, one_pair):
    mentor, mentee = one_pair
    relationship_decline(relationship=published(program, pam), person=mentor)
    rematch = run_now(program, pam)
    assert not rematch.proposals.exists()
    assert [entry["id"] for entry in rematch.result["unmatched"]] == [str(mentee.pk)]


def test_a_rematch_does_not_propose_a_pair_the_mentee_declined(program, pam, one_pair):
    mentor, mentee = one_pair
    relationship_decline(relationship=published(program, pam), person=mentee)
    assert not run_now(program, pam).proposals.exists()


def test_a_lock_does_not_force_a_pair_that_was_declined_afterwards(program, pam, one_pair):
    mentor, mentee = one_pair
    run = run_now(program, pam)
    services.proposal_lock(proposal=run.proposals.get(), by=pam)
    (relationship,) = services.match_run_publish(run=run, by=pam)
    relationship_decline(relationship=relationship, person=mentee)
    assert PairRule.objects.filter(kind=PairRuleKind.LOCK).exists()
    assert not run_now(program, pam).proposals.exists()


def test_publishing_an_older_run_does_not_resend_a_declined_pair(program, pam, one_pair):
    mentor, mentee = one_pair
    older = run_now(program, pam)
    relationship_decline(relationship=published(program, pam), person=mentor)
    with pytest.raises(ValidationError, match="declined or ended") as refused:
        services.match_run_publish(run=older, by=pam)
    assert refused.value.code == "closed"
    assert Relationship.objects.count() == 1


def test_an_allowed_pair_is_proposed_and_published_again(program, pam, one_pair):
    mentor, mentee = one_pair
    relationship_decline(relationship=published(program, pam), person=mentor)
    allowance = services.pair_allow_again(program=program, mentor=mentor, mentee=mentee, by=pam)
    assert (allowance.allowed_by, allowance.allowed_at is not None) == (pam, True)
    rematch = run_now(program, pam)
    assert list(rematch.proposals.values_list("mentor_id", "mentee_id")) == [(mentor.pk, mentee.pk)]
    services.match_run_publish(run=rematch, by=pam)
    assert Relationship.objects.filter(status=RelationshipStatus.PENDING_CONSENT).count() == 1


def test_an_ended_pair_is_not_proposed_again_until_allowed(program, pam, one_pair):
    mentor, mentee = one_pair
    relationship = published(program, pam)
    relationship_consent(relationship=relationship, person=mentor)
    relationship_consent(relationship=relationship, person=mentee)
    # How it ended (no-fault exit or closure) does not matter here, only that it did.
    Relationship.objects.filter(pk=relationship.pk).update(
        status=RelationshipStatus.ENDED, ended_at=timezone.now()
    )
    assert not run_now(program, pam).proposals.exists()
    services.pair_allow_again(program=program, mentor=mentor, mentee=mentee, by=pam)
    assert run_now(program, pam).proposals.count() == 1


def test_an_allowance_covers_only_the_closings_before_it(program, pam, one_pair):
    mentor, mentee = one_pair
    relationship_decline(relationship=published(program, pam), person=mentor)
    services.pair_allow_again(program=program, mentor=mentor, mentee=mentee, by=pam)
    relationship_decline(relationship=published(program, pam), person=mentor)
    assert not run_now(program, pam).proposals.exists()
    (row,) = closed_pair_list(program=program)
    assert row.allowed is None and row.status == RelationshipStatus.DECLINED


def test_only_a_closed_pair_can_be_allowed_again(program, pam, one_pair):
    mentor, mentee = one_pair
    with pytest.raises(ValidationError) as refused:
        services.pair_allow_again(program=program, mentor=mentor, mentee=mentee, by=pam)
    assert refused.value.code == "not_closed"
    assert not PairAllowance.objects.exists()


# ---- page and API


def test_the_manager_sees_closed_pairs_and_allows_one_again_on_the_page(client, program, pam, one_pair):
    mentor, mentee = one_pair
    relationship_decline(relationship=published(program, pam), person=mentor)
    client.force_login(pam.user)
    page = client.get(reverse("pairing:home", args=[program.pk])).content.decode()
    assert "Declined or ended pairs" in page and "Ella Mentee" in page
    url = reverse("pairing:allow_again", args=[program.pk])
    response = client.post(url, {"mentor": mentor.pk, "mentee": mentee.pk})
    assert response.status_code == 302
    page = client.get(reverse("pairing:home", args=[program.pk])).content.decode()
    assert f"Allowed again by <bdi>{pam.full_name}</bdi>" in page
    assert client.post(url, {"mentor": mentor.pk, "mentee": mentee.pk}).status_code == 302
    assert PairAllowance.objects.count() == 1


def test_bad_input_to_the_allow_again_page_is_a_400(client, program, pam, one_pair):
    client.force_login(pam.user)
    url = reverse("pairing:allow_again", args=[program.pk])
    assert client.post(url, {"mentor": "x", "mentee": ""}).status_code == 400
    assert client.post(url, {"mentor": 999999, "mentee": 999998}).status_code == 404


def test_the_api_lists_closed_pairs_and_allows_one_again(client, program, pam, one_pair):
    mentor, mentee = one_pair
    relationship_decline(relationship=published(program, pam), person=mentor)
    listed = api(client, pam, "get", f"/api/matching/programs/{program.pk}/closed-pairs").json()
    assert listed == [
        {
            "mentor_id": mentor.pk,
            "mentee_id": mentee.pk,
            "status": "declined",
            "closed_at": listed[0]["closed_at"],
            "allowed_by_id": None,
            "allowed_at": None,
        }
    ]
    body = {"mentor_id": mentor.pk, "mentee_id": mentee.pk}
    response = api(client, pam, "post", f"/api/matching/programs/{program.pk}/closed-pairs/allow", body)
    assert response.status_code == 201 and response.json()["allowed_by_id"] == pam.pk
    again = api(client, pam, "post", f"/api/matching/programs/{program.pk}/closed-pairs/allow", body)
    assert again.status_code == 409
    assert "not declined or ended" in again.json()["error"]["details"][0]["message"]
    assert PairAllowance.objects.count() == 1


def test_only_the_programs_managers_may_allow_a_pair_again(client, program, pam, alice, olga, one_pair):
    mentor, mentee = one_pair
    relationship_decline(relationship=published(program, pam), person=mentor)
    body = {"mentor_id": mentor.pk, "mentee_id": mentee.pk}
    path = f"/api/matching/programs/{program.pk}/closed-pairs/allow"
    assert api(client, alice, "post", path, body).status_code == 403
    client.force_login(alice.user)
    url = reverse("pairing:allow_again", args=[program.pk])
    assert client.post(url, {"mentor": mentor.pk, "mentee": mentee.pk}).status_code == 403
    assert not PairAllowance.objects.exists()
    assert api(client, olga, "post", path, body).status_code == 201


def test_another_organisations_manager_gets_404(client, program, other_org, one_pair, pam):
    outsider = PersonFactory(organisation=other_org, roles=[Role.PROGRAM_MANAGER])
    path = f"/api/matching/programs/{program.pk}/closed-pairs"
    assert api(client, pam, "get", path).status_code == 200
    assert api(client, outsider, "get", path).status_code == 404
