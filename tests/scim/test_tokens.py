"""SCIM tokens: only an org admin makes, rotates and revokes them, for their own organisation, on
the SCIM page and through the API; the value is shown once and stored hashed."""

import pytest
from django.urls import reverse

from mentora.api.models import hash_token
from mentora.audit.models import AuditEvent
from mentora.core.roles import viewer_for
from mentora.scim.models import ScimToken
from mentora.scim.services import scim_token_create, scim_token_revoke, scim_token_rotate
from tests.factories import PersonFactory, api_headers
from tests.scim.conftest import scim

OTHER_ROLES = ["mentee", "mentor", "line manager", "leader", "program manager", "other organisation's admin"]


@pytest.fixture
def others(relationship, alice, bob, lou, leo, pam, other_org):
    """Everyone but Acme's org admin, by role (Alice is Bob's mentee)."""
    globex_admin = PersonFactory(organisation=other_org, full_name="Gus Globex", roles=["org_admin"])
    return {
        "mentee": alice,
        "mentor": bob,
        "line manager": lou,
        "leader": leo,
        "program manager": pam,
        "other organisation's admin": globex_admin,
    }


# ---- services --------------------------------------------------------------------------------


def test_the_raw_value_is_returned_once_and_only_its_hash_is_kept(olga):
    token, raw = scim_token_create(actor=viewer_for(olga.user), name="Okta")

    assert raw.startswith("scim_") and len(raw) > 40
    stored = ScimToken.objects.get(pk=token.pk)
    assert stored.digest == hash_token(raw) and raw not in str(stored.__dict__)
    assert (stored.organisation_id, stored.created_by) == (olga.organisation_id, olga)
    assert AuditEvent.objects.filter(action="scim.token_changed", details={"change": "created"}).exists()


def test_rotation_replaces_the_value(client, olga):
    viewer = viewer_for(olga.user)
    token, old = scim_token_create(actor=viewer, name="Okta")

    new_token, new = scim_token_rotate(actor=viewer, token_id=token.pk)

    assert new != old and new_token.name == "Okta"
    assert scim(client, old, "GET", "/Users").status_code == 401
    assert scim(client, new, "GET", "/Users").status_code == 200


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "bad\x00name"])
def test_a_bad_name_is_refused(olga, name):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        scim_token_create(actor=viewer_for(olga.user), name=name)
    assert not ScimToken.objects.exists()


def test_another_organisations_token_is_not_found(olga, others):
    globex = viewer_for(others["other organisation's admin"].user)
    token, _raw = scim_token_create(actor=globex, name="Entra")

    with pytest.raises(ScimToken.DoesNotExist):
        scim_token_revoke(actor=viewer_for(olga.user), token_id=token.pk)
    with pytest.raises(ScimToken.DoesNotExist):
        scim_token_rotate(actor=viewer_for(olga.user), token_id=token.pk)
    assert ScimToken.objects.filter(pk=token.pk).exists()


# ---- the page --------------------------------------------------------------------------------


def test_the_org_admin_finds_the_page_in_the_navigation_and_makes_a_token(client, olga):
    client.force_login(olga.user)
    home = client.get(reverse("home")).content.decode()
    assert reverse("scim:tokens") in home

    page = client.get(reverse("scim:tokens"))
    assert page.status_code == 200 and b"/scim/v2/" in page.content
    made = client.post(reverse("scim:tokens"), {"name": "Okta production"})

    token = ScimToken.objects.get()
    raw = made.context["raw"]
    assert token.digest == hash_token(raw) and raw.encode() in made.content
    assert raw.encode() not in client.get(reverse("scim:tokens")).content  # shown once


def test_the_page_rotates_and_revokes(client, olga):
    token, raw = scim_token_create(actor=viewer_for(olga.user), name="Okta")
    client.force_login(olga.user)

    rotated = client.post(reverse("scim:token_rotate", args=[token.pk]))
    assert rotated.status_code == 200 and rotated.context["raw"] != raw
    new = ScimToken.objects.get()
    revoked = client.post(reverse("scim:token_revoke", args=[new.pk]))
    assert revoked.status_code == 302 and not ScimToken.objects.exists()


