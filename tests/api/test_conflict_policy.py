"""One conflict-code policy for the whole API: a rule's code answers one status whichever endpoint
raises it (409 for a conflict with the current state, 422 for a fault of the request), decided in the
API's one error handler; every write documents 409; the codes that meant two things were renamed."""

import ast
import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from ninja import NinjaAPI

from mentora.api.errors import install_error_handlers
from mentora.api_root import api
from mentora.core.refusals import REFUSAL_CODES, STATE_CONFLICTS, Refusal, refusal_status
from tests.api.test_errors_documented import DOCS, _calls, _keyword, _modules
from tests.factories import api_headers
from tests.workspace.fixtures import program, relationship  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


def _handler_api() -> NinjaAPI:
    handled = NinjaAPI(urls_namespace="conflict_policy_test")
    install_error_handlers(handled)
    return handled


def test_every_state_conflict_is_a_registered_code():
    assert set(REFUSAL_CODES) >= STATE_CONFLICTS, STATE_CONFLICTS - set(REFUSAL_CODES)


def test_every_refusal_code_answers_exactly_one_status_whoever_raises_it():
    handled = _handler_api()
    request = RequestFactory().post("/api/anything")
    for code in REFUSAL_CODES:
        expected = 409 if code in STATE_CONFLICTS else 422
        assert refusal_status(code) == expected
        # On no field, on a field, and as the one rule of a form's errors: the same status.
        for raised in (Refusal("No.", code=code), Refusal("No.", code=code, field="name")):
            assert handled.on_exception(request, raised).status_code == expected, code


def test_an_unknown_code_has_no_status():
    with pytest.raises(ValueError):
        refusal_status("nonsense")


def test_several_rules_at_once_are_one_422_whatever_their_codes():
    both = ValidationError(
        {"title": [Refusal("Taken.", code="taken")], "body": [Refusal("Write something.", code="empty")]}
    )
    response = _handler_api().on_exception(RequestFactory().post("/"), both)
    assert response.status_code == 422


def test_the_documented_table_gives_each_rule_one_status():
    rows = re.findall(r"^\| `(\w+)` \| (\d{3}) \| ", DOCS.read_text(), re.M)
    statuses: dict[str, set[str]] = {}
    for code, status in rows:
        statuses.setdefault(code, set()).add(status)
    assert set(statuses) == set(REFUSAL_CODES)
    assert {code: {str(refusal_status(code))} for code in REFUSAL_CODES} == statuses


def test_no_endpoint_maps_a_refusal_to_a_status_of_its_own():
    """The error handler is the one place: no per-app `conflicts=` set, no error built by hand with a
    rule's code (which gives the code a second status, as the 429 `locked` of token creation and the
    410 `expired` of an export's download did)."""
    found = []
    for relative, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and any(keyword.arg == "conflicts" for keyword in node.keywords):
                found.append(f"{relative}:{node.lineno} conflicts=")
        for name, position in (("ApiError", 1), ("error_body", 0)):
            for call in _calls(tree, name):
                code = call.args[position] if len(call.args) > position else _keyword(call, "code")
                if isinstance(code, ast.Constant) and code.value in REFUSAL_CODES:
                    found.append(f"{relative}:{call.lineno} {name}({code.value!r})")
    assert found == []


def test_every_write_documents_409():
    """A read documents 409 only where it declares it (an export's download before its file is ready)."""
    document = json.loads(json.dumps(api.get_openapi_schema()))  # as published: statuses are strings
    undocumented = [
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method != "get" and "409" not in operation["responses"]
    ]
    assert undocumented == []


def call(client, person, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json", headers=api_headers(person))


def error(response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


@pytest.mark.django_db
def test_confirming_an_agreement_nobody_wrote_is_409_nothing_agreed(client, relationship, alice):  # noqa: F811
    response = call(client, alice, "post", f"/api/agreements/{relationship.pk}/confirm", {"version": 0})
    assert error(response) == (409, "nothing_agreed")


@pytest.mark.django_db
def test_an_empty_note_is_still_422_empty(client, relationship, alice):  # noqa: F811
    response = call(client, alice, "post", f"/api/pairs/{relationship.pk}/notes", {"body": "  "})
    assert error(response) == (422, "empty")
    assert response.json()["error"]["field"] == "body"
