from django.urls import reverse

from mentora.api.models import ApiToken
from tests.factories import api_headers


def test_alice_creates_a_token_sees_it_once_and_uses_it(client, alice):
    client.force_login(alice.user)
    response = client.post(reverse("api_tokens"), {"name": "HR sync"})
    raw = response.context["raw"]
    assert raw.startswith("mnt_") and raw in response.content.decode()
    assert raw not in client.get(reverse("api_tokens")).content.decode()
    client.logout()
    me = client.get("/api/people/me/profile", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200 and me.json()["full_name"] == "Alice Archer"


def test_a_token_without_a_name_is_refused(client, alice):
    client.force_login(alice.user)
    response = client.post(reverse("api_tokens"), {"name": ""})
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_alice_revokes_her_token_and_it_stops_working(client, alice):
    headers = api_headers(alice)
    token = ApiToken.objects.get(user=alice.user)
    client.force_login(alice.user)
    assert client.post(reverse("api_token_delete", args=[token.pk])).status_code == 302
    assert client.get("/api/people/me/profile", headers=headers).status_code == 401


def test_bob_cannot_see_or_revoke_alices_tokens(client, alice, bob):
    api_headers(alice)
    token = ApiToken.objects.get(user=alice.user)
    client.force_login(bob.user)
    assert "tests" not in client.get(reverse("api_tokens")).content.decode()
    assert client.post(reverse("api_token_delete", args=[token.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_the_tokens_page_is_in_the_account_menu(client, alice):
    client.force_login(alice.user)
    assert reverse("api_tokens") in client.get(reverse("home")).content.decode()


def test_a_token_of_a_deactivated_user_is_refused(client, alice):
    headers = api_headers(alice)
    alice.user.is_active = False
    alice.user.save()
    assert client.get("/api/people/me/profile", headers=headers).status_code == 401
