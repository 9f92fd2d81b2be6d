"""My mentoring, consent, decline and the no-fault exit (now in the pair's space): pages, API,
permissions. Pairing by hand is tested in tests/pairing/test_pair_by_hand.py."""

import pytest
from django.urls import reverse

from mentora.programs.models import ProgramStatus
from mentora.relationships import services
from mentora.relationships.models import RelationshipOrigin, RelationshipStatus
from tests.factories import api_headers
from tests.programs.factories import EnrolmentFactory, ProgramFactory

REASON = "PRIVATE-REASON: our schedules never matched"


@pytest.fixture
def program(org, pam):
    return ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.MATCHING, name="Program P")


@pytest.fixture
def pairing(program, alice, bob):
    """Bob mentors Alice; waiting for both to consent."""
    EnrolmentFactory(program=program, person=bob, role="mentor", capacity=1)
    EnrolmentFactory(program=program, person=alice, role="mentee")
    return services.relationship_create_pending(
        program=program, mentor=bob, mentee=alice, origin=RelationshipOrigin.PROPOSAL
    )


def activate(relationship):
    services.relationship_consent(relationship=relationship, person=relationship.mentor)
    return services.relationship_consent(relationship=relationship, person=relationship.mentee)


def api(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


# ---- my mentoring ----------------------------------------------------------------------------


def test_both_sides_consent_from_my_mentoring(client, pairing, alice, bob):
    client.force_login(alice.user)
    text = client.get(reverse("relationships:mine")).content.decode()
    assert "Mentored by <bdi>Bob Baker</bdi>" in text and "I agree" in text
    client.post(reverse("relationships:consent", args=[pairing.pk]))
    assert (
        "You agreed. Waiting for the other person."
        in client.get(reverse("relationships:mine")).content.decode()
    )

    client.force_login(bob.user)
    assert "Mentoring <bdi>Alice Archer</bdi>" in client.get(reverse("relationships:mine")).content.decode()
    response = client.post(reverse("relationships:consent", args=[pairing.pk]), follow=True)
    assert "the relationship has started" in response.content.decode()
    pairing.refresh_from_db()
    assert pairing.status == RelationshipStatus.ACTIVE


def test_declining_with_htmx_returns_the_updated_list(client, pairing, bob):
    client.force_login(bob.user)
    response = client.post(
        reverse("relationships:decline", args=[pairing.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'id="my-relationships"' in response.content.decode()
    assert "<html" not in response.content.decode()
    pairing.refresh_from_db()
    assert pairing.status == RelationshipStatus.DECLINED
    response = client.post(reverse("relationships:consent", args=[pairing.pk]), follow=True)
    assert "no longer waiting for consent" in response.content.decode()


def test_the_no_fault_exit_keeps_the_reason_private(client, pairing, alice, bob, pam):
    activate(pairing)
    client.force_login(alice.user)
    url = reverse("agreements:end", args=[pairing.pk])
    assert url in client.get(reverse("relationships:mine")).content.decode()
    assert "no-fault exit" in client.get(url).content.decode()
    response = client.post(url, {"reason": REASON})
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.status == RelationshipStatus.ENDED and pairing.ended_by == alice
    assert REASON in client.get(reverse("relationships:mine")).content.decode()

    client.force_login(bob.user)
    assert REASON not in client.get(reverse("relationships:mine")).content.decode()
    mine = api(client, bob, "get", "/api/relationships/").json()
    assert mine[0]["status"] == "ended" and mine[0]["end_reason"] is None
    assert REASON in api(client, alice, "get", "/api/relationships/").content.decode()

    client.force_login(pam.user)
    manage = client.get(reverse("programs:manage", args=[pairing.program_id])).content.decode()
    assert REASON in manage and "freed" in manage
    managed = api(client, pam, "get", f"/api/relationships/program/{pairing.program_id}").json()
    assert managed[0]["end_reason"] == REASON


def test_ending_a_pending_pairing_is_refused_gently(client, pairing, alice):
    client.force_login(alice.user)
    response = client.post(reverse("agreements:end", args=[pairing.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Only an active relationship can be ended." in response.content.decode()


def test_the_old_address_of_the_no_fault_exit_leads_to_its_new_one(client, pairing, alice):
    client.force_login(alice.user)
    response = client.get(f"/mentoring/{pairing.pk}/end/")
    assert response.status_code == 301
    assert response["Location"] == reverse("agreements:end", args=[pairing.pk])


@pytest.mark.parametrize("who", ["pam", "charlie", "lou"])
def test_only_the_two_people_act_on_their_relationship(client, pairing, who, request):
    person = request.getfixturevalue(who)
    client.force_login(person.user)
    for name in ("consent", "decline"):
        assert client.post(reverse(f"relationships:{name}", args=[pairing.pk])).status_code == 404
    assert client.post(reverse("agreements:end", args=[pairing.pk])).status_code == 404
    assert client.get(reverse("agreements:end", args=[pairing.pk])).status_code == 404
    assert "Alice Archer" not in client.get(reverse("relationships:mine")).content.decode()
    for name in ("consent", "decline"):
        response = api(client, person, "post", f"/api/relationships/{pairing.pk}/{name}", {})
        assert response.status_code == 404
    assert api(client, person, "post", f"/api/agreements/{pairing.pk}/end", {}).status_code == 404
    pairing.refresh_from_db()
    assert pairing.status == RelationshipStatus.PENDING_CONSENT


def test_my_mentoring_makes_a_constant_number_of_queries(
    client, program, alice, django_assert_max_num_queries
):
    EnrolmentFactory(program=program, person=alice, role="mentor", capacity=20)
    client.force_login(alice.user)

    def add(count):
        for _ in range(count):
            mentee = EnrolmentFactory(program=program).person
            services.relationship_create_pending(
                program=program, mentor=alice, mentee=mentee, origin="manual"
            )

    add(1)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("relationships:mine"))
    add(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("relationships:mine"))
    assert response.content.decode().count("Mentoring ") == 7


def test_the_api_consent_decline_and_end_flow(client, pairing, alice, bob):
    response = api(client, alice, "post", f"/api/relationships/{pairing.pk}/consent", {})
    assert response.json()["my_side"] == "mentee" and response.json()["status"] == "pending_consent"
    response = api(client, bob, "post", f"/api/relationships/{pairing.pk}/consent", {})
    assert response.json()["status"] == "active"
    response = api(client, bob, "post", f"/api/relationships/{pairing.pk}/decline", {})
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_pending"
    response = api(client, bob, "post", f"/api/agreements/{pairing.pk}/end", {"reason": "x" * 2001})
    assert response.status_code == 422
    response = api(client, bob, "post", f"/api/agreements/{pairing.pk}/end", {"reason": "\x00"})
    assert response.status_code == 422
    response = api(client, bob, "post", f"/api/agreements/{pairing.pk}/end", {"reason": REASON})
    assert response.json()["status"] == "ended" and not response.json()["closed"]
    mine = api(client, bob, "get", "/api/relationships/").json()
    assert mine[0]["end_reason"] == REASON
    response = api(client, alice, "post", f"/api/agreements/{pairing.pk}/end", {})
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_active"
