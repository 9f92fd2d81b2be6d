"""Rows that only services write (people, programs, enrolments, invitations, relationships) are
view only in the Django admin, for superusers too: a raw save there would skip every rule."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from mentora.programs.models import Enrolment, EnrolmentRole, Invitation


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "x")


@pytest.fixture
def service_owned(program, relationship, alice, pam, dora):
    """One row of each service-owned model, keyed by its admin URL name."""
    return {
        "people_person": alice,
        "programs_program": program,
        "programs_enrolment": Enrolment.objects.get(program=program, person=alice, role=EnrolmentRole.MENTEE),
        "programs_invitation": Invitation.objects.create(program=program, person=dora, invited_by=pam),
        "relationships_relationship": relationship,
    }


def _edited_post(client, url) -> tuple[int, dict]:
    """POST back what the change page shows, with every text field changed."""
    page = client.get(url)
    assert page.status_code == 200
    data = {
        name: "CHANGED-BY-ADMIN" if isinstance(value, str) else value
        for name, value in page.context["adminform"].form.initial.items()
        if value is not None
    }
    return client.post(url, data).status_code


def test_a_superuser_views_but_cannot_change_service_owned_rows(client, superuser, service_owned):
    client.force_login(superuser)
    for name, row in service_owned.items():
        assert row is not None, name
        before = model_to_dict(row)
        change = reverse(f"admin:{name}_change", args=[row.pk])

        assert _edited_post(client, change) == 403, name

        row.refresh_from_db()
        assert model_to_dict(row) == before, name
        assert "CHANGED-BY-ADMIN" not in client.get(change).content.decode(), name


def test_a_superuser_cannot_add_or_delete_service_owned_rows(client, superuser, service_owned):
    client.force_login(superuser)
    for name, row in service_owned.items():
        assert client.get(reverse(f"admin:{name}_add")).status_code == 403, name
        assert client.post(reverse(f"admin:{name}_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
        assert type(row).objects.filter(pk=row.pk).exists(), name
        changelist = client.get(reverse(f"admin:{name}_changelist"))
        assert changelist.status_code == 200, name
        assert "delete_selected" not in changelist.content.decode(), name


def test_the_private_end_reason_stays_out_of_the_view_only_relationship_page(client, superuser, relationship):
    relationship.end_reason = "ADMIN-SECRET-REASON"
    relationship.save(update_fields=["end_reason"])
    client.force_login(superuser)
    page = client.get(reverse("admin:relationships_relationship_change", args=[relationship.pk]))
    assert page.status_code == 200 and "ADMIN-SECRET-REASON" not in page.content.decode()
