"""Secure defaults: no published secret key, strict environment flags, the production settings pass
`check --deploy`, and every page carries the security headers."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings

from mentora import settings as project_settings

ROOT = Path(__file__).resolve().parents[2]

# The production environment documented in README "Production settings".
PRODUCTION = {
    "DEBUG": "False",
    "ALLOWED_HOSTS": "mentora.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://mentora.example.org",
    "SITE_URL": "https://mentora.example.org",
    "SECURE_SSL_REDIRECT": "True",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
    "SECURE_HSTS_PRELOAD": "True",
    "SECURE_PROXY_SSL_HEADER": "True",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh interpreter with only the given settings in its environment."""
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    if "DATABASE_URL" in os.environ:
        environment["DATABASE_URL"] = os.environ["DATABASE_URL"]
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_it_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage("check", DEBUG="False", SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_it_refuses_to_start_without_a_secret_key_even_in_debug(tmp_path):
    result = manage("check", DEBUG="True", SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_it_reads_the_secret_key_from_its_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("a-key-of-this-installation-only\n")
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY, settings.DEBUG)",
        SECRET_KEY_FILE=str(key_file),
    )
    assert result.stdout.split()[-2:] == ["a-key-of-this-installation-only", "False"], result.stderr


@pytest.mark.parametrize("value", ["Flase", "maybe", "2"])
def test_it_refuses_an_unknown_value_for_a_flag(value):
    result = manage("check", DEBUG=value, SECRET_KEY="k" * 50)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: DEBUG must be true or false (1/0, yes/no, on/off), not '{value}'" in (
        result.stderr
    )


def test_the_documented_production_settings_pass_check_deploy():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_secure_flags_come_from_the_environment():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)",
        SECRET_KEY=secrets.token_urlsafe(50),
        **PRODUCTION,
    )
    assert result.stdout.strip().splitlines()[-1] == (
        "31536000 True ('HTTP_X_FORWARDED_PROTO', 'https') True True"
    ), result.stderr


def test_a_page_carries_the_security_headers(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert (
        "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_hsts_and_the_https_redirect_follow_the_settings(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    redirect = client.get("/accounts/login/")
    assert redirect.status_code == 301 and redirect["Location"].startswith("https://")
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_pages_have_no_inline_style_or_script(client, alice):
    client.force_login(alice.user)
    page = client.get("/").content.decode()
    assert "<style" not in page and " style=" not in page
    # htmx adds its indicator rules in a <style> element unless its configuration says not to.
    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', page)
    assert config and json.loads(config.group(1))["includeIndicatorStyles"] is False


# A style attribute or element, a script element without src, or an event-handler attribute.
# A <script type="application/json"> is data that no browser runs (the API docs' settings), not a script.
INLINE = re.compile(
    r"\sstyle=|<style\b|<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>|\son[a-z]+=", re.IGNORECASE
)


def test_no_template_has_inline_style_or_script():
    """The Content-Security-Policy refuses inline styles, scripts and event handlers."""
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("mentora/*/templates/**/*.html")]
    assert templates
    offending = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for path in templates
        for match in INLINE.finditer(re.sub(r"{#.*?#}", "", path.read_text()))
    ]
    assert offending == []


def test_collected_static_files_get_hashed_names(tmp_path):
    """Deployed static files are named by their content, so WhiteNoise may let browsers keep them."""
    deployed = project_settings.STORAGES  # as configured, before tests/conftest.py swaps the storage
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=deployed):
        call_command("collectstatic", "--no-input", "-v", "0", "-i", "ninja", "-i", "admin")
        url = staticfiles_storage.url("css/mentora.css")
    assert url.startswith("/static/css/mentora.") and url != "/static/css/mentora.css"
