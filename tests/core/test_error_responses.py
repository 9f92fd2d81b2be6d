"""Errors answer in the right shape with DEBUG off: the API's JSON error body under /api/ (never an HTML
page or a traceback), self-contained pages elsewhere."""

import json

from django.test import Client

from tests.factories import api_headers


def error_of(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = json.loads(response.content)
    assert set(body["error"]) == {"code", "message", "field", "details"}
    return body["error"]


def test_an_unknown_api_path_is_a_json_404(client, alice):
    response = client.get("/api/no-such-thing", headers=api_headers(alice))
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_method_the_api_path_does_not_take_is_a_json_405(client, alice):
    response = client.delete("/api/me/home", headers=api_headers(alice))
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"


def test_a_crash_in_an_endpoint_is_a_json_500_without_a_traceback(alice, monkeypatch, caplog):
    def crash(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("mentora.home.api.home_for", crash)
    response = Client(raise_request_exception=False).get("/api/me/home", headers=api_headers(alice))
    assert response.status_code == 500
    assert error_of(response) == {
        "code": "server_error",
        "message": "Internal Server Error.",
        "field": None,
        "details": [],
    }
    assert b"secret internals" not in response.content
    assert "secret internals" in caplog.text  # logged for the operators


def test_a_json_body_above_the_size_limit_is_a_json_413(client, alice, settings, relationship):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        f"/api/pairs/{relationship.pk}/notes",
        json.dumps({"body": "x" * 2000, "shared": True}),
        content_type="application/json",
        headers=api_headers(alice),
    )
    assert response.status_code == 413
    assert error_of(response) == {
        "code": "too_large",
        "message": "The request body is larger than 1000 bytes.",
        "field": None,
        "details": [],
    }


def test_a_form_above_the_size_limit_is_a_clear_page(client, alice, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(alice.user)
    response = client.post("/accounts/password/", {"old_password": "x" * 2000})
    assert response.status_code == 400
    assert "Request not accepted" in response.content.decode()


def test_an_unknown_page_is_the_html_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "text/html" in response["Content-Type"]
    assert "Not found" in response.content.decode()


def test_a_crash_on_a_page_is_the_standalone_500_page(client, alice, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("mentora.home.views.home_for", crash)
    client = Client(raise_request_exception=False)
    client.force_login(alice.user)
    response = client.get("/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong" in text and "secret internals" not in text


def test_a_form_without_its_csrf_token_gets_a_clear_page_without_inline_style(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "alice"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "Form expired" in text and "<style" not in text
