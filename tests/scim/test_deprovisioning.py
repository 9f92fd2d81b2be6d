"""Deprovisioning: the identity provider deactivates Alice (PATCH active false, or DELETE). She
cannot sign in, her live relationships end without blame and Bob is told neutrally, her private
notes stay (nothing deleted). Reactivating her restores her sign-in, not her relationships."""

import pytest
from django.core import mail
from django.test import Client

from mentora.notes.models import Note
from mentora.notes.services import note_create
from mentora.people.services import person_update
from mentora.relationships.models import RelationshipStatus
from mentora.relationships.services import relationship_create_pending
from tests.factories import PASSWORD, PersonFactory
from tests.programs.factories import EnrolmentFactory
from tests.scim.conftest import scim

PATCH = ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]


def deactivate_okta(client, token, person):
    body = {"schemas": PATCH, "Operations": [{"op": "replace", "value": {"active": False}}]}
    return scim(client, token, "PATCH", f"/Users/{person.pk}", body)


def deactivate_entra(client, token, person):
    body = {"schemas": PATCH, "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}
    return scim(client, token, "PATCH", f"/Users/{person.pk}", body)


def delete(client, token, person):
    return scim(client, token, "DELETE", f"/Users/{person.pk}")


@pytest.mark.parametrize("leave", [deactivate_okta, deactivate_entra, delete])
def test_a_leaver_cannot_sign_in_their_pair_ends_and_their_notes_stay(
    client, token, relationship, alice, bob, leave, immediate_tasks, django_capture_on_commit_callbacks
):
    private = note_create(relationship=relationship, person=alice, visibility="private", body="PRIVATE-NOTE")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = leave(client, token, alice)

    assert response.status_code in (200, 204)
    alice.refresh_from_db()
    alice.user.refresh_from_db()
    assert not alice.is_active and not alice.user.is_active
    assert not Client().login(username=alice.user.username, password=PASSWORD)
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ENDED and relationship.ended_by == alice
    assert Note.objects.filter(pk=private.pk, body="PRIVATE-NOTE").exists()
    to_bob = [message for message in mail.outbox if message.to == [bob.email]]
    assert len(to_bob) == 1
    assert "no longer takes part" in to_bob[0].body and "Nobody is" in to_bob[0].body
    assert "PRIVATE-NOTE" not in to_bob[0].body


def test_a_pairing_waiting_for_consent_is_declined(client, token, program, alice, org):
    mentor = PersonFactory(organisation=org, full_name="Pat Pending")
    EnrolmentFactory(program=program, person=mentor, role="mentor", capacity=2)
    EnrolmentFactory(program=program, person=alice, role="mentee")
    pending = relationship_create_pending(program=program, mentor=mentor, mentee=alice, origin="proposal")

    assert deactivate_entra(client, token, alice).status_code == 200

    pending.refresh_from_db()
    assert pending.status == RelationshipStatus.DECLINED


def test_reactivation_restores_sign_in_not_relationships(client, token, relationship, alice):
    deactivate_okta(client, token, alice)
    body = {"schemas": PATCH, "Operations": [{"op": "Replace", "path": "active", "value": "True"}]}

    assert scim(client, token, "PATCH", f"/Users/{alice.pk}", body).json()["active"] is True

    alice.user.refresh_from_db()
    assert alice.user.is_active
    assert Client().login(username=alice.user.username, password=PASSWORD)
    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ENDED


def test_a_manager_deactivating_someone_ends_their_pairs_the_same_way(relationship, alice, pam):
    """One deactivation path: the people page's leaver sends the same signal as SCIM."""
    from mentora.core.roles import viewer_for

    person_update(actor=viewer_for(pam.user), person=alice, is_active=False)

    relationship.refresh_from_db()
    assert relationship.status == RelationshipStatus.ENDED


def test_the_last_org_admin_is_not_deprovisioned(client, token, olga):
    response = delete(client, token, olga)

    assert response.status_code == 400 and response.json()["scimType"] == "invalidValue"
    olga.refresh_from_db()
    assert olga.is_active


def test_a_failed_ending_rolls_the_deactivation_back(client, token, relationship, alice, monkeypatch):
    from mentora.agreements import closure

    def broken(**kwargs):
        raise RuntimeError("calendar down")

    monkeypatch.setattr(closure, "meetings_cancel_upcoming", broken)
    with pytest.raises(RuntimeError):
        deactivate_okta(client, token, alice)

    alice.refresh_from_db()
    relationship.refresh_from_db()
    assert alice.is_active and relationship.status == RelationshipStatus.ACTIVE
