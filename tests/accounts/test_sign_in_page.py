"""The sign-in page asks for what people actually sign in with, and every page loads its scripts once
and names its icon."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_sign_in_page_asks_for_the_work_email_not_a_username(client):
    page = client.get(reverse("login")).content.decode()

    assert "Work e-mail" in page
    assert "Username" not in page
    assert 'type="email"' in page and 'autocomplete="email"' in page


@pytest.mark.django_db
def test_alice_signs_in_with_her_email(client, alice):
    alice.user.set_password("a-long-passphrase-1")
    alice.user.save()

    response = client.post(
        reverse("login"), {"login": alice.user.username, "password": "a-long-passphrase-1"}
    )

    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == alice.user


@pytest.mark.django_db
def test_in_debug_django_htmx_is_loaded_once_and_the_favicon_is_named(client, settings):
    settings.DEBUG = True

    page = client.get(reverse("login")).content.decode()

    assert page.count("django-htmx.js") == 1
    assert 'rel="icon"' in page and "favicon.svg" in page
