"""Every multiple-choice field of ids is a core.forms.IdsChoiceField: an id past 64 bits is the
field's own "Select a valid choice", not an OverflowError in the database's `__in` query (a 500 on
SQLite)."""

import pytest
from django.utils.datastructures import MultiValueDict

from mentora.identity.forms import ProviderForm
from mentora.programs.forms import InviteForm

HUGE = str(2**70)


@pytest.mark.django_db
def test_the_invitation_form_refuses_a_department_id_past_64_bits(org):
    form = InviteForm(MultiValueDict({"departments": [HUGE]}), organisation_id=org.pk)
    assert not form.is_valid()
    assert "departments" in form.errors


@pytest.mark.django_db
def test_the_sign_on_form_refuses_a_break_glass_admin_id_past_64_bits(org):
    form = ProviderForm(MultiValueDict({"break_glass_admins": [HUGE, "-1"]}), organisation_id=org.pk)
    assert not form.is_valid()
    assert "break_glass_admins" in form.errors
