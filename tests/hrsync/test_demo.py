"""The demo organisation has an HR file sync configured against the shipped example, with a past run."""

from io import StringIO

import pytest
from django.core.management import call_command

from mentora.hrsync.models import HrSyncRun, HrSyncSource, RunStatus
from mentora.people.models import Person, PersonHrChange


@pytest.mark.django_db
def test_the_demo_has_a_configured_sync_with_a_past_run_and_its_history():
    call_command("demo_org", "--people", "40", "--seed", "7", "--without-programs", stdout=StringIO())
    source = HrSyncSource.objects.get(organisation__slug="demo")
    assert source.enabled and source.kind == "folder"
    run = HrSyncRun.objects.get(organisation__slug="demo")
    assert run.status == RunStatus.DONE, run.people_import.report
    assert run.people_import.report["updated"] == 4
    leaver = Person.objects.get(organisation__slug="demo", employee_id="E00022")
    assert str(leaver.leaving_date) == "2031-06-30" and leaver.is_active
    assert (
        PersonHrChange.objects.filter(
            person__organisation__slug="demo", people_import=run.people_import
        ).count()
        >= 4
    )
