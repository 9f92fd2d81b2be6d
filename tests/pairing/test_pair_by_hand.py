"""Issue 9 §3.2: pairing by hand applies the rules a matching run applies (one source: the engine's
hard constraints on the program's instance); a manager may override them only with a written
reason, which is kept and shown."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentora.organisations.models import Role
from mentora.pairing import services
from mentora.pairing.models import PairRule, PairRuleKind, RuleOverride
from mentora.programs.models import ProgramFormat
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus
from mentora.relationships.services import relationship_create_pending, relationship_decline
from tests.factories import PersonFactory, api_headers
from tests.pairing.conftest import enrol_mentee, enrol_mentor
from tests.programs.factories import EnrolmentFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def api(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


def pair(program, pam, mentor, mentee, reason=""):
    return services.relationship_pair_by_hand(
        program=program, mentor=mentor, mentee=mentee, by=pam, override_reason=reason
    )


def refused_rules(program, pam, mentor, mentee) -> str:
    with pytest.raises(ValidationError) as refused:
        pair(program, pam, mentor, mentee)
    assert not Relationship.objects.filter(mentor=mentor, mentee=mentee, status="pending_consent").exists()
    return " ".join(refused.value.message_dict["override_reason"])


def test_an_eligible_pair_is_made_without_a_reason(program, pam, skill):
    mentor = enrol_mentor(program, name="Maya Mentor", skill=skill)
    mentee = enrol_mentee(program, name="Ella Mentee", skill=skill)
    relationship = pair(program, pam, mentor, mentee)
    assert (relationship.origin, relationship.status) == (RelationshipOrigin.MANUAL, "pending_consent")
    assert not RuleOverride.objects.exists()


def test_the_reporting_line_is_enforced_at_any_depth(program, pam, skill, org):
    mentor = enrol_mentor(program, name="Maya Mentor", skill=skill)
    middle = PersonFactory(organisation=org, full_name="Middle Manager", manager=mentor)  # not enrolled
    mentee = enrol_mentee(program, name="Ella Mentee", skill=skill, manager=middle)
    assert "reporting line" in refused_rules(program, pam, mentor, mentee)


def test_seniority_follows_the_programs_format(org, pam, skill):
    classic = ProgramFactory(organisation=org, managers=[pam])
    junior_mentor = enrol_mentor(classic, name="Junior Mentor", skill=skill, seniority=2)
    senior_mentee = enrol_mentee(classic, name="Senior Mentee", skill=skill, seniority=6)
    assert "not senior enough" in refused_rules(classic, pam, junior_mentor, senior_mentee)

    reverse_program = ProgramFactory(organisation=org, managers=[pam], format=ProgramFormat.REVERSE)
    senior_mentor = enrol_mentor(reverse_program, name="Senior Mentor", skill=skill, seniority=8)
    junior_mentee = enrol_mentee(reverse_program, name="Junior Mentee", skill=skill, seniority=2)
    assert "not senior enough" in refused_rules(reverse_program, pam, senior_mentor, junior_mentee)
    # In a reverse program the junior mentors the senior: allowed.
    young = enrol_mentor(reverse_program, name="Young Mentor", skill=skill, seniority=1)
    boss = enrol_mentee(reverse_program, name="Boss Mentee", skill=skill, seniority=9)
    assert pair(reverse_program, pam, young, boss).mentor == young


def test_a_forbidden_pair_is_refused(program, pam, skill):
    mentor = enrol_mentor(program, name="Maya Mentor", skill=skill)
    mentee = enrol_mentee(program, name="Ella Mentee", skill=skill)
    PairRule.objects.create(program=program, mentor=mentor, mentee=mentee, kind=PairRuleKind.FORBID)
    assert "forbidden" in refused_rules(program, pam, mentor, mentee)


def test_previous_partners_are_refused(program, pam, skill, org):
    mentor = enrol_mentor(program, name="Maya Mentor", skill=skill)
    mentee = enrol_mentee(program, name="Ella Mentee", skill=skill)
    earlier = ProgramFactory(organisation=org)
    now = timezone.now()
    Relationship.objects.create(
        program=earlier,
        mentor=mentor,
        mentee=mentee,
        origin=RelationshipOrigin.MANUAL,
        status=RelationshipStatus.ENDED,
        mentor_consented_at=now - datetime.timedelta(days=90),
        mentee_consented_at=now - datetime.timedelta(days=90),
        started_at=now - datetime.timedelta(days=90),
        ended_at=now - datetime.timedelta(days=10),
        ends_on=earlier.ends_on,
    )
    assert "worked together before" in refused_rules(program, pam, mentor, mentee)


def test_a_pair_declined_in_the_program_is_refused_by_name(program, pam, skill):
    mentor = enrol_mentor(program, name="Maya Mentor", skill=skill)
    mentee = enrol_mentee(program, name="Ella Mentee", skill=skill)
    relationship_decline(relationship=pair(program, pam, mentor, mentee), person=mentor)
    message = refused_rules(program, pam, mentor, mentee)
    assert "declined or ended" in message and "forbidden" not in message


def test_a_written_reason_overrides_the_rules_and_is_kept(program, pam, skill):
    mentor = enrol_mentor(program, name="Maya Mentor", skill=skill)
    mentee = enrol_mentee(program, name="Ella Mentee", skill=skill)
    PairRule.objects.create(program=program, mentor=mentor, mentee=mentee, kind=PairRuleKind.FORBID)
    relationship = pair(program, pam, mentor, mentee, reason="  They asked for each other.  ")
    override = RuleOverride.objects.get()
    assert (override.relationship, override.rules, override.reason) == (
        relationship,
        ["blocks"],
        "They asked for each other.",
    )
    assert override.overridden_by == pam


def test_a_blank_reason_does_not_override(program, pam, skill):
    mentor = enrol_mentor(program, name="Maya Mentor", skill=skill)
    mentee = enrol_mentee(program, name="Ella Mentee", skill=skill)
    PairRule.objects.create(program=program, mentor=mentor, mentee=mentee, kind=PairRuleKind.FORBID)
    with pytest.raises(ValidationError):
        pair(program, pam, mentor, mentee, reason=" \n ")
    with pytest.raises(ValidationError) as refused:
        pair(program, pam, mentor, mentee, reason="Because\x00")
    assert "override_reason" in refused.value.message_dict
    assert not Relationship.objects.exists()


def test_a_reason_never_overrides_a_full_mentor(program, pam, skill):
    mentor = enrol_mentor(program, name="Maya Mentor", skill=skill, capacity=1)
    pair(program, pam, mentor, enrol_mentee(program, name="Ella Mentee", skill=skill))
    with pytest.raises(ValidationError):
        pair(program, pam, mentor, enrol_mentee(program, name="Eric Mentee", skill=skill), reason="Please")
    assert Relationship.objects.count() == 1 and not RuleOverride.objects.exists()


# ---- page and API


def test_the_page_refuses_a_rule_then_accepts_a_reason_and_shows_it(client, program, pam, skill):
    mentor = enrol_mentor(program, name="Maya Mentor", skill=skill)
    mentee = enrol_mentee(program, name="Ella Mentee", skill=skill)
    PairRule.objects.create(program=program, mentor=mentor, mentee=mentee, kind=PairRuleKind.FORBID)
    client.force_login(pam.user)
    url = reverse("pairing:pair", args=[program.pk])
    body = {"mentor": mentor.pk, "mentee": mentee.pk, "note": ""}
    response = client.post(url, body)
    assert response.status_code == 200 and "breaks a matching rule" in response.content.decode()
    assert not Relationship.objects.exists()
    response = client.post(url, {**body, "override_reason": "They asked for each other."})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Pairs made against a matching rule" in page
    assert "They asked for each other." in page and "this pair is forbidden" in page
    assert f"Paired anyway by <bdi>{pam.full_name}</bdi>" in page


def test_the_programs_page_links_to_the_rule_checked_pairing(client, program, pam, skill):
    client.force_login(pam.user)
    page = client.get(reverse("programs:manage", args=[program.pk])).content.decode()
    assert reverse("pairing:pair", args=[program.pk]) in page


def test_the_old_address_leads_to_the_rule_checked_page_and_pairs_nobody(client, program, pam, skill):
    mentor = enrol_mentor(program, name="Maya Mentor", skill=skill)
    mentee = enrol_mentee(program, name="Ella Mentee", skill=skill)
    PairRule.objects.create(program=program, mentor=mentor, mentee=mentee, kind=PairRuleKind.FORBID)
    client.force_login(pam.user)
    response = client.post(
        f"/mentoring/programs/{program.pk}/pair/", {"mentor": mentor.pk, "mentee": mentee.pk}
    )
    assert response.status_code == 301
    assert response["Location"] == reverse("pairing:pair", args=[program.pk])
    assert not Relationship.objects.exists()
    old_api = api(
        client,
        pam,
        "post",
        "/api/relationships/",
        {"program_id": program.pk, "mentor_id": mentor.pk, "mentee_id": mentee.pk},
    )
    assert old_api.status_code == 405 and not Relationship.objects.exists()


def senior(person, seniority=6):
    type(person).objects.filter(pk=person.pk).update(seniority=seniority)


def test_a_manager_pairs_by_hand_from_the_pool(client, program, pam, alice, bob, org):
    senior(bob)
    EnrolmentFactory(program=program, person=bob, role="mentor", capacity=1)
    EnrolmentFactory(program=program, person=alice, role="mentee")
    full = PersonFactory(organisation=org, full_name="Fran Full")
    EnrolmentFactory(program=program, person=full, role="mentor", capacity=1)
    relationship_create_pending(
        program=program, mentor=full, mentee=EnrolmentFactory(program=program).person, origin="manual"
    )
    client.force_login(pam.user)
    url = reverse("pairing:pair", args=[program.pk])
    text = client.get(url).content.decode()
    assert "Bob Baker" in text and "Fran Full" not in text
    response = client.post(url, {"mentor": full.pk, "mentee": alice.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = client.post(url, {"mentor": bob.pk, "mentee": alice.pk, "note": "You both love data."})
    assert response.status_code == 302
    relationship = Relationship.objects.get(mentee=alice)
    assert (relationship.mentor, relationship.origin, relationship.created_by) == (bob, "manual", pam)
    assert relationship.note == "You both love data."


def test_the_api_refuses_a_full_mentor_and_someone_not_enrolled(client, program, pam, alice, bob):
    senior(bob)
    EnrolmentFactory(program=program, person=bob, role="mentor", capacity=1)
    EnrolmentFactory(program=program, person=alice, role="mentee")
    other = EnrolmentFactory(program=program).person
    path = f"/api/matching/programs/{program.pk}/pairs"
    body = {"mentor_id": bob.pk, "mentee_id": alice.pk}
    response = api(client, pam, "post", path, body)
    assert response.status_code == 201 and response.json()["status"] == "pending_consent"
    response = api(client, pam, "post", path, {**body, "mentee_id": other.pk, "override_reason": "Please"})
    assert response.status_code == 409
    assert "This mentor is full." in response.content.decode()
    response = api(client, pam, "post", path, {**body, "mentor_id": other.pk})
    assert response.status_code == 422
    assert "not an approved mentor" in response.content.decode()


def test_the_api_applies_the_rules_and_keeps_the_reason(client, program, pam, skill):
    mentor = enrol_mentor(program, name="Maya Mentor", skill=skill)
    mentee = enrol_mentee(program, name="Ella Mentee", skill=skill)
    PairRule.objects.create(program=program, mentor=mentor, mentee=mentee, kind=PairRuleKind.FORBID)
    path = f"/api/matching/programs/{program.pk}/pairs"
    body = {"mentor_id": mentor.pk, "mentee_id": mentee.pk}
    refused = api(client, pam, "post", path, body)
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "override_reason"
    made = api(client, pam, "post", path, {**body, "override_reason": "They asked for each other."})
    assert made.status_code == 201
    assert made.json()["overridden_rules"] == ["blocks"]
    listed = api(client, pam, "get", f"/api/matching/programs/{program.pk}/rule-overrides").json()
    assert [item["reason"] for item in listed["results"]] == ["They asked for each other."]


def test_bad_input_to_the_api_is_a_clear_4xx(client, program, pam, skill):
    path = f"/api/matching/programs/{program.pk}/pairs"
    assert api(client, pam, "post", path, {"mentor_id": "x", "mentee_id": 1}).status_code == 422
    assert api(client, pam, "post", path, {"mentor_id": 999999, "mentee_id": 999998}).status_code == 404
    mentor = enrol_mentor(program, name="Maya Mentor", skill=skill)
    mentee = enrol_mentee(program, name="Ella Mentee", skill=skill)
    long = {"mentor_id": mentor.pk, "mentee_id": mentee.pk, "override_reason": "x" * 2001}
    assert api(client, pam, "post", path, long).status_code == 422


def test_only_the_programs_managers_may_pair_by_hand(
    client, org, program, pam, alice, olga, other_org, skill
):
    mentor = enrol_mentor(program, name="Maya Mentor", skill=skill)
    mentee = enrol_mentee(program, name="Ella Mentee", skill=skill)
    path = f"/api/matching/programs/{program.pk}/pairs"
    body = {"mentor_id": mentor.pk, "mentee_id": mentee.pk}
    assert api(client, alice, "post", path, body).status_code == 403
    client.force_login(alice.user)
    page = reverse("pairing:pair", args=[program.pk])
    assert client.post(page, {"mentor": mentor.pk, "mentee": mentee.pk}).status_code == 403
    quinn = PersonFactory(organisation=org, full_name="Quinn Other", roles=[Role.PROGRAM_MANAGER])
    ProgramFactory(organisation=org, managers=[quinn])
    assert api(client, quinn, "post", path, body).status_code == 403
    client.force_login(quinn.user)
    assert client.get(page).status_code == 403
    outsider = PersonFactory(organisation=other_org, roles=[Role.PROGRAM_MANAGER])
    assert api(client, outsider, "post", path, body).status_code == 404
    client.force_login(outsider.user)
    assert client.get(page).status_code == 404
    assert not Relationship.objects.exists()
    assert api(client, olga, "post", path, body).status_code == 201
