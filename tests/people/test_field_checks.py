"""The HR import and the people services check a field with the same function: a value one refuses,
the other refuses with the same message."""

import pytest
from django.core.exceptions import ValidationError

from mentora.core.roles import viewer_for
from mentora.people.field_checks import offered_level_error, priority_error
from mentora.people.models import MAX_SKILL_LEVEL
from mentora.people.services import person_update, profile_update
from mentora.people.sign_in import email_change_request
from tests.factories import SkillFactory
from tests.people.test_import import csv_text, run


@pytest.mark.parametrize(
    ("column", "cell", "value"),
    [
        ("seniority", "11", 11),
        ("seniority", "0", 0),
        ("time_zone", "Europe/Atlantis", "Europe/Atlantis"),
        ("full_name", "x" * 201, "x" * 201),
        ("job_family", "x" * 121, "x" * 121),
        ("employee_id", "E" * 65, "E" * 65),
    ],
)
def test_import_and_person_update_refuse_a_value_with_the_same_message(org, olga, alice, column, cell, value):
    header = "employee_id,email" if column == "employee_id" else f"employee_id,email,{column}"
    row = f"{cell},a@acme.test" if column == "employee_id" else f"E1,a@acme.test,{cell}"
    imported = run(org, csv_text(header, row))
    assert [(issue.column, issue.line) for issue in imported.errors] == [(column, 2)]

    with pytest.raises(ValidationError) as refused:
        person_update(actor=viewer_for(olga.user), person=alice, **{column: value})
    assert refused.value.message_dict == {column: [imported.errors[0].message]}


@pytest.mark.parametrize("email", ["not-an-email", "a" * 141 + "@acme.test"])
def test_import_and_the_sign_in_email_change_refuse_an_address_with_the_same_message(org, olga, alice, email):
    imported = run(org, csv_text("employee_id,email", f"E1,{email}"))
    assert [issue.column for issue in imported.errors] == ["email"]

    with pytest.raises(ValidationError) as refused:
        email_change_request(actor=viewer_for(olga.user), person=alice, new_email=email)
    assert refused.value.message_dict == {"new_email": [imported.errors[0].message]}


def _profile_with_skills(person, offered, wanted) -> None:
    profile_update(
        person=person,
        job_title=person.job_title,
        department_id=person.department_id,
        manager_id=person.manager_id,
        seniority=person.seniority,
        location=person.location,
        time_zone=person.time_zone,
        languages=[],
        availability_hours_per_month=person.availability_hours_per_month,
        meeting_mode=person.meeting_mode,
        goals="",
        purpose="",
        offered_skills=offered,
        wanted_skills=wanted,
    )


def _accepted(call, *args) -> bool:
    try:
        call(*args)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("value", range(-1, MAX_SKILL_LEVEL + 3))
def test_import_and_the_profile_accept_the_same_skill_levels_and_priorities(org, alice, value):
    """Both read a skill's level (offered) and priority (wanted) with people.field_checks."""
    skill = SkillFactory(organisation=org, name="Python")
    for column, offered, wanted in (
        ("offered_skills", [(skill.pk, value)], []),
        ("wanted_skills", [], [(skill.pk, value)]),
    ):
        cells = csv_text(f"employee_id,email,{column}", f"E1,a@acme.test,Python:{value}")
        imported = run(org, cells, dry_run=True)
        by_profile = _accepted(_profile_with_skills, alice, offered, wanted)
        assert (not imported.errors) == by_profile, (column, value)
        check = offered_level_error if column == "offered_skills" else priority_error
        assert by_profile == (check(value) is None), (column, value)
