"""Each governance action leaves its event, recorded from inside the service that does it."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentora.accounts.services import lockout_release
from mentora.api.services import api_token_create, api_token_revoke, api_tokens_revoke_all
from mentora.audit.models import Action, AuditEvent
from mentora.core.roles import viewer_for
from mentora.organisations.models import Role
from mentora.pairing import services as pairing
from mentora.pairing.models import PairRule, PairRuleKind
from mentora.people.import_jobs import people_import_run, people_import_start
from mentora.people.services import person_update
from mentora.people.sign_in import email_change_confirm, email_change_request, email_change_token
from tests.pairing.conftest import enrol_mentee, enrol_mentor

pytestmark = pytest.mark.django_db


def only(action):
    return AuditEvent.objects.get(action=action)


def test_an_import_records_its_start_and_its_end(org, pam):
    upload = SimpleUploadedFile("people.csv", b"employee_id,email,full_name\nN1,nina@acme.test,Nina New\n")
    job = people_import_start(
        viewer=viewer_for(pam.user), upload=upload, filename="people.csv", dry_run=False
    )
    people_import_run(import_id=job.pk)

    started, finished = only(Action.IMPORT_STARTED), only(Action.IMPORT_FINISHED)
    assert (started.actor_person_id, started.organisation_id, started.target_id) == (
        pam.pk,
        org.pk,
        str(job.pk),
    )
    assert started.details["dry_run"] is False
    assert (finished.actor_person_id, finished.target_id) == (pam.pk, str(job.pk))
    assert {key: finished.details[key] for key in ("status", "rows", "created", "errors")} == {
        "status": "done",
        "rows": 1,
        "created": 1,
        "errors": 0,
    }


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_people_export_is_recorded(client, pam, file_format):
    client.force_login(pam.user)
    assert client.get(reverse("people:export", args=[file_format])).status_code == 200
    event = only(Action.PEOPLE_EXPORTED)
    assert (event.actor_person_id, event.details) == (pam.pk, {"format": file_format})


def test_a_refused_people_export_records_nothing(client, alice):
    client.force_login(alice.user)
    assert client.get(reverse("people:export", args=["csv"])).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.PEOPLE_EXPORTED).exists()


def test_an_email_change_is_recorded_when_asked_and_when_confirmed(pam, alice):
    email_change_request(actor=viewer_for(pam.user), person=alice, new_email="alice@new.test")
    old = alice.email
    email_change_confirm(token=email_change_token(person=alice, new_email="alice@new.test"))

    asked, changed = only(Action.EMAIL_CHANGE_REQUESTED), only(Action.EMAIL_CHANGED)
    assert (asked.actor_person_id, asked.target_id, asked.details) == (
        pam.pk,
        str(alice.pk),
        {"new_email": "alice@new.test"},
    )
    assert (changed.target_id, changed.organisation_id, changed.details) == (
        str(alice.pk),
        alice.organisation_id,
        {"old_email": old, "new_email": "alice@new.test"},
    )


def test_api_tokens_made_and_revoked_are_recorded(alice):
    token, _raw = api_token_create(user=alice.user, name="laptop", days=30)
    api_token_revoke(user=alice.user, token_id=token.pk)
    api_token_create(user=alice.user, name="phone")
    api_token_create(user=alice.user, name="tablet")
    api_tokens_revoke_all(user_ids=[alice.user_id])

    made = AuditEvent.objects.filter(action=Action.API_TOKEN_CREATED)
    assert [event.details["days"] for event in made.order_by("id")][0] == 30
    assert made.count() == 3 and {event.actor_person_id for event in made} == {alice.pk}
    revoked = list(AuditEvent.objects.filter(action=Action.API_TOKEN_REVOKED).order_by("id"))
    assert [event.details for event in revoked] == [{"token": token.pk}, {"all": True, "tokens": 2}]
    assert revoked[1].target_id == str(alice.pk) and revoked[1].organisation_id == alice.organisation_id


def test_revoking_nobodys_tokens_records_nothing(alice):
    assert api_tokens_revoke_all(user_ids=[alice.user_id]) == 0
    assert not AuditEvent.objects.filter(action=Action.API_TOKEN_REVOKED).exists()


def test_a_pair_made_by_hand_against_the_rules_is_recorded_with_its_reason(program, pam, skill):
    mentor = enrol_mentor(program, name="Maya Mentor", skill=skill)
    mentee = enrol_mentee(program, name="Ella Mentee", skill=skill)
    PairRule.objects.create(program=program, mentor=mentor, mentee=mentee, kind=PairRuleKind.FORBID)

    relationship = pairing.relationship_pair_by_hand(
        program=program, mentor=mentor, mentee=mentee, by=pam, override_reason="They asked for each other."
    )

    event = only(Action.PAIR_MANUAL)
    assert (event.actor_person_id, event.organisation_id, event.target_type, event.target_id) == (
        pam.pk,
        program.organisation_id,
        "relationships.relationship",
        str(relationship.pk),
    )
    assert event.details == {
        "program": program.pk,
        "rules_overridden": ["blocks"],
        "override_reason": "They asked for each other.",
    }
    changes = AuditEvent.objects.get(action=Action.RECORD_CHANGED, target_type="pairing.ruleoverride")
    assert changes.details["changes"]["reason"][1] == "They asked for each other."
    assert changes.actor_person_id is None  # no request: django-auditlog names no actor outside one


def test_locks_forbids_swaps_clears_and_publishing_are_recorded(program, pam, skill, cohort):
    run = pairing.match_run_create(program=program, created_by=pam, settings=None)
    run = pairing.match_run_execute(run_id=run.pk)
    first, second, third = run.proposals.order_by("id")
    pairing.proposal_lock(proposal=first, by=pam)
    pairing.proposal_forbid(proposal=second, by=pam)
    pairing.proposal_clear(proposal=second, by=pam)
    pairing.proposal_clear(proposal=first, by=pam)
    other = next(p for p in (second, third) if p.mentor_id != first.mentor_id)
    pairing.proposal_swap(first=first, second=other, by=pam)
    relationships = pairing.match_run_publish(run=run, by=pam)

    overrides = AuditEvent.objects.filter(action=Action.PAIR_OVERRIDDEN).order_by("id")
    assert [event.details["change"] for event in overrides] == ["lock", "forbid", "clear", "clear", "swap"]
    assert {(event.actor_person_id, event.target_id) for event in overrides} == {(pam.pk, str(run.pk))}
    assert overrides[0].details["mentee"] == first.mentee_id
    published = only(Action.MATCHING_PUBLISHED)
    assert (published.actor_person_id, published.organisation_id, published.target_id) == (
        pam.pk,
        program.organisation_id,
        str(run.pk),
    )
    assert published.details == {"program": program.pk, "pairs": len(relationships)}
    run_changes = AuditEvent.objects.filter(
        action=Action.RECORD_CHANGED,
        target_type="pairing.matchrun",
        details__operation="update",
        details__changes__has_key="published_at",
    )
    assert run_changes.count() == 1


def test_a_failed_publish_records_nothing(program, pam, skill, cohort):
    run = pairing.match_run_create(program=program, created_by=pam, settings=None)
    run = pairing.match_run_execute(run_id=run.pk)
    for proposal in run.proposals.all():
        pairing.proposal_forbid(proposal=proposal, by=pam)
    with pytest.raises(Exception, match="no proposal"):
        pairing.match_run_publish(run=run, by=pam)
    assert not AuditEvent.objects.filter(action=Action.MATCHING_PUBLISHED).exists()


def test_role_changes_deactivation_and_reactivation_are_recorded(olga, alice):
    admin = viewer_for(olga.user)
    person_update(actor=admin, person=alice, roles=[Role.PARTICIPANT, Role.PROGRAM_MANAGER])
    person_update(actor=admin, person=alice, roles=[Role.PARTICIPANT, Role.PROGRAM_MANAGER])  # no change
    person_update(actor=admin, person=alice, is_active=False)
    person_update(actor=admin, person=alice, is_active=True)

    roles = only(Action.ROLES_CHANGED)
    assert (roles.actor_person_id, roles.target_id, roles.details) == (
        olga.pk,
        str(alice.pk),
        {"added": [Role.PROGRAM_MANAGER], "removed": []},
    )
    assert only(Action.PERSON_DEACTIVATED).actor_person_id == olga.pk
    assert only(Action.PERSON_REACTIVATED).target_id == str(alice.pk)
    membership = AuditEvent.objects.get(
        action=Action.RECORD_CHANGED,
        target_type="organisations.rolemembership",
        details__operation="create",
        actor_person_id=None,
        target_label__contains="Program manager",
    )
    assert membership.organisation_id == alice.organisation_id


def test_a_refused_role_change_records_nothing(pam, alice):
    with pytest.raises(ValidationError):
        person_update(actor=viewer_for(pam.user), person=alice, roles=[Role.ORG_ADMIN])
    assert not AuditEvent.objects.filter(action=Action.ROLES_CHANGED).exists()


def test_an_unlock_is_recorded(olga, alice):
    lockout_release(actor=viewer_for(olga.user), person=alice)
    event = only(Action.LOCKOUT_RELEASED)
    assert (event.actor_person_id, event.target_id, event.details) == (
        olga.pk,
        str(alice.pk),
        {"attempts_cleared": 0},
    )
