"""The HR history: department, manager, seniority, job title and leaving date changes are kept,
effective-dated, whichever path wrote them (an edit, provisioning, an import), and only when
something changed."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from mentora.core.roles import viewer_for
from mentora.organisations.models import Department
from mentora.people.importing import people_import
from mentora.people.models import HrChangeSource, HrField, Person, PersonHrChange
from mentora.people.services import leavers_deactivate, person_provision_update, person_update
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales(org):
    return Department.objects.create(organisation=org, name="Sales")


@pytest.fixture
def support(org):
    return Department.objects.create(organisation=org, name="Support")


def changes(person) -> list[tuple]:
    return [
        (change.field, change.old_value, change.new_value, change.source)
        for change in PersonHrChange.objects.filter(person=person).order_by("field")
    ]


def test_an_edit_records_each_hr_change_with_its_editor(olga, alice, lou, sales):
    with freeze_time("2026-03-04 10:00"):
        person_update(
            actor=viewer_for(olga.user),
            person=alice,
            department_id=sales.pk,
            seniority=4,
            job_title="Analyst",
            leaving_date=datetime.date(2026, 6, 30),
            full_name="Alice A. Archer",  # not an HR fact: no history
        )
    assert changes(alice) == [
        ("department", "", "Sales", "edit"),
        ("job_title", "", "Analyst", "edit"),
        ("leaving_date", "", "2026-06-30", "edit"),
        ("seniority", "1", "4", "edit"),
    ]
    row = PersonHrChange.objects.get(person=alice, field=HrField.DEPARTMENT)
    assert (row.actor, row.new_ref, row.effective_date) == (olga, sales.pk, datetime.date(2026, 3, 4))


def test_a_manager_change_names_both_managers_and_keeps_their_ids(olga, alice, lou, leo):
    person_update(actor=viewer_for(olga.user), person=alice, manager_id=leo.pk)
    row = PersonHrChange.objects.get(person=alice)
    assert (row.field, row.old_ref, row.new_ref) == (HrField.MANAGER, lou.pk, leo.pk)
    assert row.old_value.startswith("Lou Lead (") and row.new_value.startswith("Leo Leader (")


def test_nothing_is_recorded_when_nothing_changed(olga, alice, sales):
    person_update(actor=viewer_for(olga.user), person=alice, department_id=sales.pk)
    person_update(
        actor=viewer_for(olga.user), person=alice, department_id=sales.pk, seniority=alice.seniority
    )
    assert PersonHrChange.objects.filter(person=alice).count() == 1


def test_provisioning_records_its_changes_without_an_actor(alice, support):
    person_provision_update(person=alice, department_id=support.pk, job_title="Agent")
    assert {(c.field, c.source, c.actor_id) for c in PersonHrChange.objects.filter(person=alice)} == {
        (HrField.DEPARTMENT, HrChangeSource.PROVISIONING, None),
        (HrField.JOB_TITLE, HrChangeSource.PROVISIONING, None),
    }


def test_a_refused_edit_records_nothing(olga, alice):
    with pytest.raises(ValidationError):
        person_update(actor=viewer_for(olga.user), person=alice, seniority=99)
    assert not PersonHrChange.objects.exists()


def import_csv(org, text: str, **kwargs):
    return people_import(organisation=org, file=io.BytesIO(text.encode()), filename="hr.csv", **kwargs)


def test_an_import_records_changes_effective_on_the_file_s_date(org, pam, alice, bob, lou, sales):
    alice.employee_id, bob.employee_id = "A1", "B1"
    Person.objects.bulk_update([alice, bob], ["employee_id"])
    text = (
        "employee_id,email,department,manager,seniority,job_title,leaving_date,effective_date\n"
        f"A1,{alice.email},Sales,{bob.email},3,Lead,,2026-02-01\n"
        f"B1,{bob.email},,,1,,2026-09-30,\n"
    )
    with freeze_time("2026-03-04 10:00"):
        report = import_csv(org, text, importer=pam, people_import_id=None)
    assert report.ok and report.updated == 2, report.errors
    assert changes(alice) == [
        ("department", "", "Sales", "import"),
        ("job_title", "", "Lead", "import"),
        ("manager", alice_manager_text(lou), bob_text(bob), "import"),
        ("seniority", "1", "3", "import"),
    ]
    assert {c.effective_date for c in PersonHrChange.objects.filter(person=alice)} == {
        datetime.date(2026, 2, 1)
    }
    assert changes(bob) == [("leaving_date", "", "2026-09-30", "import")]
    assert PersonHrChange.objects.get(person=bob).effective_date == datetime.date(2026, 3, 4)
    assert {c.actor_id for c in PersonHrChange.objects.all()} == {pam.pk}

    again = import_csv(org, text, importer=pam)
    assert again.ok and again.unchanged == 2
    assert PersonHrChange.objects.count() == 5


def alice_manager_text(lou) -> str:
    return f"{lou.full_name} ({lou.employee_id})"


def bob_text(bob) -> str:
    return "Bob Baker (B1)"


def test_an_import_refuses_a_malformed_date_and_writes_nothing(org, alice):
    text = (
        f"employee_id,email,leaving_date,effective_date\n{alice.employee_id},{alice.email},31/12/2026,soon\n"
    )
    report = import_csv(org, text)
    assert [(issue.line, issue.column) for issue in report.errors] == [
        (2, "leaving_date"),
        (2, "effective_date"),
    ]
    alice.refresh_from_db()
    assert alice.leaving_date is None and not PersonHrChange.objects.exists()


def test_people_are_deactivated_once_their_leaving_date_has_come(org, olga, alice, bob):
    alice.leaving_date = datetime.date(2026, 3, 4)
    bob.leaving_date = datetime.date(2026, 3, 5)
    Person.objects.bulk_update([alice, bob], ["leaving_date"])
    assert leavers_deactivate(today=datetime.date(2026, 3, 4)) == {"deactivated": 1, "refused": 0}
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert not alice.is_active and bob.is_active
    assert leavers_deactivate(today=datetime.date(2026, 3, 4)) == {"deactivated": 0, "refused": 0}


def test_the_last_org_admin_leaving_stays_active_until_another_is_appointed(org, olga):
    olga.leaving_date = datetime.date(2026, 3, 1)
    olga.save()
    assert leavers_deactivate(today=datetime.date(2026, 3, 4)) == {"deactivated": 0, "refused": 1}
    PersonFactory(organisation=org, roles=["org_admin"])
    assert leavers_deactivate(today=datetime.date(2026, 3, 4)) == {"deactivated": 1, "refused": 0}
