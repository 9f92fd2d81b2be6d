"""The advocacy log: the mentor records, the mentee confirms; KPIs; permissions; bad input."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mentora.advocacy import selectors, services
from mentora.advocacy.models import AdvocacyAction
from mentora.agreements.closure import relationship_end_no_fault
from tests.factories import api_headers


def api(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


def record(relationship, person, **overrides):
    fields = {
        "kind": "introduction",
        "occurred_on": timezone.localdate(),
        "description": "Introduced Alice to the CTO.",
    } | overrides
    return services.advocacy_action_create(relationship=relationship, person=person, **fields)


def test_the_mentor_records_and_the_mentee_confirms(relationship, alice, bob):
    action = record(relationship, bob)
    with pytest.raises(PermissionDenied):
        services.advocacy_action_confirm(action=action, person=bob)
    action = services.advocacy_action_confirm(action=action, person=alice)
    assert action.confirmed_at is not None
    # An edit asks the mentee to confirm again.
    action = services.advocacy_action_update(
        action=action,
        person=bob,
        kind="nomination",
        occurred_on=action.occurred_on,
        description="Nominated her.",
    )
    assert action.confirmed_at is None


def test_the_mentee_cannot_record_edit_or_delete(relationship, alice, bob):
    with pytest.raises(PermissionDenied):
        record(relationship, alice)
    action = record(relationship, bob)
    with pytest.raises(PermissionDenied):
        services.advocacy_action_delete(action=action, person=alice)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "bribe"}, "kind"),
        ({"occurred_on": timezone.localdate() + datetime.timedelta(days=1)}, "occurred_on"),
        ({"occurred_on": datetime.date(2000, 1, 1)}, "occurred_on"),
        ({"occurred_on": "2031-13-45"}, "occurred_on"),
        ({"description": "  "}, "description"),
        ({"description": "d" * 2001}, "description"),
    ],
)
def test_bad_input_is_refused(relationship, bob, overrides, field):
    with pytest.raises(ValidationError) as error:
        record(relationship, bob, **overrides)
    assert field in error.value.message_dict
    assert not AdvocacyAction.objects.exists()


def test_the_log_is_read_only_after_the_end(relationship, alice, bob):
    action = record(relationship, bob)
    relationship_end_no_fault(relationship=relationship, person=alice)
    with pytest.raises(ValidationError):
        record(relationship, bob)
    with pytest.raises(ValidationError):
        services.advocacy_action_confirm(action=action, person=alice)


def test_sponsorship_kpis(relationship, other_relationship, alice, bob):
    record(relationship, bob)
    action = record(relationship, bob, kind="stretch_assignment")
    services.advocacy_action_confirm(action=action, person=alice)
    kpis = selectors.sponsorship_kpis(program=relationship.program)
    assert (kpis.pairs, kpis.actions, kpis.confirmed, kpis.mentees_reached) == (2, 2, 1, 1)
    assert kpis.actions_per_pair == 1.0 and kpis.confirmed_share == 0.5 and kpis.reach == 0.5
    assert kpis.by_kind["stretch_assignment"] == 1 and kpis.by_kind["nomination"] == 0


def test_pages_record_confirm_edit_delete(client, relationship, alice, bob):
    client.force_login(bob.user)
    url = reverse("advocacy:log", args=[relationship.pk])
    response = client.post(
        url, {"kind": "public_endorsement", "occurred_on": "2000-02-30", "description": "x"}
    )
    assert response.status_code == 400 and "Enter a valid date" in response.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(
        url,
        {"kind": "public_endorsement", "occurred_on": today, "description": "Praised her talk."},
        follow=True,
    )
    assert "Praised her talk." in response.content.decode()
    action = AdvocacyAction.objects.get()

    client.force_login(alice.user)
    text = client.get(url).content.decode()
    assert "Yes, this happened" in text and "Record a sponsorship action" not in text
    assert (
        client.post(url, {"kind": "introduction", "occurred_on": today, "description": "x"}).status_code
        == 403
    )
    response = client.post(
        reverse("advocacy:confirm", args=[relationship.pk, action.pk]), headers={"HX-Request": "true"}
    )
    assert "Confirmed by the mentee" in response.content.decode() and "<html" not in response.content.decode()
    assert client.get(reverse("advocacy:edit", args=[relationship.pk, action.pk])).status_code == 403

    client.force_login(bob.user)
    edit = reverse("advocacy:edit", args=[relationship.pk, action.pk])
    client.post(edit, {"kind": "nomination", "occurred_on": today, "description": "Nominated."})
    action.refresh_from_db()
    assert (action.kind, action.confirmed_at) == ("nomination", None)
    client.post(reverse("advocacy:delete", args=[relationship.pk, action.pk]))
    assert not AdvocacyAction.objects.exists()


@pytest.mark.parametrize(
    "role", ["program manager", "org admin", "line manager", "another pair's mentee", "other organisation"]
)
def test_nobody_else_reads_or_writes_the_log(client, relationship, outsiders, role, bob):
    action = record(relationship, bob, description="PAIR-ONLY advocacy")
    person = outsiders[role]
    client.force_login(person.user)
    assert client.get(reverse("advocacy:log", args=[relationship.pk])).status_code == 404
    assert client.post(reverse("advocacy:confirm", args=[relationship.pk, action.pk])).status_code == 404
    base = f"/api/advocacy/relationships/{relationship.pk}"
    response = api(client, person, "get", base)
    assert response.status_code == 404 and "PAIR-ONLY" not in response.content.decode()
    assert api(client, person, "post", f"{base}/{action.pk}/confirm").status_code == 404
    assert api(client, person, "delete", f"{base}/{action.pk}").status_code == 404
    assert AdvocacyAction.objects.filter(pk=action.pk, confirmed_at__isnull=True).exists()


def test_an_action_of_another_pair_is_not_found_through_mine(client, relationship, other_relationship, bob):
    theirs = AdvocacyAction.objects.create(
        relationship=other_relationship,
        kind="introduction",
        occurred_on=timezone.localdate(),
        description="x",
    )
    assert (
        api(client, bob, "delete", f"/api/advocacy/relationships/{relationship.pk}/{theirs.pk}").status_code
        == 404
    )


def test_api_crud_confirm_and_kpis(client, relationship, alice, bob, pam, lou):
    base = f"/api/advocacy/relationships/{relationship.pk}"
    today = timezone.localdate().isoformat()
    assert (
        api(
            client, bob, "post", base, {"kind": "nomination", "occurred_on": "31-12-2031", "description": "x"}
        ).status_code
        == 422
    )
    response = api(
        client,
        bob,
        "post",
        base,
        {"kind": "nomination", "occurred_on": today, "description": "Nominated her."},
    )
    assert response.status_code == 201
    action_id = response.json()["id"]
    assert (
        api(
            client, alice, "post", base, {"kind": "nomination", "occurred_on": today, "description": "x"}
        ).status_code
        == 403
    )
    body = api(client, alice, "post", f"{base}/{action_id}/confirm").json()
    assert body["confirmed_at"] is not None
    body = api(
        client,
        bob,
        "put",
        f"{base}/{action_id}",
        {"kind": "introduction", "occurred_on": today, "description": "Intro."},
    ).json()
    assert body["kind"] == "introduction" and body["confirmed_at"] is None
    assert [a["id"] for a in api(client, alice, "get", base).json()["results"]] == [action_id]
    kpis = api(client, pam, "get", f"/api/advocacy/programs/{relationship.program_id}/kpis")
    assert kpis.status_code == 200 and kpis.json()["actions"] == 1
    assert (
        api(client, lou, "get", f"/api/advocacy/programs/{relationship.program_id}/kpis").status_code == 404
    )
    assert api(client, bob, "delete", f"{base}/{action_id}").status_code == 204
