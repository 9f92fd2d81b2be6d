"""Relationship services: pairing within capacity, consent, decline back to the pool, no-fault exit."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.agreements import closure
from mentora.notifications.models import DeliveryStatus, NotificationKind, SentNotification
from mentora.programs.models import EnrolmentStatus, ProgramStatus
from mentora.relationships import services
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus
from mentora.relationships.selectors import program_pool
from tests.programs.factories import EnrolmentFactory, ProgramFactory


@pytest.fixture
def program(org, pam):
    return ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.MATCHING)


@pytest.fixture
def mentor(program, bob):
    EnrolmentFactory(program=program, person=bob, role="mentor", capacity=1)
    return bob


@pytest.fixture
def mentee(program, alice):
    EnrolmentFactory(program=program, person=alice, role="mentee")
    return alice


def pair(program, mentor, mentee, origin=RelationshipOrigin.PROPOSAL):
    return services.relationship_create_pending(program=program, mentor=mentor, mentee=mentee, origin=origin)


def test_a_pairing_waits_for_both_sides_and_both_are_told(
    program, mentor, mentee, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        relationship = pair(program, mentor, mentee)
    assert relationship.status == RelationshipStatus.PENDING_CONSENT
    assert sorted(message.to[0] for message in mail.outbox) == sorted([mentor.email, mentee.email])


def test_consent_from_both_sides_starts_the_relationship(
    program, mentor, mentee, immediate_tasks, django_capture_on_commit_callbacks
):
    relationship = pair(program, mentor, mentee)
    relationship = services.relationship_consent(relationship=relationship, person=mentee)
    assert relationship.status == RelationshipStatus.PENDING_CONSENT
    with django_capture_on_commit_callbacks(execute=True):
        relationship = services.relationship_consent(relationship=relationship, person=mentor)
    assert relationship.status == RelationshipStatus.ACTIVE
    assert relationship.started_at is not None
    assert len(mail.outbox) == 2 and "has started" in mail.outbox[0].subject


def test_a_mentees_request_counts_as_the_mentees_consent(program, mentor, mentee):
    relationship = pair(program, mentor, mentee, origin=RelationshipOrigin.MENTEE_REQUEST)
    assert relationship.mentee_consented_at is not None
    relationship = services.relationship_consent(relationship=relationship, person=mentor)
    assert relationship.status == RelationshipStatus.ACTIVE


def test_a_mentor_is_never_paired_beyond_capacity(program, mentor, mentee, org):
    pair(program, mentor, mentee)
    other = EnrolmentFactory(program=program, role="mentee").person
    with pytest.raises(ValidationError, match="This mentor is full.") as caught:
        pair(program, mentor, other)
    assert caught.value.code == "mentor_full"


def test_a_paused_mentor_takes_no_new_mentee(program, mentor, mentee):
    program.enrolments.filter(person=mentor).update(paused_until=datetime.date(2099, 1, 1))
    with pytest.raises(ValidationError, match="not taking new mentees until 2099-01-01"):
        pair(program, mentor, mentee)


def test_a_mentee_has_one_live_pairing_per_program(program, mentor, mentee):
    pair(program, mentor, mentee)
    second_mentor = EnrolmentFactory(program=program, role="mentor").person
    with pytest.raises(ValidationError, match="already has a mentor") as caught:
        pair(program, second_mentor, mentee)
    assert caught.value.code == "mentee_taken"


def test_only_approved_enrolments_can_be_paired(program, mentor, org):
    applicant = EnrolmentFactory(program=program, role="mentee", status=EnrolmentStatus.APPLIED).person
    with pytest.raises(ValidationError, match="not an approved mentee"):
        pair(program, mentor, applicant)
    with pytest.raises(ValidationError, match="not an approved mentor"):
        pair(program, applicant, mentor)


def test_nobody_mentors_themselves(program, mentor):
    EnrolmentFactory(program=program, person=mentor, role="mentee")
    with pytest.raises(ValidationError, match="themselves"):
        pair(program, mentor, mentor)


def test_the_database_refuses_two_live_pairings_of_the_same_people(program, mentor, mentee):
    relationship = pair(program, mentor, mentee)
    with pytest.raises(IntegrityError), transaction.atomic():
        Relationship.objects.create(
            program=program, mentor=mentor, mentee=mentee, origin="manual", ends_on=program.ends_on
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Relationship.objects.filter(pk=relationship.pk).update(mentee=mentor)


def test_a_draft_program_pairs_nobody(program, mentor, mentee):
    program.status = ProgramStatus.DRAFT
    with pytest.raises(ValidationError, match="only be paired"):
        pair(program, mentor, mentee)


def test_a_decline_returns_both_to_the_pool(
    program, mentor, mentee, immediate_tasks, django_capture_on_commit_callbacks
):
    relationship = pair(program, mentor, mentee)
    with django_capture_on_commit_callbacks(execute=True):
        declined = services.relationship_decline(relationship=relationship, person=mentor)
    assert declined.status == RelationshipStatus.DECLINED and declined.declined_by == mentor
    assert len(mail.outbox) == 2
    pool = program_pool(program=program)
    assert [enrolment.person for enrolment in pool.mentees] == [mentee]
    assert pool.freed_mentee_ids == {mentee.pk}
    assert [room.enrolment.person for room in pool.mentors] == [mentor]
    assert pair(program, mentor, mentee).status == RelationshipStatus.PENDING_CONSENT


def test_only_a_party_consents_or_declines(program, mentor, mentee, pam):
    relationship = pair(program, mentor, mentee)
    for service in (services.relationship_consent, services.relationship_decline):
        with pytest.raises(ValidationError, match="Only the mentor or the mentee"):
            service(relationship=relationship, person=pam)


def test_an_active_relationship_ends_without_blame(
    program, mentor, mentee, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    relationship = pair(program, mentor, mentee)
    with pytest.raises(ValidationError, match="Only an active relationship"):
        closure.relationship_end_no_fault(relationship=relationship, person=mentee)
    services.relationship_consent(relationship=relationship, person=mentee)
    services.relationship_consent(relationship=relationship, person=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        ended = closure.relationship_end_no_fault(
            relationship=relationship, person=mentee, reason="PRIVATE-REASON: we drifted"
        )
    assert ended.status == RelationshipStatus.ENDED and ended.ended_by == mentee
    assert ended.end_reason == "PRIVATE-REASON: we drifted"
    assert [message.to for message in mail.outbox] == [[mentor.email]]
    assert all("PRIVATE-REASON" not in message.body for message in mail.outbox)
    assert all("no-fault" in message.body for message in mail.outbox)
    with pytest.raises(ValidationError, match="Only an active relationship"):
        closure.relationship_end_no_fault(relationship=relationship, person=mentor)
    assert program_pool(program=program).freed_mentee_ids == {mentee.pk}


# ---- many pairs at once (publishing a matching run) ---------------------------------------------


def bulk(program, pairs):
    return services.relationships_create_pending_bulk(
        program=program, pairs=pairs, origin=RelationshipOrigin.PROPOSAL
    )


def test_many_pairs_are_created_at_once_and_each_side_is_told_through_the_ledger(
    program, immediate_tasks, django_capture_on_commit_callbacks
):
    mentors = [EnrolmentFactory(program=program, role="mentor", capacity=2).person for _ in range(2)]
    mentees = [EnrolmentFactory(program=program, role="mentee").person for _ in range(4)]
    pairs = [(mentors[n % 2], mentee) for n, mentee in enumerate(mentees)]
    with django_capture_on_commit_callbacks(execute=True):
        relationships = bulk(program, pairs)
    assert [(r.mentor, r.mentee) for r in relationships] == pairs
    assert all(r.pk and r.status == RelationshipStatus.PENDING_CONSENT for r in relationships)
    assert len(mail.outbox) == 8
    sent = SentNotification.objects.filter(kind=NotificationKind.PAIRING, status=DeliveryStatus.SENT)
    assert sorted(sent.values_list("object_id", flat=True)) == sorted(2 * [r.pk for r in relationships])


def test_many_pairs_cost_the_same_number_of_queries_as_a_few(program):
    def queries_for(size):
        mentor = EnrolmentFactory(program=program, role="mentor", capacity=size).person
        pairs = [(mentor, EnrolmentFactory(program=program, role="mentee").person) for _ in range(size)]
        with CaptureQueriesContext(connection) as queries:
            bulk(program, pairs)
        return len(queries)

    assert queries_for(2) == queries_for(12)


def test_a_batch_is_checked_against_itself_and_is_all_or_nothing(program, mentor, mentee):
    other = EnrolmentFactory(program=program, role="mentee").person  # the mentor has one place
    with pytest.raises(services.PairRefused, match="This mentor is full.") as caught:
        bulk(program, [(mentor, mentee), (mentor, other)])
    assert caught.value.code == "mentor_full"
    assert (caught.value.mentor, caught.value.mentee) == (mentor, other)
    assert not Relationship.objects.exists()


@pytest.mark.parametrize(
    "spoil, message",
    [
        (
            lambda p, mentor, mentee: p.enrolments.filter(person=mentor).update(paused_until="2099-01-01"),
            "2099",
        ),
        (lambda p, mentor, mentee: pair(p, mentor, mentee), "already has a mentor"),
        (lambda p, mentor, mentee: p.enrolments.filter(person=mentee).delete(), "not an approved mentee"),
        (lambda p, mentor, mentee: setattr(p, "status", ProgramStatus.DRAFT), "only be paired"),
    ],
)
def test_a_batch_follows_the_rules_of_a_single_pairing(program, mentor, mentee, spoil, message):
    spoil(program, mentor, mentee)
    before = Relationship.objects.count()
    with pytest.raises(ValidationError, match=message):
        bulk(program, [(mentor, mentee)])
    assert Relationship.objects.count() == before


# ---- the wording of a mentee's request ----------------------------------------------------------


def mail_to(person):
    [message] = [message for message in mail.outbox if message.to == [person.email]]
    return message


def test_a_mentees_request_tells_the_mentee_it_was_sent_and_asks_the_mentor(
    program, mentor, mentee, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pair(program, mentor, mentee, origin=RelationshipOrigin.MENTEE_REQUEST)
    to_mentee, to_mentor = mail_to(mentee), mail_to(mentor)
    assert "Your request to Bob Baker" in to_mentee.body and "was sent" in to_mentee.body
    assert "We'll tell you when Bob Baker answers." in to_mentee.body
    assert "agree to start" not in to_mentee.body
    assert to_mentor.subject == "Alice Archer asked you to be their mentor"
    assert "Alice Archer asked you to be their mentor" in to_mentor.body
    assert "accept or decline" in to_mentor.body


def test_a_declined_request_points_the_mentee_to_their_shortlist(
    program, mentor, mentee, immediate_tasks, django_capture_on_commit_callbacks
):
    request = pair(program, mentor, mentee, origin=RelationshipOrigin.MENTEE_REQUEST)
    with django_capture_on_commit_callbacks(execute=True):
        services.relationship_decline(relationship=request, person=mentor)
    to_mentee = mail_to(mentee)
    assert "choose another mentor from your shortlist" in to_mentee.body
    assert reverse("pairing:choose_shortlist", args=[program.pk]) in to_mentee.body
    assert "program manager" not in to_mentee.body
    assert "program manager" not in mail_to(mentor).body


def test_a_declined_proposal_still_says_the_program_manager_will_help(
    program, mentor, mentee, immediate_tasks, django_capture_on_commit_callbacks
):
    proposal = pair(program, mentor, mentee)
    with django_capture_on_commit_callbacks(execute=True):
        services.relationship_decline(relationship=proposal, person=mentor)
    assert "the program manager will help you" in mail_to(mentee).body
