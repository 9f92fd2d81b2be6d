"""Nobody edits someone who outranks them (org admin > program manager > everyone else), and
nobody locks the organisation out of itself."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mentora.core.roles import viewer_for
from mentora.organisations.models import Role
from mentora.people.services import person_update
from tests.factories import PersonFactory, api_headers


def _patch(client, person, actor, payload):
    return client.patch(
        f"/api/people/{person.pk}", payload, content_type="application/json", headers=api_headers(actor)
    )


def test_pam_cannot_deactivate_or_rename_olga(client, pam, olga):
    with pytest.raises(PermissionDenied):
        person_update(actor=viewer_for(pam.user), person=olga, is_active=False)
    with pytest.raises(PermissionDenied):
        person_update(actor=viewer_for(pam.user), person=olga, full_name="Someone Else")

    response = _patch(client, olga, pam, {"is_active": False})

    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    olga.refresh_from_db()
    assert olga.is_active and olga.full_name == "Olga Owner"


def test_pam_sees_no_edit_link_and_no_edit_page_for_olga(client, pam, olga):
    client.force_login(pam.user)
    detail = client.get(reverse("people:detail", args=[olga.pk])).content.decode()
    assert reverse("people:edit", args=[olga.pk]) not in detail
    assert client.get(reverse("people:edit", args=[olga.pk])).status_code == 403
    assert client.post(reverse("people:edit", args=[olga.pk]), {"full_name": "X"}).status_code == 403


def test_pam_edits_a_participant_and_another_program_manager(client, org, pam, alice):
    peer = PersonFactory(organisation=org, full_name="Pat Peer", roles=[Role.PROGRAM_MANAGER])
    assert _patch(client, alice, pam, {"job_title": "Analyst"}).status_code == 200
    assert _patch(client, peer, pam, {"job_title": "HR partner"}).status_code == 200


def test_olga_edits_and_deactivates_pam(client, olga, pam):
    response = _patch(client, pam, olga, {"is_active": False, "roles": ["participant"]})
    assert response.status_code == 200
    pam.refresh_from_db()
    assert not pam.is_active


def test_alice_edits_nobody_not_even_herself_through_the_manager_form(client, alice, bob):
    assert _patch(client, bob, alice, {"job_title": "Boss"}).status_code == 403
    assert _patch(client, alice, alice, {"roles": ["org_admin"]}).status_code == 403


def test_pam_cannot_make_alice_an_org_admin(client, pam, alice):
    response = _patch(client, alice, pam, {"roles": ["participant", "org_admin"]})
    assert response.status_code == 422
    assert not alice.role_memberships.filter(role=Role.ORG_ADMIN).exists()


def test_charlie_of_another_organisation_cannot_even_find_alice(client, charlie, alice):
    assert _patch(client, alice, charlie, {"is_active": False}).status_code == 404
    alice.refresh_from_db()
    assert alice.is_active


def test_nobody_deactivates_themselves(client, pam, olga):
    for person in (pam, olga):
        response = _patch(client, person, person, {"is_active": False})
        assert response.status_code == 422
        person.refresh_from_db()
        assert person.is_active


def test_the_last_active_org_admin_keeps_the_role(client, olga):
    response = _patch(client, olga, olga, {"roles": ["participant"]})
    assert response.status_code == 422
    assert olga.role_memberships.filter(role=Role.ORG_ADMIN).exists()


def test_an_org_admin_deactivates_another_but_not_the_last(org, olga):
    oscar = PersonFactory(organisation=org, full_name="Oscar Owner", roles=[Role.ORG_ADMIN])

    person_update(actor=viewer_for(olga.user), person=oscar, is_active=False)

    # Oscar is gone; an inactive org admin does not count as one who can still run the organisation.
    with pytest.raises(ValidationError) as refused:
        person_update(actor=viewer_for(olga.user), person=olga, roles=[Role.PARTICIPANT])
    assert "roles" in refused.value.message_dict


def test_the_api_refuses_to_change_the_email_directly(client, pam, alice):
    response = _patch(client, alice, pam, {"email": "someone@evil.test"})
    assert response.status_code == 422
    alice.refresh_from_db()
    assert alice.email != "someone@evil.test"


def test_the_edit_form_has_no_email_field(client, pam, alice):
    client.force_login(pam.user)
    response = client.get(reverse("people:edit", args=[alice.pk]))
    assert "email" not in response.context["form"].fields
