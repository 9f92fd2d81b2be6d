"""Django admin: every model is there, scoped to the staff member's organisation, and private
data (self-assessments, demographics) is reachable by superusers only."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from mentora.organisations.models import Role
from mentora.people.models import DemographicProfile, SelfAssessment
from tests.factories import (
    DemographicProfileFactory,
    OfferedSkillFactory,
    SelfAssessmentFactory,
    api_headers,
)

SECRET = "ADMIN-SECRET-REFLECTION"


@pytest.fixture
def staff_pam(pam):
    """Pam as a staff user holding every model permission, but not a superuser."""
    pam.user.is_staff = True
    pam.user.save()
    pam.user.user_permissions.set(Permission.objects.all())
    return pam


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "x")


@pytest.fixture
def alice_private(alice, python_skill):
    OfferedSkillFactory(person=alice, skill=python_skill)
    SelfAssessmentFactory(person=alice, reflection=SECRET)
    DemographicProfileFactory(person=alice, gender="ADMIN-SECRET-GENDER")
    return alice


MODELS = [
    "organisations_organisation",
    "organisations_department",
    "organisations_rolemembership",
    "people_person",
    "people_skill",
    "people_skillcategory",
    "people_skillalias",
    "people_language",
    "api_apitoken",
]


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_an_admin_page(client, superuser, model):
    client.force_login(superuser)
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200


def test_staff_see_people_with_their_skills_but_no_private_data(client, staff_pam, alice_private):
    client.force_login(staff_pam.user)
    response = client.get(reverse("admin:people_person_change", args=[alice_private.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Python" in body and 'name="full_name"' not in body  # view only
    assert SECRET not in body and "ADMIN-SECRET-GENDER" not in body


@pytest.mark.parametrize("model", [SelfAssessment, DemographicProfile])
def test_staff_cannot_reach_private_data_in_the_admin(client, staff_pam, alice_private, model):
    client.force_login(staff_pam.user)
    name = model._meta.model_name
    assert client.get(reverse(f"admin:people_{name}_changelist")).status_code == 403
    obj = model.objects.get(person=alice_private)
    assert client.get(reverse(f"admin:people_{name}_change", args=[obj.pk])).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert name not in index.lower().replace(" ", "").replace("-", "")


def test_a_superuser_can_reach_private_data_in_the_admin(client, superuser, alice_private):
    client.force_login(superuser)
    assessment = SelfAssessment.objects.get(person=alice_private)
    body = client.get(reverse("admin:people_selfassessment_change", args=[assessment.pk])).content.decode()
    assert SECRET in body


def test_staff_see_only_their_own_organisation(client, staff_pam, alice, charlie):
    client.force_login(staff_pam.user)
    body = client.get(reverse("admin:people_person_changelist")).content.decode()
    assert "Alice Archer" in body and "Charlie Chaplin" not in body
    assert client.get(reverse("admin:people_person_change", args=[charlie.pk])).status_code == 302
    orgs = client.get(reverse("admin:organisations_organisation_changelist")).content.decode()
    assert "Acme" in orgs and "Globex" not in orgs


# ---- people change in the app, under its account rules, never in the admin ------------------------


def test_staff_holding_every_permission_cannot_change_anyone_in_the_admin(client, staff_pam, alice):
    client.force_login(staff_pam.user)
    change = reverse("admin:people_person_change", args=[alice.pk])
    assert client.post(change, {"full_name": "Renamed", "is_active": ""}).status_code == 403
    alice.refresh_from_db()
    assert alice.full_name == "Alice Archer" and alice.is_active


def test_staff_holding_every_permission_cannot_grant_themselves_a_role_in_the_admin(client, staff_pam):
    client.force_login(staff_pam.user)
    add = reverse("admin:organisations_rolemembership_add")
    assert client.post(add, {"person": staff_pam.pk, "role": Role.ORG_ADMIN}).status_code == 403
    assert not staff_pam.role_memberships.filter(role=Role.ORG_ADMIN).exists()
    membership = staff_pam.role_memberships.get()
    change = reverse("admin:organisations_rolemembership_change", args=[membership.pk])
    assert client.post(change, {"person": staff_pam.pk, "role": Role.ORG_ADMIN}).status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.PROGRAM_MANAGER


def test_a_superuser_cannot_deactivate_someone_in_the_admin(client, superuser, alice):
    headers = api_headers(alice)
    client.force_login(superuser)
    change = reverse("admin:people_person_change", args=[alice.pk])
    form = client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "is_active"}

    assert client.post(change, data).status_code == 403

    alice.refresh_from_db()
    assert alice.is_active and alice.user.is_active
    client.logout()
    assert client.get("/api/people/me/profile", headers=headers).status_code == 200
