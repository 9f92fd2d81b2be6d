"""Idempotency-Key on the API's POSTs: a retry is answered with the first answer and does nothing again;
the key is the caller's own, and one key names one request."""

import datetime
import json
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from mentora.api.idempotency import idempotency_keys_purge
from mentora.api.models import IdempotentRequest, hash_token
from mentora.programs.models import Enrolment, Invitation, InvitationBatch
from tests.concurrency import ON_POSTGRES
from tests.factories import PASSWORD, api_headers
from tests.programs.factories import ProgramFactory


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """The invitation round runs at once, e-mails included, so a second run would show."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def program(org, pam):
    return ProgramFactory(organisation=org, managers=[pam], name="Future leads")


def post(client, url, body, headers, key=None):
    if key is not None:
        headers = {**headers, "Idempotency-Key": key}
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_a_retried_enrolment_enrols_once_and_gets_the_first_answer_again(client, program, alice):
    headers = api_headers(alice)
    url = f"/api/programs/{program.pk}/enrolments"
    first = post(client, url, {"role": "mentee"}, headers, key="enrol-1")
    again = post(client, url, {"role": "mentee"}, headers, key="enrol-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Enrolment.objects.filter(program=program, person=alice).count() == 1
    # Without the key, the same request is a new one, refused by the rule (a conflict with the enrolment).
    refused = post(client, url, {"role": "mentee"}, headers)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "already_enrolled")


def test_a_retried_invitation_round_invites_and_emails_once(
    client, program, pam, alice, django_capture_on_commit_callbacks
):
    headers = api_headers(pam)
    url = f"/api/programs/{program.pk}/invitations"
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, url, {"emails": [alice.email]}, headers, key="round-7")
    with django_capture_on_commit_callbacks(execute=True):
        again = post(client, url, {"emails": [alice.email]}, headers, key="round-7")
    assert first.status_code == again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert InvitationBatch.objects.count() == 1 and Invitation.objects.filter(person=alice).count() == 1
    assert [message.to for message in mail.outbox] == [[alice.email]]


def test_a_replay_is_answered_to_an_allowed_host_only(client, program, alice):
    headers = api_headers(alice)
    url = f"/api/programs/{program.pk}/enrolments"
    assert post(client, url, {"role": "mentee"}, headers, key="host").status_code == 201
    elsewhere = client.post(
        url,
        json.dumps({"role": "mentee"}),
        content_type="application/json",
        headers={**headers, "Idempotency-Key": "host"},
        HTTP_HOST="evil.example",
    )
    assert elsewhere.status_code == 400 and "Idempotent-Replayed" not in elsewhere


def test_a_replay_carries_the_language_headers_of_an_answer(client, program, alice):
    headers = {**api_headers(alice), "Accept-Language": "en"}
    url = f"/api/programs/{program.pk}/enrolments"
    first = post(client, url, {"role": "mentee"}, headers, key="lang")
    again = post(client, url, {"role": "mentee"}, headers, key="lang")
    assert again["Idempotent-Replayed"] == "true"
    assert again["Content-Language"] == first["Content-Language"]
    assert "Accept-Language" in again["Vary"]


def test_the_same_key_for_another_request_is_refused(client, program, alice):
    headers = api_headers(alice)
    url = f"/api/programs/{program.pk}/enrolments"
    assert post(client, url, {"role": "mentee"}, headers, key="k").status_code == 201
    response = post(client, url, {"role": "mentor", "capacity": 2}, headers, key="k")
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("idempotency_key_reused", "Idempotency-Key")
    assert Enrolment.objects.filter(person=alice).count() == 1


def test_another_persons_key_does_not_collide(client, program, alice, bob):
    url = f"/api/programs/{program.pk}/enrolments"
    for person in (alice, bob):
        response = post(client, url, {"role": "mentee"}, api_headers(person), key="same-key")
        assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Enrolment.objects.filter(program=program).count() == 2


def test_a_request_still_being_answered_sends_its_retry_to_a_409(client, program, alice):
    headers = api_headers(alice)
    url = f"/api/programs/{program.pk}/enrolments"
    first = post(client, url, {"role": "mentee"}, headers, key="busy")
    assert first.status_code == 201
    # As if the first request were still running: its row is claimed, with no answer yet.
    IdempotentRequest.objects.filter(key="busy").update(status=None, body=b"")
    response = post(client, url, {"role": "mentee"}, headers, key="busy")
    assert response.status_code == 409 and response["Retry-After"] == "1"
    assert response.json()["error"]["code"] == "idempotency_in_progress"


def test_a_refusal_is_kept_but_a_fault_is_not(client, program, alice, monkeypatch):
    headers = api_headers(alice)
    url = f"/api/programs/{program.pk}/enrolments"
    refused = post(client, url, {"role": "boss"}, headers, key="bad")
    assert refused.status_code == 422
    assert post(client, url, {"role": "boss"}, headers, key="bad")["Idempotent-Replayed"] == "true"

    def crash(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("mentora.programs.services.program_enrol", crash)
    crashed = Client(raise_request_exception=False)
    assert post(crashed, url, {"role": "mentee"}, headers, key="retry-me").status_code == 500
    assert not IdempotentRequest.objects.filter(key="retry-me").exists()
    monkeypatch.undo()
    response = post(client, url, {"role": "mentee"}, headers, key="retry-me")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response


@pytest.mark.parametrize("key", ["", "x" * 256, "café", "tab\there"])
def test_a_malformed_key_is_refused_naming_the_header(client, program, alice, key):
    response = post(
        client, f"/api/programs/{program.pk}/enrolments", {"role": "mentee"}, api_headers(alice), key
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "Idempotency-Key"
    assert not Enrolment.objects.exists()


def test_a_wrong_token_is_not_kept_against_the_key(client, program, alice):
    url = f"/api/programs/{program.pk}/enrolments"
    response = post(client, url, {"role": "mentee"}, {"Authorization": "Bearer mnt_wrong"}, key="k")
    assert response.status_code == 401
    assert not IdempotentRequest.objects.exists()


def test_keys_are_forgotten_after_their_retention(client, program, alice, settings):
    settings.IDEMPOTENCY_KEY_HOURS = 24
    headers = api_headers(alice)
    url = f"/api/programs/{program.pk}/enrolments"
    post(client, url, {"role": "mentee"}, headers, key="old")
    IdempotentRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    # Past its retention the key names a new request: here one the rule refuses.
    assert post(client, url, {"role": "mentee"}, headers, key="old").status_code == 409
    IdempotentRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert idempotency_keys_purge() == 1 and not IdempotentRequest.objects.exists()


def test_the_key_is_stored_against_the_token_not_in_clear(client, program, alice):
    headers = api_headers(alice)
    post(client, f"/api/programs/{program.pk}/enrolments", {"role": "mentee"}, headers, key="k1")
    record = IdempotentRequest.objects.get()
    raw = headers["Authorization"].removeprefix("Bearer ")
    assert record.owner == hash_token(raw) and raw not in record.owner


@pytest.mark.postgres_only
@pytest.mark.skipif(not ON_POSTGRES, reason="two real connections race for one key")
@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_requests_with_one_key_one_enrols(program, alice):
    headers = api_headers(alice)
    url = f"/api/programs/{program.pk}/enrolments"
    barrier = threading.Barrier(2)
    statuses = []

    def send():
        try:
            barrier.wait(timeout=30)
            statuses.append(post(Client(), url, {"role": "mentee"}, headers, key="race").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Enrolment.objects.filter(person=alice).count() == 1
    # The loser either saw the claim (409) or, if the winner had answered, its answer again (201).
    assert sorted(statuses) in ([201, 201], [201, 409])


def test_a_claim_whose_request_never_answered_is_taken_again(client, program, alice):
    """The process answering the first request died (a worker killed at its timeout): the claim has no
    answer and would send every retry to a 409 for the whole retention; past any web timeout it is
    dropped and the retry runs."""
    headers = api_headers(alice)
    url = f"/api/programs/{program.pk}/enrolments"
    assert post(client, url, {"role": "mentee"}, headers, key="orphan").status_code == 201
    # As if its worker had been killed before answering: its transaction rolled back, its claim kept.
    Enrolment.objects.filter(person=alice).delete()
    IdempotentRequest.objects.filter(key="orphan").update(
        status=None, body=b"", created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    response = post(client, url, {"role": "mentee"}, headers, key="orphan")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Enrolment.objects.filter(program=program, person=alice).count() == 1


def test_an_answer_carrying_a_secret_is_not_kept(client, olga):
    """A token is shown once and stored hashed: the kept answers must not hold it (or a link that sets
    a password). Such an answer says `Cache-Control: no-store`; its key is dropped and a retry runs."""
    headers = {**api_headers(olga), "Idempotency-Key": "svc-1"}
    expires_at = (timezone.now() + datetime.timedelta(days=30)).isoformat()
    body = {"name": "HR", "scopes": ["people:read"], "expires_at": expires_at}
    created = client.post("/api/service-accounts/", body, content_type="application/json", headers=headers)
    assert created.status_code == 201 and created["Cache-Control"] == "no-store"
    assert not IdempotentRequest.objects.exists()
    minted = client.post(
        "/api/auth/tokens",
        {"name": "cli", "email": olga.email, "password": PASSWORD},
        content_type="application/json",
        headers=headers | {"Idempotency-Key": "token-1"},
    )
    assert minted.status_code == 201 and minted["Cache-Control"] == "no-store"
    scim = client.post("/api/scim/tokens", {"name": "IdP"}, content_type="application/json", headers=headers)
    assert scim.status_code == 201 and scim["Cache-Control"] == "no-store"
    assert not IdempotentRequest.objects.exists()


def test_the_bearer_scheme_is_read_in_any_case(client, program, alice):
    # ninja accepts "bearer" as well as "Bearer"; the retry must not enrol twice under either spelling.
    token = api_headers(alice)["Authorization"].split(" ", 1)[1]
    headers = {"Authorization": f"bearer {token}"}
    url = f"/api/programs/{program.pk}/enrolments"
    first = post(client, url, {"role": "mentee"}, headers, key="enrol-lower")
    again = post(client, url, {"role": "mentee"}, headers, key="enrol-lower")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
