"""Ids beyond 64 bits are invalid input (422), never a server error: SQLite cannot even hold them."""

import json
import re

import pytest

from mentora.api.schemas import ID_MAX
from mentora.api_root import api
from tests.factories import api_headers

HUGE = "5137534305295126594630929534400069632"
ID_NAME = re.compile(r"^(id|\w+_id|\w+_ids|department|skill)$")


def _bounded(schema: dict, components: dict) -> bool:
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        return all(_bounded(option, components) for option in schema["anyOf"] if option.get("type") != "null")
    if schema.get("type") == "array":
        return _bounded(schema["items"], components)
    return schema.get("type") != "integer" or schema.get("maximum") == ID_MAX


def _input_id_fields(contract: dict):
    components = contract["components"]["schemas"]
    for path, methods in contract["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                if ID_NAME.match(parameter["name"]):
                    yield f"{method} {path} {parameter['name']}", parameter["schema"]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                yield from _body_id_fields(f"{method} {path}", body["schema"], components, seen=set())


def _body_id_fields(where: str, schema: dict, components: dict, *, seen: set):
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return
        seen.add(name)
        schema = components[name]
    for option in schema.get("anyOf", []):
        yield from _body_id_fields(where, option, components, seen=seen)
    if "items" in schema:
        yield from _body_id_fields(where, schema["items"], components, seen=seen)
    for name, field in schema.get("properties", {}).items():
        if ID_NAME.match(name):
            yield f"{where} {name}", field
        yield from _body_id_fields(where, field, components, seen=seen)


def test_every_id_the_api_takes_is_bounded_to_64_bits():
    contract = json.loads(json.dumps(api.get_openapi_schema()))
    components = contract["components"]["schemas"]
    fields = dict(_input_id_fields(contract))
    assert "get /api/people/ skill" in fields
    assert "put /api/people/me/profile skill_id" in fields
    unbounded = [where for where, schema in fields.items() if not _bounded(schema, components)]
    assert unbounded == []


@pytest.mark.parametrize(
    "url",
    [
        f"/api/people/?skill={HUGE}",
        f"/api/people/?department={HUGE}",
        f"/api/people/{HUGE}",
        f"/api/choose/requests?program_id={HUGE}",
        f"/api/matching/runs/{HUGE}",
    ],
)
def test_a_huge_id_in_a_path_or_filter_is_invalid_input(client, pam, url):
    response = client.get(url, headers=api_headers(pam))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_a_huge_id_in_a_body_is_invalid_input(client, alice):
    profile = {"full_name": "Alice Archer", "offered_skills": [{"skill_id": int(HUGE), "level": 3}]}
    response = client.put(
        "/api/people/me/profile", profile, content_type="application/json", headers=api_headers(alice)
    )
    assert response.status_code == 422
    assert "offered_skills" in response.json()["error"]["details"][0]["field"]


@pytest.mark.parametrize("name", ["skill", "department", "seniority", "page"])
def test_the_people_page_ignores_a_huge_filter(client, pam, name):
    client.force_login(pam.user)
    assert client.get(f"/people/?{name}={HUGE}").status_code == 200
