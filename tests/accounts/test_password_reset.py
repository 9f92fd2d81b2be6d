"""Forgot password: by e-mail, and the answer never tells whether the address has an account (same
page, one e-mail either way; only the address's owner learns which)."""

import re

from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

NEW_PASSWORD = "a-fresh-passphrase-for-alice"


def _ask(client, email):
    return client.post(reverse("account_reset_password"), {"email": email}, follow=True)


def test_known_and_unknown_addresses_get_the_same_page_and_one_mail_each(client, alice):
    known = _ask(client, alice.email)
    unknown = _ask(client, "nobody-here@example.com")

    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert known.templates[0].name == unknown.templates[0].name == "account/password_reset_done.html"
    assert [message.to for message in mail.outbox] == [[alice.email], ["nobody-here@example.com"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "/accounts/password/reset/key/" not in mail.outbox[1].body


def test_alice_resets_her_password_once_with_the_link(client, alice):
    _ask(client, alice.email)
    link = re.search(r"https?://\S+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302
    alice.user.refresh_from_db()
    assert alice.user.check_password(NEW_PASSWORD) and not alice.user.check_password(PASSWORD)
    again = client.get(link, follow=True)
    assert again.context["token_fail"]


def test_a_malformed_address_is_refused_clearly(client):
    response = client.post(reverse("account_reset_password"), {"email": "not an address"})
    assert response.status_code == 200 and response.context["form"].errors["email"]
    assert not mail.outbox


def test_the_sign_in_page_links_to_the_reset(client, db):
    assert reverse("account_reset_password") in client.get(reverse("login")).content.decode()
