"""Every pairing and relationship e-mail takes one path: recorded in the ledger, sent by a task after
the change commits, retried by the sweep up to MAX_ATTEMPTS. A mail server that fails after a
committed consent, decline, end, publish or program close is no HTTP 500.

These tests commit for real (transaction=True), so the e-mails leave inside the request, as in
production, and a failure there would reach the response."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from mentora.notifications.models import DeliveryStatus, NotificationKind, SentNotification
from mentora.notifications.services import MAX_ATTEMPTS, preferences_update, reminders_sweep
from mentora.pairing import services as pairing_services
from mentora.programs.invitations import invitation_resend
from mentora.programs.models import Invitation, ProgramStatus
from mentora.relationships import services
from mentora.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus
from tests.factories import PASSWORD, SkillFactory
from tests.pairing.conftest import enrol_mentee, enrol_mentor
from tests.programs.factories import EnrolmentFactory, ProgramFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("mail server down")


def mail_server_goes_down(settings):
    """After the fixtures' own e-mails have left."""
    settings.EMAIL_BACKEND = "tests.notifications.test_one_path.FailingBackend"
    mail.outbox.clear()


@pytest.fixture
def program(org, pam):
    today = timezone.localdate()
    return ProgramFactory(
        organisation=org,
        managers=[pam],
        status=ProgramStatus.RUNNING,
        name="Program P",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=120),
    )


@pytest.fixture
def pending(program, alice, bob):
    """Bob would mentor Alice; Alice has said yes, Bob has not answered yet."""
    EnrolmentFactory(program=program, person=bob, role="mentor", capacity=2)
    EnrolmentFactory(program=program, person=alice, role="mentee")
    relationship = services.relationship_create_pending(
        program=program, mentor=bob, mentee=alice, origin=RelationshipOrigin.PROPOSAL
    )
    services.relationship_consent(relationship=relationship, person=alice)
    return relationship


@pytest.fixture
def active(pending, bob):
    return services.relationship_consent(relationship=pending, person=bob)


