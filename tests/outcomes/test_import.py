"""The outcome events import: all or nothing, every bad row named with its column and why, only org
admins, only their own organisation's people."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mentora.audit.models import Action, AuditEvent
from mentora.outcomes.models import EventKind, LeavingReason, OutcomeEvent
from tests.factories import PersonFactory, api_headers

GOOD = (
    "person,type,date,leaving_reason,performance_band\n"
    "{alice},left,2026-03-31,voluntary,\n"
    "{bob_email},promoted,2026-02-01,,\n"
    "{bob_email},performance,2026-01-15,,Exceeds\n"
)


def _file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("events.csv", text.encode(), content_type="text/csv")


def _good(alice, bob) -> str:
    return GOOD.format(alice=alice.employee_id, bob_email=bob.email.upper())


def test_an_org_admin_imports_events(client, olga, alice, bob):
    client.force_login(olga.user)

    response = client.post("/outcomes/events/import/", {"file": _file(_good(alice, bob))})

    assert response.status_code == 200
    assert 'data-count="created">3 events added' in response.content.decode()
    left = OutcomeEvent.objects.get(person=alice)
    assert (left.kind, left.leaving_reason, left.imported_by) == (
        EventKind.LEFT,
        LeavingReason.VOLUNTARY,
        olga,
    )
    assert OutcomeEvent.objects.get(person=bob, kind=EventKind.PERFORMANCE).performance_band == "Exceeds"
    assert AuditEvent.objects.filter(action=Action.OUTCOME_EVENTS_IMPORTED, details__created=3).exists()


def test_importing_the_same_file_again_changes_nothing(client, olga, alice, bob):
    client.force_login(olga.user)
    client.post("/outcomes/events/import/", {"file": _file(_good(alice, bob))})

    response = client.post("/outcomes/events/import/", {"file": _file(_good(alice, bob))})

    assert 'data-count="unchanged">3 events were already there' in response.content.decode()
    assert OutcomeEvent.objects.count() == 3


def test_a_bad_row_anywhere_writes_nothing_and_each_problem_is_named(client, olga, alice, bob, charlie):
    text = (
        "person,type,date,leaving_reason,performance_band\n"
        f"{alice.employee_id},left,2026-03-31,voluntary,\n"  # fine, but not written
        f"{charlie.email},left,2026-03-31,,\n"  # another organisation's person
        f"{bob.employee_id},promoted,31/03/2026,,\n"
        f"{bob.employee_id},promoted,2026-03-01,voluntary,\n"
        f"{bob.employee_id},fired,2026-03-01,,\n"
        f"{bob.employee_id},performance,2026-03-01,,\n"
        f"{alice.employee_id},left,2026-03-31,,\n"
        f"{alice.employee_id},left,2999-01-01,,\n"
    )
    client.force_login(olga.user)

    response = client.post("/outcomes/events/import/", {"file": _file(text)})

    assert response.status_code == 400
    assert OutcomeEvent.objects.count() == 0
    rows = response.context["report"].problems
    assert [(p.line, p.column) for p in rows] == [
        (3, "person"),
        (4, "date"),
        (5, "leaving_reason"),
        (6, "type"),
        (7, "performance_band"),
        (8, "date"),
        (9, "date"),
    ]
    assert rows[0].value == charlie.email
    assert "row 2" in rows[5].message  # the same event twice
    assert "Nothing was imported" in response.content.decode()


def test_a_missing_or_unknown_column_is_named_on_the_header(client, olga):
    client.force_login(olga.user)

    response = client.post(
        "/outcomes/events/import/", {"file": _file("person,kind,date\nE1,left,2026-01-01\n")}
    )

    problems = [(p.line, p.column) for p in response.context["report"].problems]
    assert problems == [(1, "type"), (1, "kind")]


def test_an_empty_file_is_refused(client, olga):
    client.force_login(olga.user)

    response = client.post("/outcomes/events/import/", {"file": _file("person,type,date\n")})

    assert response.status_code == 400
    assert response.context["report"].problems[0].message == "The file has no events."


@pytest.mark.parametrize("who", ["pam", "alice", "lou", "leo", "charlie"])
def test_only_org_admins_import_events(client, request, who, alice, bob):
    person = request.getfixturevalue(who)
    client.force_login(person.user)

    assert client.get("/outcomes/events/import/").status_code == 403
    assert client.post("/outcomes/events/import/", {"file": _file(_good(alice, bob))}).status_code == 403
    assert OutcomeEvent.objects.count() == 0


def test_the_api_imports_and_refuses_like_the_page(client, olga, alice, bob):
    headers = api_headers(olga)

    refused = client.post(
        "/api/outcomes/events/import",
        {"file": _file("person,type,date\nnobody@example.com,left,2026-01-01\n")},
        headers=headers,
    )
    written = client.post("/api/outcomes/events/import", {"file": _file(_good(alice, bob))}, headers=headers)

    assert refused.status_code == 422
    assert refused.json()["problems"] == [
        {
            "row": 2,
            "column": "person",
            "value": "nobody@example.com",
            "message": "No person of your organisation has this employee id or e-mail.",
        }
    ]
    assert written.status_code == 200
    assert written.json() == {"written": True, "created": 3, "unchanged": 0, "problems": []}


@pytest.mark.parametrize("who", ["pam", "alice", "charlie"])
def test_the_api_refuses_everyone_but_org_admins(client, request, who, alice, bob):
    response = client.post(
        "/api/outcomes/events/import",
        {"file": _file(_good(alice, bob))},
        headers=api_headers(request.getfixturevalue(who)),
    )

    assert response.status_code == 403
    assert OutcomeEvent.objects.count() == 0


def test_a_person_without_employee_id_is_found_by_e_mail(client, olga, org):
    nobody_id = PersonFactory(organisation=org, employee_id="", full_name="Ed Email")
    client.force_login(olga.user)

    client.post(
        "/outcomes/events/import/", {"file": _file(f"person,type,date\n{nobody_id.email},moved,2026-01-01\n")}
    )

    assert OutcomeEvent.objects.get().person == nobody_id
