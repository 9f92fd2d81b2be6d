"""The HR import and the people services check a field with the same function: a value one refuses,
the other refuses with the same message."""

import pytest
from django.core.exceptions import ValidationError

from mentora.core.roles import viewer_for
from mentora.people.services import person_update
from mentora.people.sign_in import email_change_request
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