def test_an_empty_name_on_the_page_says_so(client, olga):
    client.force_login(olga.user)
    response = client.post(reverse("scim:tokens"), {"name": ""})
    assert response.status_code == 200 and response.context["form"].errors
    assert not ScimToken.objects.exists()


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_no_other_role_sees_or_uses_the_page(client, olga, others, role):
    token, _raw = scim_token_create(actor=viewer_for(olga.user), name="Acme-IdP-7")
    person = others[role]
    client.force_login(person.user)

    in_navigation = reverse("scim:tokens") in client.get(reverse("home")).content.decode()
    assert in_navigation == (role == "other organisation's admin")
    if role == "other organisation's admin":
        # Their own page, without Acme's token; Acme's token cannot be touched from it.
        assert b"Acme-IdP-7" not in client.get(reverse("scim:tokens")).content
        assert client.post(reverse("scim:token_revoke", args=[token.pk])).status_code == 404
        assert client.post(reverse("scim:token_rotate", args=[token.pk])).status_code == 404
    else:
        assert client.get(reverse("scim:tokens")).status_code == 403
        assert client.post(reverse("scim:tokens"), {"name": "mine"}).status_code == 403
        assert client.post(reverse("scim:token_revoke", args=[token.pk])).status_code == 403
        assert client.post(reverse("scim:token_rotate", args=[token.pk])).status_code == 403
    assert list(ScimToken.objects.values_list("pk", flat=True)) == [token.pk]


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("scim:tokens"))
    assert response.status_code == 302


def test_the_page_lists_tokens_in_a_fixed_number_of_queries(client, olga, django_assert_max_num_queries):
    viewer = viewer_for(olga.user)
    scim_token_create(actor=viewer, name="one")
    client.force_login(olga.user)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("scim:tokens"))
    for index in range(10):
        scim_token_create(actor=viewer, name=f"more {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("scim:tokens"))


# ---- the API ---------------------------------------------------------------------------------


def test_the_api_makes_lists_rotates_and_revokes(client, olga):
    headers = api_headers(olga)
    made = client.post("/api/scim/tokens", {"name": "Okta"}, content_type="application/json", headers=headers)
    assert made.status_code == 201 and made.json()["token"].startswith("scim_")
    token_id = made.json()["id"]
    listed = client.get("/api/scim/tokens", headers=headers).json()
    assert [row["id"] for row in listed] == [token_id] and "token" not in listed[0]
    rotated = client.post(f"/api/scim/tokens/{token_id}/rotate", headers=headers)
    assert rotated.status_code == 201 and rotated.json()["token"] != made.json()["token"]
    assert client.delete(f"/api/scim/tokens/{rotated.json()['id']}", headers=headers).status_code == 204
    assert not ScimToken.objects.exists()


def test_the_api_refuses_a_bad_name(client, olga):
    headers = api_headers(olga)
    for body in [{"name": ""}, {"name": "x" * 101}, {}, {"name": 5}]:
        response = client.post("/api/scim/tokens", body, content_type="application/json", headers=headers)
        assert response.status_code == 422, body
    assert not ScimToken.objects.exists()


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_the_api_refuses_every_other_role(client, olga, others, role):
    token, _raw = scim_token_create(actor=viewer_for(olga.user), name="Okta")
    headers = api_headers(others[role])
    expected = 404 if role == "other organisation's admin" else 403

    if role != "other organisation's admin":
        assert client.get("/api/scim/tokens", headers=headers).status_code == 403
        made = client.post(
            "/api/scim/tokens", {"name": "x"}, content_type="application/json", headers=headers
        )
        assert made.status_code == 403
    else:
        assert client.get("/api/scim/tokens", headers=headers).json() == []
    assert client.post(f"/api/scim/tokens/{token.pk}/rotate", headers=headers).status_code == expected
    assert client.delete(f"/api/scim/tokens/{token.pk}", headers=headers).status_code == expected
    assert ScimToken.objects.filter(pk=token.pk).exists()
