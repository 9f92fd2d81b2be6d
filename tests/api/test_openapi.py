"""The published OpenAPI contract: one component per schema name, and the error answers documented."""

import json

import pytest
from ninja import Router, Schema

from mentora.api.errors import ErrorOut, error_body
from mentora.api.openapi import MentoraAPI, SchemaNameClash
from mentora.api_root import api

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


@pytest.fixture(scope="module")
def contract() -> dict:
    # As published: JSON, where status codes are strings.
    return json.loads(json.dumps(api.get_openapi_schema()))


def _operations(contract: dict):
    for path, methods in contract["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _json_schema(response: dict) -> dict:
    return response["content"]["application/json"]["schema"]


def test_two_different_schemas_with_one_name_fail_the_contract():
    first, second = Router(), Router()

    class ProgramOut(Schema):
        id: int

    @first.get("/a", response=ProgramOut)
    def a(request):
        return {"id": 1}

    class ProgramOut(Schema):  # the clash under test
        name: str

    @second.get("/b", response=ProgramOut)
    def b(request):
        return {"name": "x"}

    clashing = MentoraAPI(urls_namespace="clash-test")
    clashing.add_router("/first", first)
    clashing.add_router("/second", second)

    with pytest.raises(SchemaNameClash, match="ProgramOut"):
        clashing.get_openapi_schema(path_prefix="/")


def test_the_contract_has_no_schema_name_clash(contract):
    assert "HomeProgramOut" in contract["components"]["schemas"]
    assert "ProgramOut" in contract["components"]["schemas"]


def test_responses_reference_their_own_schema(contract):
    schemas = contract["components"]["schemas"]
    program = _json_schema(contract["paths"]["/api/programs/{program_id}"]["get"]["responses"]["200"])
    assert "strategic_objective" in schemas[program["$ref"].rsplit("/", 1)[1]]["properties"]
    home = _json_schema(contract["paths"]["/api/me/home"]["get"]["responses"]["200"])
    my_programs = schemas[home["$ref"].rsplit("/", 1)[1]]["properties"]["my_programs"]["items"]["$ref"]
    assert "may_mentor" in schemas[my_programs.rsplit("/", 1)[1]]["properties"]


def test_every_operation_that_takes_a_token_documents_401_403_and_429_with_the_error_shape(contract):
    for path, method, operation in _operations(contract):
        if "security" not in operation:
            assert "401" not in operation["responses"], (method, path)
            continue
        for status in ("401", "403", "429"):
            assert _json_schema(operation["responses"][status]) == ERROR_REF, (method, path, status)


def test_404_is_documented_wherever_the_path_has_ids(contract):
    for path, method, operation in _operations(contract):
        if "{" in path:
            assert _json_schema(operation["responses"]["404"]) == ERROR_REF, (method, path)
    assert "404" not in contract["paths"]["/api/people/"]["get"]["responses"]
    assert "404" not in contract["paths"]["/api/me/home"]["get"]["responses"]


def test_an_operation_declares_the_statuses_only_it_answers(contract):
    consent = contract["paths"]["/api/relationships/{relationship_id}/consent"]["post"]["responses"]
    assert _json_schema(consent["404"]) == ERROR_REF
    assert _json_schema(consent["409"]) == ERROR_REF
    assert "409" not in contract["paths"]["/api/relationships/"]["get"]["responses"]


def test_422_400_and_413_follow_the_operations_input(contract):
    responses = contract["paths"]["/api/notifications/preferences"]
    for status in ("422", "400", "413"):
        assert status not in responses["get"]["responses"]
        assert _json_schema(responses["put"]["responses"][status]) == ERROR_REF


def test_the_documented_error_shape_is_the_one_the_api_answers(contract):
    ErrorOut.model_validate(error_body("not_found", "Not found."))
    body = contract["components"]["schemas"]["ErrorOut"]
    assert body["required"] == ["error"]
