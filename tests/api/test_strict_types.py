"""Booleans the API takes are JSON true or false in bodies, and the words true or false in query strings
and forms: 1, 0, "yes" (or "true" in JSON) are invalid input."""

import types
import typing

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pydantic import BaseModel
from pydantic.types import Strict

from mentora.api.schemas import TextBool
from mentora.api_root import api
from tests.factories import api_headers

(TEXT_BOOL,) = typing.get_args(TextBool)[1:]


def _lax_bools(model: type[BaseModel], where: str, seen: set):
    if model in seen:
        return
    seen.add(model)
    for name, field in model.model_fields.items():
        field_strict = _is_strict(field.metadata)
        for annotation, strict in _flatten(field.annotation):
            if annotation is bool and not (strict or field_strict):
                yield f"{where} {model.__name__}.{name}"
            elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
                yield from _lax_bools(annotation, where, seen)


def _is_strict(metadata) -> bool:
    return any((isinstance(meta, Strict) and meta.strict) or meta == TEXT_BOOL for meta in metadata)


def _flatten(annotation, strict: bool = False):
    """Each type inside an annotation (unions, lists, dicts), and whether it is marked strict."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *metadata = typing.get_args(annotation)
        yield from _flatten(inner, strict or _is_strict(metadata))
    elif origin in (typing.Union, types.UnionType, list, dict, tuple):
        for argument in typing.get_args(annotation):
            yield from _flatten(argument, strict)
    else:
        yield annotation, strict


def test_no_input_takes_a_lax_boolean():
    lax = []
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for model in operation.models:
                    if model.__ninja_param_source__ in {"body", "query", "form"}:
                        lax += _lax_bools(model, f"{operation.methods} {path}", set())
    assert lax == []


@pytest.mark.parametrize("value", [1, 0, "yes", "true", None])
def test_a_boolean_that_is_not_true_or_false_is_invalid_input(client, alice, value):
    preferences = {
        "meeting_reminder": value,
        "silent_pair_nudge": True,
        "checkin_reminder": True,
        "relationship_update": True,
    }
    response = client.put(
        "/api/notifications/preferences",
        preferences,
        content_type="application/json",
        headers=api_headers(alice),
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "body.payload.meeting_reminder"


def test_true_and_false_are_taken(client, alice):
    preferences = {
        "meeting_reminder": False,
        "silent_pair_nudge": True,
        "checkin_reminder": True,
        "relationship_update": True,
    }
    response = client.put(
        "/api/notifications/preferences",
        preferences,
        content_type="application/json",
        headers=api_headers(alice),
    )
    assert response.status_code == 200
    assert response.json()["meeting_reminder"] is False


@pytest.mark.parametrize("value", ["yes", "1", "on"])
def test_a_form_boolean_other_than_true_or_false_is_invalid_input(client, pam, value):
    upload = SimpleUploadedFile("people.csv", b"email\n", content_type="text/csv")
    response = client.post("/api/people/import", {"file": upload, "dry_run": value}, headers=api_headers(pam))
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "form.dry_run"
