"""Handover links: an organisation that sends its own e-mail invites without Mentora's e-mails and
takes the invitation and activation links instead. Only an org admin, or a service account with the
scope, gets them; each handover is audited; the links work."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.http import QueryDict
from django.utils import timezone

from mentora.audit.models import Action, AuditEvent
from mentora.core.roles import viewer_for
from mentora.programs.models import ProgramStatus
from mentora.serviceaccounts.services import service_account_create
from tests.factories import PersonFactory, api_headers
from tests.programs.factories import ProgramFactory


@pytest.fixture(autouse=True)
def tasks_run_at_once(immediate_tasks):
    """The invitation round and its e-mails run in this process."""


@pytest.fixture
def program(org, pam):
    return ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.OPEN, name="Future leads")


@pytest.fixture
def newcomer(org):
    """Imported, never signed in, no password yet."""
    person = PersonFactory(organisation=org, full_name="Nina New")
    person.user.set_unusable_password()
    person.user.save()
    return person


def _service_headers(olga, scopes) -> dict[str, str]:
    _account, raw = service_account_create(
        actor=viewer_for(olga.user), name="HR", scopes=scopes, expires_at=timezone.now() + timedelta(days=7)
    )
    return {"Authorization": f"Bearer {raw}"}


def _invite(client, program, headers, emails, capture, send_email=False):
    with capture(execute=True):
        response = client.post(
            f"/api/programs/{program.pk}/invitations",
            {"emails": emails, "send_email": send_email},
            content_type="application/json",
            headers=headers,
        )
    return response


@pytest.mark.parametrize("caller", ["org admin", "service account"])
def test_an_org_admin_or_service_account_invites_without_email_and_takes_the_links(
    client, program, olga, alice, newcomer, caller, django_capture_on_commit_callbacks
):
    headers = api_headers(olga) if caller == "org admin" else _service_headers(olga, ["enrolments:write"])

    response = _invite(
        client, program, headers, [alice.email, newcomer.email], django_capture_on_commit_callbacks
    )
    assert response.status_code == 202, response.json()
    links = client.get(
        f"/api/programs/{program.pk}/invitation-rounds/{response.json()['id']}/links", headers=headers
    )

    assert mail.outbox == []
    assert links.status_code == 200
    by_name = {row["person"]["full_name"]: row for row in links.json()}
    assert set(by_name) == {"Alice Archer", "Nina New"}
    assert "/programs/invitations/" in by_name["Alice Archer"]["link"]
    assert by_name["Alice Archer"]["first_password_link"] is None
    assert "/accounts/activate/" in by_name["Nina New"]["first_password_link"]
    event = AuditEvent.objects.get(action=Action.INVITATION_LINKS_HANDED_OVER)
    assert event.actor_person == olga and len(event.details["invitations"]) == 2


def test_the_handed_over_link_enrols(client, program, olga, alice, django_capture_on_commit_callbacks):
    headers = api_headers(olga)
    batch = _invite(client, program, headers, [alice.email], django_capture_on_commit_callbacks).json()
    [row] = client.get(
        f"/api/programs/{program.pk}/invitation-rounds/{batch['id']}/links", headers=headers
    ).json()

    client.force_login(alice.user)
    assert client.get(urlsplit(row["link"]).path).status_code == 200


def test_by_default_mentora_still_emails(client, program, olga, alice, django_capture_on_commit_callbacks):
    response = _invite(
        client, program, api_headers(olga), [alice.email], django_capture_on_commit_callbacks, send_email=True
    )
    assert response.status_code == 202 and [message.to for message in mail.outbox] == [[alice.email]]


def test_a_program_manager_may_neither_skip_the_emails_nor_take_links(
    client, program, pam, olga, alice, django_capture_on_commit_callbacks
):
    refused = _invite(client, program, api_headers(pam), [alice.email], django_capture_on_commit_callbacks)
    assert refused.status_code == 403

    batch = _invite(
        client, program, api_headers(olga), [alice.email], django_capture_on_commit_callbacks
    ).json()
    links = client.get(
        f"/api/programs/{program.pk}/invitation-rounds/{batch['id']}/links", headers=api_headers(pam)
    )
    assert links.status_code == 403
    assert not AuditEvent.objects.filter(action=Action.INVITATION_LINKS_HANDED_OVER).exists()


@pytest.mark.parametrize("who", ["alice", "charlie"])
def test_others_and_other_organisations_get_nothing(
    client, program, olga, alice, charlie, who, django_capture_on_commit_callbacks
):
    batch = _invite(
        client, program, api_headers(olga), [alice.email], django_capture_on_commit_callbacks
    ).json()
    person = {"alice": alice, "charlie": charlie}[who]

    links = client.get(
        f"/api/programs/{program.pk}/invitation-rounds/{batch['id']}/links", headers=api_headers(person)
    )
    activation = client.post(
        "/api/people/activation-links",
        {"person_ids": [alice.pk]},
        content_type="application/json",
        headers=api_headers(person),
    )

    assert links.status_code == 404
    assert activation.status_code in (403, 422)
    assert not AuditEvent.objects.filter(
        action__in=[Action.INVITATION_LINKS_HANDED_OVER, Action.ACTIVATION_LINK_HANDED_OVER]
    ).exists()


def test_a_service_account_without_the_scope_gets_no_links(
    client, program, olga, alice, django_capture_on_commit_callbacks
):
    batch = _invite(
        client, program, api_headers(olga), [alice.email], django_capture_on_commit_callbacks
    ).json()
    headers = _service_headers(olga, ["programs:read", "people:read"])

    links = client.get(f"/api/programs/{program.pk}/invitation-rounds/{batch['id']}/links", headers=headers)
    activation = client.post(
        "/api/people/activation-links",
        {"person_ids": [alice.pk]},
        content_type="application/json",
        headers=headers,
    )

    assert (links.status_code, links.json()["error"]["code"]) == (403, "scope_missing")
    assert (activation.status_code, activation.json()["error"]["code"]) == (403, "scope_missing")


@pytest.mark.parametrize("caller", ["org admin", "service account"])
def test_activation_links_are_handed_over_and_work_once(client, olga, newcomer, caller):
    headers = api_headers(olga) if caller == "org admin" else _service_headers(olga, ["people:write"])

    response = client.post(
        "/api/people/activation-links",
        {"person_ids": [newcomer.pk]},
        content_type="application/json",
        headers=headers,
    )

    assert response.status_code == 200, response.json()
    [row] = response.json()
    assert row["person"]["id"] == newcomer.pk and row["email"] == newcomer.email
    assert mail.outbox == []
    event = AuditEvent.objects.get(action=Action.ACTIVATION_LINK_HANDED_OVER)
    assert event.actor_person == olga and event.details == {"people": [newcomer.pk]}
    link = urlsplit(row["link"])
    assert client.get(link.path, QueryDict(link.query)).status_code == 200


def test_a_program_manager_gets_no_activation_links(client, pam, newcomer):
    response = client.post(
        "/api/people/activation-links",
        {"person_ids": [newcomer.pk]},
        content_type="application/json",
        headers=api_headers(pam),
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body, field",
    [({"person_ids": []}, "person_ids"), ({"person_ids": [0]}, "person_ids"), ({}, "person_ids")],
)
def test_bad_activation_input_names_the_field(client, olga, body, field):
    response = client.post(
        "/api/people/activation-links", body, content_type="application/json", headers=api_headers(olga)
    )
    assert response.status_code == 422
    assert any(field in (detail["field"] or "") for detail in response.json()["error"]["details"])


def test_another_organisations_person_is_refused_naming_the_field(client, olga, charlie):
    response = client.post(
        "/api/people/activation-links",
        {"person_ids": [charlie.pk]},
        content_type="application/json",
        headers=api_headers(olga),
    )
    assert response.status_code == 422
    assert [detail["field"] for detail in response.json()["error"]["details"]] == ["person_ids"]


def test_a_strict_boolean_for_send_email(client, program, olga, alice):
    response = client.post(
        f"/api/programs/{program.pk}/invitations",
        {"emails": [alice.email], "send_email": "no"},
        content_type="application/json",
        headers=api_headers(olga),
    )
    assert response.status_code == 422


@pytest.mark.parametrize("caller", ["org admin", "service account"])
def test_no_activation_link_for_someone_who_has_a_password(client, olga, alice, newcomer, caller):
    """A handed-over link would let its holder replace the password of a person who has one (another org
    admin, the service account's own maker): only people who never had a password get one."""
    headers = api_headers(olga) if caller == "org admin" else _service_headers(olga, ["people:write"])
    signed_in_before = PersonFactory(organisation=olga.organisation, full_name="Sam Signed")
    signed_in_before.user.set_unusable_password()
    signed_in_before.user.last_login = timezone.now()
    signed_in_before.user.save()

    for person in (olga, alice, signed_in_before):
        response = client.post(
            "/api/people/activation-links",
            {"person_ids": [newcomer.pk, person.pk]},
            content_type="application/json",
            headers=headers,
        )

        assert response.status_code == 409, response.json()
        error = response.json()["error"]
        assert (error["code"], error["field"]) == ("has_password", "person_ids")
        assert "/activate/" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.ACTIVATION_LINK_HANDED_OVER).exists()
