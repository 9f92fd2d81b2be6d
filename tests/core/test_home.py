from django.urls import reverse

from tests.factories import PASSWORD


def test_it_redirects_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_participant_signs_in_and_lands_on_home(client, alice):
    response = client.post(
        reverse("login"), {"username": alice.user.username, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert "Alice Archer" in response.content.decode()


def test_a_wrong_password_is_refused(client, alice):
    response = client.post(reverse("login"), {"username": alice.user.username, "password": "nope"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
