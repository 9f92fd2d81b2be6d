"""The monthly report page's leaders: an id the database cannot hold is a clear refusal, not a 500."""

import pytest
from django.urls import reverse

from mentora.reports.models import ReportSchedule


@pytest.mark.django_db
@pytest.mark.parametrize("recipient", ["99999999999999999999999", "-99999999999999999999999", "abc", "0"])
def test_an_impossible_leader_id_is_refused_on_the_form(client, pam, program, leo, recipient):
    client.force_login(pam.user)
    url = reverse("reports:schedule", args=[program.pk])
    response = client.post(url, {"recipients": [leo.pk, recipient]})
    assert response.status_code == 422
    assert response.context["form"].errors["recipients"]
    assert not ReportSchedule.objects.filter(program=program).exists()