def login(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    client.raise_request_exception = False
    return client


def ledger(kind, status):
    return SentNotification.objects.filter(kind=kind, status=status)


def retried_later_reaches(settings, *emails):
    """The mail server is back: the next sweep sends what failed, to these addresses."""
    settings.EMAIL_BACKEND = LOCMEM
    mail.outbox.clear()
    reminders_sweep(inline=True)
    return sorted(message.to[0] for message in mail.outbox) == sorted(emails)


def test_a_consent_commits_and_its_news_is_retried_when_the_mail_server_fails(
    client, settings, immediate_tasks, pending, alice, bob
):
    mail_server_goes_down(settings)
    response = login(client, bob).post(reverse("relationships:consent", args=[pending.pk]))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == RelationshipStatus.ACTIVE
    failed = ledger(NotificationKind.PAIRING, DeliveryStatus.FAILED).filter(period="started")
    assert failed.count() == 2 and "mail server down" in failed.first().error
    assert retried_later_reaches(settings, alice.email, bob.email)
    assert ledger(NotificationKind.PAIRING, DeliveryStatus.SENT).filter(period="started").count() == 2


def test_a_decline_commits_and_its_news_is_retried_when_the_mail_server_fails(
    client, settings, immediate_tasks, pending, alice, bob
):
    mail_server_goes_down(settings)
    response = login(client, bob).post(reverse("relationships:decline", args=[pending.pk]))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == RelationshipStatus.DECLINED
    assert ledger(NotificationKind.PAIRING, DeliveryStatus.FAILED).filter(period="declined").count() == 2
    assert retried_later_reaches(settings, alice.email, bob.email)


def test_an_ending_commits_and_the_partner_is_told_later_when_the_mail_server_fails(
    client, settings, immediate_tasks, active, alice, bob
):
    mail_server_goes_down(settings)
    response = login(client, alice).post(reverse("agreements:end", args=[active.pk]), {"reason": ""})
    assert response.status_code == 302
    active.refresh_from_db()
    assert active.status == RelationshipStatus.ENDED
    failed = ledger(NotificationKind.RELATIONSHIP_UPDATE, DeliveryStatus.FAILED)
    assert list(failed.values_list("recipient", flat=True)) == [bob.pk]
    assert retried_later_reaches(settings, bob.email)
    assert "no-fault" in mail.outbox[0].body


def test_closing_a_program_commits_and_the_withdrawal_is_retried_when_the_mail_server_fails(
    client, settings, immediate_tasks, program, pending, pam, alice, bob
):
    mail_server_goes_down(settings)
    response = login(client, pam).post(reverse("relationships:program_close", args=[program.pk]))
    assert response.status_code == 302
    program.refresh_from_db()
    pending.refresh_from_db()
    assert program.status == ProgramStatus.CLOSED and pending.status == RelationshipStatus.DECLINED
    assert ledger(NotificationKind.PAIRING, DeliveryStatus.FAILED).filter(period="withdrawn").count() == 2
    assert retried_later_reaches(settings, alice.email, bob.email)


def test_publishing_commits_and_the_proposals_are_retried_when_the_mail_server_fails(
    client, settings, immediate_tasks, org, pam
):
    mail_server_goes_down(settings)
    program = ProgramFactory(organisation=org, name="Leaders of tomorrow", managers=[pam])
    skill = SkillFactory(organisation=org, name="Negotiation", slug="negotiation")
    maya = enrol_mentor(program, name="Maya Mentor", skill=skill)
    ella = enrol_mentee(program, name="Ella Mentee", skill=skill)
    run = pairing_services.match_run_create(program=program, created_by=pam, settings={})
    pairing_services.match_run_execute(run_id=run.pk)  # None when the immediate task already ran it
    response = login(client, pam).post(reverse("pairing:publish", args=[run.pk]))
    assert response.status_code == 302
    assert Relationship.objects.filter(program=program, mentor=maya, mentee=ella).exists()
    assert ledger(NotificationKind.PAIRING, DeliveryStatus.FAILED).filter(period="proposed").count() == 2
    assert retried_later_reaches(settings, maya.email, ella.email)


def test_retries_stop_after_the_bound(settings, immediate_tasks, pending, bob):
    mail_server_goes_down(settings)
    services.relationship_consent(relationship=pending, person=bob)
    for _sweep in range(MAX_ATTEMPTS):
        reminders_sweep(inline=True)
    failed = ledger(NotificationKind.PAIRING, DeliveryStatus.FAILED)
    assert failed.count() == 2 and {row.attempts for row in failed} == {MAX_ATTEMPTS}
    assert not retried_later_reaches(settings, pending.mentor.email, pending.mentee.email)
    assert mail.outbox == []


def test_pairing_news_cannot_be_switched_off(immediate_tasks, pending, alice, bob):
    with pytest.raises(ValueError, match="pairing"):
        preferences_update(person=bob, pairing=False)
    preferences_update(person=bob, relationship_update=False)
    mail.outbox.clear()
    services.relationship_consent(relationship=pending, person=bob)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([alice.email, bob.email])


def invite_while_the_mail_server_is_down(client, settings, org, pam, alice):
    program = ProgramFactory(organisation=org, managers=[pam], name="Future leads")
    mail_server_goes_down(settings)
    response = login(client, pam).post(reverse("programs:invite", args=[program.pk]), {"emails": alice.email})
    assert response.status_code == 302
    invitation = Invitation.objects.get(program=program, person=alice)
    assert invitation.emailed_at is None and "mail server down" in invitation.email_error
    return invitation


def test_an_invitation_that_failed_is_sent_by_a_later_sweep(
    client, settings, immediate_tasks, org, pam, alice
):
    invitation = invite_while_the_mail_server_is_down(client, settings, org, pam, alice)
    assert retried_later_reaches(settings, alice.email)
    invitation.refresh_from_db()
    assert invitation.emailed_at is not None and invitation.email_error == ""


def test_a_failing_invitation_is_retried_within_the_bound_and_a_resend_starts_over(
    client, settings, immediate_tasks, org, pam, alice
):
    invitation = invite_while_the_mail_server_is_down(client, settings, org, pam, alice)
    for _sweep in range(MAX_ATTEMPTS):
        reminders_sweep(inline=True)
    invitation.refresh_from_db()
    assert invitation.email_attempts == MAX_ATTEMPTS and invitation.emailed_at is None
    assert not retried_later_reaches(settings, alice.email)

    invitation_resend(invitation=invitation)
    assert [message.to for message in mail.outbox] == [[alice.email]]
