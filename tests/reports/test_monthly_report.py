"""The monthly program report: a manager chooses leaders; the daily job claims each leader's report
once a month (a second run sends nothing), builds the PDF as that leader's export and mails a link."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from freezegun import freeze_time

from mentora.audit.models import Action, AuditEvent
from mentora.organisations.models import Role
from mentora.reports import services
from mentora.reports.models import Export, ReportDelivery, ReportSchedule
from tests.factories import PersonFactory, api_headers
from tests.reports.conftest import viewer


@pytest.fixture
def lena(org):
    """A second leader."""
    return PersonFactory(organisation=org, full_name="Lena Lead", roles=[Role.LEADER])


@pytest.fixture
def schedule(pam, program, leo, lena):
    return services.report_schedule_set(viewer=viewer(pam), program=program, recipient_ids=[leo.pk, lena.pk])


def test_the_manager_chooses_leaders_on_the_programs_monthly_report_page(
    client, pam, program, leo, lena, alice
):
    client.force_login(pam.user)
    page = client.get(reverse("reports:schedule", args=[program.pk])).content.decode()
    assert "Leo Leader" in page and "Lena Lead" in page and "Alice Archer" not in page

    response = client.post(reverse("reports:schedule", args=[program.pk]), {"recipients": [leo.pk]})

    assert response.status_code == 302
    assert list(ReportSchedule.objects.get(program=program).recipients.all()) == [leo]
    event = AuditEvent.objects.get(action=Action.REPORT_SCHEDULE_CHANGED)
    assert event.details == {"recipient_ids": [leo.pk]} and event.actor_person == pam


def test_only_leaders_of_the_organisation_can_be_chosen(pam, program, alice, charlie, leo):
    for outsider in (alice, charlie):
        with pytest.raises(ValidationError) as refused:
            services.report_schedule_set(
                viewer=viewer(pam), program=program, recipient_ids=[leo.pk, outsider.pk]
            )
        assert refused.value.code == "not_a_leader"


def test_the_api_refuses_a_non_leader_with_its_code(client, pam, program, alice):
    response = client.put(
        f"/api/programs/{program.pk}/monthly-report",
        {"recipient_ids": [alice.pk]},
        content_type="application/json",
        headers=api_headers(pam),
    )

    assert response.status_code == 422 and response.json()["error"]["code"] == "not_a_leader"


def test_nobody_else_reads_or_changes_the_monthly_report(client, everyone_else, program, leo):
    for role, person in everyone_else.items():
        client.force_login(person.user)
        assert client.get(reverse("reports:schedule", args=[program.pk])).status_code == 404, role
        assert (
            client.post(reverse("reports:schedule", args=[program.pk]), {"recipients": [leo.pk]}).status_code
            == 404
        )
        headers = api_headers(person)
        url = f"/api/programs/{program.pk}/monthly-report"
        assert client.get(url, headers=headers).status_code == 404, role
        put = client.put(url, {"recipient_ids": [leo.pk]}, content_type="application/json", headers=headers)
        assert put.status_code == 404, role
    assert not ReportSchedule.objects.exists()


def test_the_daily_job_sends_each_leader_one_link_a_month_however_often_it_runs(
    schedule, program, leo, lena, immediate_tasks, django_capture_on_commit_callbacks
):
    with freeze_time("2031-06-01 06:00"), django_capture_on_commit_callbacks(execute=True):
        assert services.scheduled_reports_send() == {"queued": 2}
    with freeze_time("2031-06-01 06:05"), django_capture_on_commit_callbacks(execute=True):
        assert services.scheduled_reports_send() == {"queued": 0}

    assert sorted(message.to[0] for message in mail.outbox) == sorted([leo.email, lena.email])
    message = next(message for message in mail.outbox if message.to == [leo.email])
    assert program.name in message.subject and "/exports/" in message.body
    exports = Export.objects.filter(kind="program_report", file_format="pdf")
    assert {export.requested_by for export in exports} == {leo, lena}
    assert all(export.status == "done" for export in exports)
    assert all(export.expires_at - export.finished_at == datetime.timedelta(days=7) for export in exports)
    assert AuditEvent.objects.filter(action=Action.REPORT_SENT).count() == 2

    with freeze_time("2031-07-01 06:00"), django_capture_on_commit_callbacks(execute=True):
        assert services.scheduled_reports_send() == {"queued": 2}
    assert ReportDelivery.objects.count() == 4 and len(mail.outbox) == 4


def test_each_leader_downloads_only_their_own_copy(
    client, schedule, leo, lena, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.scheduled_reports_send()
    leos = Export.objects.get(requested_by=leo)
    lenas = Export.objects.get(requested_by=lena)
    client.force_login(leo.user)

    assert client.get(reverse("reports:download", args=[leos.pk])).content.startswith(b"%PDF")
    assert client.get(reverse("reports:download", args=[lenas.pk])).status_code == 404


def test_no_report_is_built_once_its_manager_no_longer_manages_the_program(
    schedule, pam, leo, immediate_tasks, django_capture_on_commit_callbacks
):
    pam.role_memberships.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        services.scheduled_reports_send()

    assert set(Export.objects.values_list("status", "error_code")) == {("failed", "not_allowed")}
    assert mail.outbox == []
