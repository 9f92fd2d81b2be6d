"""Activation: people imported, invited or provisioned have no password; an org admin (and nobody
else) sends them single-use, expiring links to choose one, in a background round that reports the
count sent."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from mentora.accounts import services
from mentora.accounts.activation import activation_token, activation_user
from mentora.accounts.models import ActivationRound, ActivationRoundStatus
from mentora.core.roles import viewer_for
from mentora.organisations.models import Role
from tests.factories import PersonFactory, api_headers

NEW_PASSWORD = "a-brand-new-passphrase-7"


@pytest.fixture
def newcomer(org):
    """Imported: an account without a usable password, never signed in."""
    person = PersonFactory(organisation=org, full_name="Nina Newcomer", roles=[Role.PARTICIPANT])
    person.user.set_unusable_password()
    person.user.save()
    return person


@pytest.fixture
def sent(django_capture_on_commit_callbacks, immediate_tasks):
    """Run what a request enqueues on commit (the round's task), at once."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def _link(message) -> str:
    return re.search(r"https?://\S+/accounts/activate/\S+/", message.body).group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def _sign_in(client, person, password):
    return client.post(reverse("login"), {"login": person.email, "password": password})


def test_olga_sends_nina_activation_and_nina_sets_a_password_and_signs_in(client, sent, olga, newcomer):
    activation = sent(services.activation_round_start, actor=viewer_for(olga.user), person_ids=[newcomer.pk])

    activation.refresh_from_db()
    assert activation.status == ActivationRoundStatus.DONE and activation.sent == 1
    assert [message.to for message in mail.outbox] == [[newcomer.email]]
    path = _path(_link(mail.outbox[0]))
    assert client.get(path).status_code == 200
    response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("login")
    assert _sign_in(client, newcomer, NEW_PASSWORD).status_code == 302
    assert EmailAddress.objects.get(user=newcomer.user).verified


def test_the_link_works_once(client, newcomer):
    path = reverse("accounts:activate", args=[activation_token(user=newcomer.user)])
    client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.post(
        path, {"new_password1": "another-passphrase-99", "new_password2": "another-passphrase-99"}
    )

    assert again.status_code == 400 and "already used" in again.content.decode()
    newcomer.user.refresh_from_db()
    assert newcomer.user.check_password(NEW_PASSWORD)


def test_the_link_expires(client, newcomer, settings):
    token = activation_token(user=newcomer.user)
    with freeze_time(timezone.now() + timedelta(days=settings.ACCOUNT_ACTIVATION_DAYS, hours=1)):
        response = client.get(reverse("accounts:activate", args=[token]))
    assert response.status_code == 400 and "expired" in response.content.decode()


@pytest.mark.parametrize("token", ["nonsense", "a" * 300, "eyJ1IjoxfQ:forged:sig"])
def test_an_altered_link_is_refused_clearly(client, newcomer, token):
    response = client.get(reverse("accounts:activate", args=[token]))
    assert response.status_code == 400 and "not valid" in response.content.decode()


def test_a_weak_password_is_refused_and_the_link_still_works(client, newcomer):
    path = reverse("accounts:activate", args=[activation_token(user=newcomer.user)])

    response = client.post(path, {"new_password1": "12345678", "new_password2": "12345678"})

    assert response.status_code == 200 and response.context["form"].errors
    assert client.get(path).status_code == 200
    newcomer.user.refresh_from_db()
    assert not newcomer.user.has_usable_password()


def test_a_deactivated_person_cannot_activate(newcomer):
    token = activation_token(user=newcomer.user)
    newcomer.is_active = False
    newcomer.save()
    with pytest.raises(ValidationError):
        activation_user(token=token)


def test_never_signed_in_picks_only_those_of_olgas_organisation(sent, olga, newcomer, alice, charlie):
    alice.user.last_login = timezone.now()
    alice.user.save()
    olga.user.last_login = timezone.now()
    olga.user.save()

    activation = sent(services.activation_round_start, actor=viewer_for(olga.user), never_signed_in=True)

    assert set(activation.people.all()) == {newcomer}
    assert [message.to for message in mail.outbox] == [[newcomer.email]]


def test_a_round_runs_once(olga, newcomer):
    activation = services.activation_round_start(actor=viewer_for(olga.user), person_ids=[newcomer.pk])
    assert services.activation_round_run(round_id=activation.pk) is not None
    assert services.activation_round_run(round_id=activation.pk) is None
    assert len(mail.outbox) == 1


def test_someone_of_another_organisation_is_refused_and_nothing_is_sent(sent, olga, charlie, newcomer):
    with pytest.raises(ValidationError) as refusal:
        sent(
            services.activation_round_start, actor=viewer_for(olga.user), person_ids=[newcomer.pk, charlie.pk]
        )
    assert "of your organisation" in str(refusal.value)
    assert not ActivationRound.objects.exists() and not mail.outbox


def test_an_empty_choice_is_refused(olga):
    with pytest.raises(ValidationError):
        services.activation_round_start(actor=viewer_for(olga.user), person_ids=[])


@pytest.mark.parametrize("who", ["alice", "pam", "lou", "leo", "charlie"])
def test_nobody_but_an_org_admin_sends_activation(request, who, newcomer):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.activation_round_start(actor=viewer_for(person.user), person_ids=[newcomer.pk])
    client = Client()
    client.force_login(person.user)
    assert client.get(reverse("accounts:activation")).status_code == 403
    assert client.post(reverse("accounts:activation"), {"people": [newcomer.pk]}).status_code == 403
    headers = api_headers(person)
    assert (
        client.post(
            "/api/accounts/activation",
            {"person_ids": [newcomer.pk]},
            content_type="application/json",
            headers=headers,
        ).status_code
        == 403
    )
    assert not mail.outbox


def test_gina_of_globex_cannot_send_to_acmes_people(other_org, newcomer, sent):
    gina = PersonFactory(organisation=other_org, roles=[Role.ORG_ADMIN])
    client = Client()
    response = sent(
        client.post,
        "/api/accounts/activation",
        {"person_ids": [newcomer.pk]},
        content_type="application/json",
        headers=api_headers(gina),
    )
    assert response.status_code == 422 and not mail.outbox


def test_olga_sends_from_the_page_and_sees_the_count(client, sent, olga, newcomer, alice):
    client.force_login(olga.user)
    page = client.get(reverse("accounts:activation"))
    assert page.status_code == 200 and "Nina Newcomer" in page.content.decode()

    response = sent(client.post, reverse("accounts:activation"), {"people": [newcomer.pk, alice.pk]})

    assert response.status_code == 302
    rounds = client.get(response.url).context["rounds"]
    assert [(row.people_count, row.sent) for row in rounds] == [(2, 2)]
    assert len(mail.outbox) == 2


def test_the_page_shows_a_clear_error_for_an_empty_choice(client, olga):
    client.force_login(olga.user)
    response = client.post(reverse("accounts:activation"), {})
    assert response.status_code == 200 and "Choose at least one person" in response.content.decode()


def test_the_page_and_its_rounds_cost_a_fixed_number_of_queries(client, olga, django_assert_max_num_queries):
    for _ in range(3):
        extra = PersonFactory(organisation=olga.organisation)
        services.activation_round_start(actor=viewer_for(olga.user), person_ids=[extra.pk])
    client.force_login(olga.user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("accounts:activation")).status_code == 200


def test_the_api_starts_a_round_and_reports_the_count(client, sent, olga, newcomer):
    headers = api_headers(olga)
    response = sent(
        client.post,
        "/api/accounts/activation",
        {"person_ids": [newcomer.pk]},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 202
    body = response.json()
    assert body["people"] == 1 and body["status"] == "queued"
    again = client.get(f"/api/accounts/activation/{body['id']}", headers=headers).json()
    assert again["status"] == "done" and again["sent"] == 1


def test_the_api_refuses_bad_input_clearly(client, olga):
    headers = api_headers(olga)
    bad = client.post(
        "/api/accounts/activation", {"person_ids": ["x"]}, content_type="application/json", headers=headers
    )
    empty = client.post("/api/accounts/activation", {}, content_type="application/json", headers=headers)
    assert bad.status_code == 422 and empty.status_code == 422
    assert empty.json()["error"]["message"]
