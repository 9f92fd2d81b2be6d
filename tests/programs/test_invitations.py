"""Invitations: rounds of any size through a background task, their report, the e-mails with a
claim each, and a manager's follow-up (resend, withdraw) — services, pages and API."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from mentora.accounts.activation import first_password_link
from mentora.people.models import Person
from mentora.programs import invitations, services
from mentora.programs.models import Invitation, InvitationBatch, ProgramStatus
from tests.factories import DepartmentFactory, PersonFactory
from tests.programs.factories import EnrolmentFactory, ProgramFactory
from tests.programs.test_api import Api, error_text


@pytest.fixture
def program(org, pam):
    return ProgramFactory(organisation=org, managers=[pam], name="Future leads")


def invite(program, actor, django_capture_on_commit_callbacks, **given) -> InvitationBatch:
    with django_capture_on_commit_callbacks(execute=True):
        batch = invitations.invitation_batch_start(program=program, actor=actor, **given)
    batch.refresh_from_db()
    return batch


def token_in(message) -> str:
    return re.search(r"/programs/invitations/([^/]+)/", message.body).group(1)


# ---- a round --------------------------------------------------------------------------------


def test_invitations_are_emailed_with_a_signed_link(program, pam, alice, django_capture_on_commit_callbacks):
    batch = invite(program, pam, django_capture_on_commit_callbacks, emails=[alice.email.upper()])
    assert batch.status == "done" and batch.report["invited"] == 1
    [invitation] = batch.invitations.all()
    assert invitation.person == alice and invitation.emailed_at is not None
    assert [message.to for message in mail.outbox] == [[alice.email]]
    assert invitations.invitation_resolve(token=token_in(mail.outbox[0]), person=alice) == invitation


def test_a_round_reports_who_was_not_invited_and_why(
    org, program, pam, alice, bob, lou, charlie, django_capture_on_commit_callbacks
):
    senior_only = PersonFactory(organisation=org, full_name="Junior June", seniority=1)
    program.min_seniority = 2
    program.save()
    for person in (alice, bob, lou):
        person.seniority = 3
        person.save()
    EnrolmentFactory(program=program, person=bob)
    invite(program, pam, django_capture_on_commit_callbacks, emails=[lou.email])
    mail.outbox.clear()

    batch = invite(
        program,
        pam,
        django_capture_on_commit_callbacks,
        emails=[alice.email, alice.email.upper(), bob.email, lou.email, charlie.email, senior_only.email],
    )

    report = batch.report
    assert report["invited"] == 1
    assert report["duplicates"] == {"count": 1, "sample": [alice.email.upper()]}
    assert report["unknown"] == {"count": 1, "sample": [charlie.email]}  # another organisation
    assert report["ineligible"] == {"count": 1, "sample": [senior_only.email]}
    assert report["already_enrolled"] == {"count": 1, "sample": [bob.email]}
    assert report["already_invited"] == {"count": 1, "sample": [lou.email]}
    assert [message.to for message in mail.outbox] == [[alice.email]]
    assert Invitation.objects.filter(program=program, person=lou).count() == 1


def test_twenty_thousand_addresses_go_through_in_one_round(
    org, program, pam, django_capture_on_commit_callbacks
):
    # 1,200 addresses used to answer HTTP 500 ("Expression tree is too large").
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"p{n}@acme.test", email=f"p{n}@acme.test") for n in range(1300)
    )
    Person.objects.bulk_create(
        Person(organisation=org, user=user, email=user.email, full_name=user.email, employee_id=user.email)
        for user in users
    )
    addresses = [f"p{n}@acme.test" for n in range(1300)] + [f"nobody{n}@acme.test" for n in range(18_700)]

    batch = invite(program, pam, django_capture_on_commit_callbacks, emails=addresses)

    assert batch.status == "done" and batch.progress == 100
    assert batch.report["invited"] == 1300
    assert batch.report["unknown"]["count"] == 18_700
    assert len(batch.report["unknown"]["sample"]) == invitations.REPORT_SAMPLE
    assert len(mail.outbox) == 1300


def test_a_round_invites_everyone_eligible_in_a_department_location_and_seniority_range(
    org, program, pam, django_capture_on_commit_callbacks
):
    sales, research = DepartmentFactory(organisation=org, name="Sales"), DepartmentFactory(organisation=org)
    fits = PersonFactory(organisation=org, department=sales, location="Lisbon", seniority=4)
    PersonFactory(organisation=org, department=research, location="Lisbon", seniority=4)
    PersonFactory(organisation=org, department=sales, location="London", seniority=4)
    PersonFactory(organisation=org, department=sales, location="lisbon", seniority=8)
    PersonFactory(organisation=org, department=sales, location="Lisbon", seniority=4, is_active=False)

    batch = invite(
        program,
        pam,
        django_capture_on_commit_callbacks,
        department_ids=[sales.pk],
        locations="LISBON",
        min_seniority=3,
        max_seniority=5,
    )

    assert [invitation.person for invitation in batch.invitations.all()] == [fits]


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({}, "emails", "Give email addresses"),
        ({"emails": ["a@acme.test"], "min_seniority": 2}, "emails", "either by email address"),
        ({"min_seniority": 0}, "min_seniority", "between 1 and 10"),
        ({"max_seniority": 11}, "max_seniority", "between 1 and 10"),
        ({"min_seniority": 5, "max_seniority": 3}, "min_seniority", "must not be above"),
        ({"emails": ["a\x00@acme.test"]}, "emails", "control"),
        ({"emails": ["a" * 321]}, "emails", "longer than 320"),
        ({"department_ids": [999_999]}, "departments", "of your organisation"),
    ],
)
def test_bad_rounds_are_refused_with_a_clear_message(program, pam, given, field, message):
    with pytest.raises(ValidationError) as caught:
        invitations.invitation_batch_start(program=program, actor=pam, **given)
    assert message in " ".join(caught.value.message_dict[field])
    assert not InvitationBatch.objects.exists()


def test_another_organisations_department_cannot_filter_a_round(program, pam, other_org):
    with pytest.raises(ValidationError, match="of your organisation"):
        invitations.invitation_batch_start(
            program=program, actor=pam, department_ids=[DepartmentFactory(organisation=other_org).pk]
        )


def test_a_draft_program_sends_no_invitations(org, pam, alice):
    program = ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.DRAFT)
    with pytest.raises(ValidationError, match="Open the program"):
        invitations.invitation_batch_start(program=program, actor=pam, emails=[alice.email])


def test_a_round_queued_before_the_program_closed_for_enrolment_invites_nobody(program, pam, alice):
    batch = invitations.invitation_batch_start(program=program, actor=pam, emails=[alice.email])
    program.status = ProgramStatus.DRAFT
    program.save()
    batch = invitations.invitation_batch_run(batch_id=batch.pk)
    assert batch.status == "failed" and "Open the program" in batch.report["message"]
    assert invitations.invitation_batch_run(batch_id=batch.pk) is None  # runs once
    assert not Invitation.objects.exists()


def test_the_database_keeps_one_open_invitation_per_person_and_program(program, alice):
    Invitation.objects.create(program=program, person=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(program=program, person=alice)


# ---- the e-mails ----------------------------------------------------------------------------


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_mail_server_failure_is_recorded_and_the_manager_can_resend(
    settings, client, program, pam, alice, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.programs.test_invitations.FailingBackend"
    client.force_login(pam.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programs:invite", args=[program.pk]), {"emails": alice.email})
    assert response.status_code == 302
    invitation = Invitation.objects.get(person=alice)
    assert invitation.emailed_at is None and "mail server down" in invitation.email_error
    assert (
        "mail server down" in client.get(reverse("programs:invitations", args=[program.pk])).content.decode()
    )

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("programs:invitation_resend", args=[program.pk, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.emailed_at is not None and invitation.email_error == ""
    assert [message.to for message in mail.outbox] == [[alice.email]]


def test_an_invitation_is_emailed_once_even_if_its_task_runs_twice(
    program, pam, alice, django_capture_on_commit_callbacks
):
    batch = invite(program, pam, django_capture_on_commit_callbacks, emails=[alice.email])
    assert invitations.invitation_emails_send(batch_id=batch.pk) == 0
    assert len(mail.outbox) == 1


# ---- follow-up ------------------------------------------------------------------------------


def test_a_withdrawn_invitation_link_stops_working(program, pam, alice, django_capture_on_commit_callbacks):
    batch = invite(program, pam, django_capture_on_commit_callbacks, emails=[alice.email])
    invitation = batch.invitations.get()
    invitations.invitation_revoke(invitation=invitation)
    with pytest.raises(ValidationError, match="withdrawn"):
        invitations.invitation_resolve(token=token_in(mail.outbox[0]), person=alice)
    with pytest.raises(ValidationError, match="withdrawn"):
        invitations.invitation_resend(invitation=invitation)
    # Withdrawn, Alice may be invited again.
    assert (
        invite(program, pam, django_capture_on_commit_callbacks, emails=[alice.email]).report["invited"] == 1
    )


def test_an_accepted_invitation_can_be_neither_resent_nor_withdrawn(program, pam, alice):
    [invitation] = invitations.program_invite(program=program, actor=pam, emails=[alice.email])
    services.program_enrol(program=program, person=alice, role="mentee", answers={}, invitation=invitation)
    invitation.refresh_from_db()
    for action in (invitations.invitation_resend, invitations.invitation_revoke):
        with pytest.raises(ValidationError, match="accepted"):
            action(invitation=invitation)


def test_an_expired_invitation_link_is_refused(program, pam, alice, monkeypatch):
    [invitation] = invitations.program_invite(program=program, actor=pam, emails=[alice.email])
    long_ago = time.time() - invitations.INVITATION_MAX_AGE_SECONDS - 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: long_ago)
    token = invitations.invitation_token(invitation)
    monkeypatch.undo()
    with pytest.raises(ValidationError, match="expired") as caught:
        invitations.invitation_resolve(token=token, person=alice)
    assert caught.value.code == "expired"


@pytest.mark.parametrize(
    "tamper", [lambda t: t[:-2] + "xx", lambda t: "garbage", lambda t: t.replace(":", ";", 1)]
)
def test_a_tampered_invitation_link_is_refused(program, pam, alice, tamper):
    [invitation] = invitations.program_invite(program=program, actor=pam, emails=[alice.email])
    with pytest.raises(ValidationError, match="not valid"):
        invitations.invitation_resolve(token=tamper(invitations.invitation_token(invitation)), person=alice)


def test_someone_elses_invitation_link_is_refused(program, pam, alice, bob):
    [invitation] = invitations.program_invite(program=program, actor=pam, emails=[alice.email])
    with pytest.raises(ValidationError, match="someone else"):
        invitations.invitation_resolve(token=invitations.invitation_token(invitation), person=bob)


# ---- pages ----------------------------------------------------------------------------------


def test_the_manager_follows_a_round_and_its_open_invitations_on_pages(
    client, program, pam, alice, bob, charlie, django_capture_on_commit_callbacks
):
    client.force_login(pam.user)
    url = reverse("programs:invite", args=[program.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"emails": f"{alice.email}, {bob.email}\n{charlie.email}"})
    batch = InvitationBatch.objects.get()
    assert response["Location"] == reverse("programs:invitation_batch", args=[program.pk, batch.pk])
    text = client.get(response["Location"]).content.decode()
    assert "2 people invited" in text and charlie.email in text and "Nobody in your organisation" in text
    fragment = client.get(response["Location"], headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and "HX-Request" in fragment["Vary"]

    listing = client.get(reverse("programs:invitations", args=[program.pk])).content.decode()
    assert "Alice Archer" in listing and "Bob Baker" in listing
    alice_invitation = Invitation.objects.get(person=alice)
    response = client.post(reverse("programs:invitation_revoke", args=[program.pk, alice_invitation.pk]))
    assert response.status_code == 302
    listing = client.get(reverse("programs:invitations", args=[program.pk])).content.decode()
    assert alice.email not in listing and bob.email in listing
    # A withdrawn invitation is no longer open: following it up again is a 404.
    response = client.post(reverse("programs:invitation_resend", args=[program.pk, alice_invitation.pk]))
    assert response.status_code == 404


def test_a_running_round_is_polled_until_done(client, program, pam, alice):
    client.force_login(pam.user)
    client.post(
        reverse("programs:invite", args=[program.pk]), {"emails": alice.email}
    )  # not committed: queued
    batch = InvitationBatch.objects.get()
    text = client.get(reverse("programs:invitation_batch", args=[program.pk, batch.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in text and "Waiting for a background worker" in text


def test_a_bad_round_on_the_page_is_a_400_with_the_message(client, program, pam):
    client.force_login(pam.user)
    response = client.post(
        reverse("programs:invite", args=[program.pk]), {"min_seniority": "7", "max_seniority": "2"}
    )
    assert response.status_code == 400
    assert "must not be above" in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "lou", "leo", "bob", "other_manager", "charlie"])
def test_nobody_but_the_programs_managers_and_org_admins_reaches_invitations(
    request, client, org, program, pam, who, django_capture_on_commit_callbacks
):
    alice = request.getfixturevalue("alice")
    other_manager = PersonFactory(organisation=org, roles=["program_manager"])
    batch = invite(program, pam, django_capture_on_commit_callbacks, emails=[alice.email])
    invitation = batch.invitations.get()
    person = other_manager if who == "other_manager" else request.getfixturevalue(who)
    client.force_login(person.user)
    pages = [
        reverse("programs:invite", args=[program.pk]),
        reverse("programs:invitation_batch", args=[program.pk, batch.pk]),
        reverse("programs:invitations", args=[program.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    for name in ("programs:invitation_resend", "programs:invitation_revoke"):
        assert client.post(reverse(name, args=[program.pk, invitation.pk])).status_code == 404
    api = Api(client, person)
    assert api.post(f"/api/programs/{program.pk}/invitations", {"emails": [alice.email]}).status_code == 404
    assert api.get(f"/api/programs/{program.pk}/invitation-rounds/{batch.pk}").status_code == 404
    assert api.get(f"/api/programs/{program.pk}/invitations").status_code == 404
    assert api.post(f"/api/programs/{program.pk}/invitations/{invitation.pk}/revoke").status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None and InvitationBatch.objects.count() == 1


def test_an_org_admin_follows_up_any_programs_invitations(
    client, program, olga, alice, django_capture_on_commit_callbacks
):
    batch = invite(program, olga, django_capture_on_commit_callbacks, emails=[alice.email])
    client.force_login(olga.user)
    assert client.get(reverse("programs:invitations", args=[program.pk])).status_code == 200
    api = Api(client, olga)
    response = api.post(f"/api/programs/{program.pk}/invitations/{batch.invitations.get().pk}/revoke")
    assert response.status_code == 200 and Invitation.objects.get().revoked_at is not None


# ---- API ------------------------------------------------------------------------------------


def test_the_api_invites_by_filter_and_follows_up(
    client, org, program, pam, alice, bob, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=org, name="Sales")
    alice.department = sales
    alice.save()
    api = Api(client, pam)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/programs/{program.pk}/invitations", {"department_ids": [sales.pk]})
    assert response.status_code == 202
    batch = api.get(f"/api/programs/{program.pk}/invitation-rounds/{response.json()['id']}").json()
    assert batch["report"]["invited"] == 1 and batch["message"] is None
    [open_invitation] = api.get(f"/api/programs/{program.pk}/invitations").json()["results"]
    assert open_invitation["person"]["id"] == alice.pk

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/programs/{program.pk}/invitations/{open_invitation['id']}/resend")
    assert response.status_code == 200 and len(mail.outbox) == 2
    response = api.post(f"/api/programs/{program.pk}/invitations/{open_invitation['id']}/revoke")
    assert response.status_code == 200
    assert api.get(f"/api/programs/{program.pk}/invitations").json()["results"] == []
    response = api.post(f"/api/programs/{program.pk}/invitations/{open_invitation['id']}/revoke")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 422),
        ({"emails": "alice@acme.test"}, 422),
        ({"emails": [1]}, 422),
        ({"department_ids": [0]}, 422),
        ({"min_seniority": 11}, 422),
        ({"locations": ["x" * 201]}, 422),
        ({"emails": ["a@acme.test"], "department_ids": [1]}, 422),
        ({"emails": ["nul\x00@acme.test"]}, 422),
    ],
)
def test_bad_invitation_bodies_get_the_one_error_shape(client, program, pam, body, status):
    response = Api(client, pam).post(f"/api/programs/{program.pk}/invitations", body)
    assert response.status_code == status
    assert error_text(response)
    assert not InvitationBatch.objects.exists()


def test_more_addresses_than_the_limit_are_refused(client, program, pam):
    body = {"emails": [f"p{n}@acme.test" for n in range(invitations.MAX_INVITATION_ADDRESSES + 1)]}
    response = Api(client, pam).post(f"/api/programs/{program.pk}/invitations", body)
    assert response.status_code in (413, 422)
    assert not InvitationBatch.objects.exists()


# ---- an invitee who never had a password ---------------------------------------------------------


def first_password_link_in(message) -> str | None:
    found = re.search(r"https?://[^/\s]+(/accounts/activate/\S+)", message.body)
    return found.group(1) if found else None


def test_an_invitee_without_a_password_chooses_one_and_lands_on_the_invitation(
    client, org, program, pam, django_capture_on_commit_callbacks
):
    newcomer = PersonFactory(organisation=org, full_name="Nina Newcomer")
    newcomer.user.set_unusable_password()
    newcomer.user.save()
    invite(program, pam, django_capture_on_commit_callbacks, emails=[newcomer.email])
    [message] = mail.outbox
    activation = first_password_link_in(message)
    invitation_path = reverse("programs:invitation", args=[token_in(message)])
    assert activation is not None and "First time in Mentora?" in message.body

    password = "a-long-first-password-1"
    response = client.post(activation, {"new_password1": password, "new_password2": password})

    assert response.status_code == 302
    signed_in = client.post(response["Location"], {"login": newcomer.email, "password": password})
    assert signed_in.status_code == 302 and signed_in["Location"] == invitation_path
    assert client.get(invitation_path).status_code == 200


def test_an_invitee_with_a_password_gets_no_first_password_link(
    program, pam, alice, django_capture_on_commit_callbacks
):
    invite(program, pam, django_capture_on_commit_callbacks, emails=[alice.email])

    [message] = mail.outbox
    assert first_password_link_in(message) is None and "First time in Mentora?" not in message.body


def test_the_first_password_page_never_leads_off_the_site(client, org):
    newcomer = PersonFactory(organisation=org, full_name="Nina Newcomer")
    newcomer.user.set_unusable_password()
    newcomer.user.save()
    link = first_password_link(user=newcomer.user, then="/programs/")
    offsite = link.split("?")[0] + "?next=https://evil.example/steal"
    password = "a-long-first-password-1"

    response = Client().post(offsite, {"new_password1": password, "new_password2": password})

    assert response.status_code == 302 and response["Location"] == reverse("login")
