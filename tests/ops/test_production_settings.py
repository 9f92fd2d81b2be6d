"""docs/deploy.md "Settings": the documented production environment passes `check --deploy`, and
PRODUCTION=True refuses to start on what a development start takes from defaults."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def documented_environment() -> dict[str, str]:
    """The variables of the first bash block under "## Settings" in docs/deploy.md; the placeholders
    (values holding "…": the key, the database) are left to the test."""
    section = (ROOT / "docs" / "deploy.md").read_text().split("## Settings", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL).group(1)
    environment = {}
    for line in block.splitlines():
        name, _, value = line.split("#", 1)[0].strip().partition("=")
        if name and "…" not in value:
            environment[name] = value
    return environment


PRODUCTION = documented_environment()


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """manage.py in a fresh interpreter with only the given variables (and the test database's URL)."""
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    if "DATABASE_URL" in os.environ and "DATABASE_URL" not in env:
        environment["DATABASE_URL"] = os.environ["DATABASE_URL"]
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def setting(name: str, **env: str) -> str:
    result = manage("shell", "-c", f"from django.conf import settings; print(repr({name}))", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_documented_block_is_the_production_one():
    assert PRODUCTION["PRODUCTION"] == "True"
    assert {
        "ALLOWED_HOSTS",
        "SITE_URL",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
    } <= PRODUCTION.keys()


def test_the_documented_production_settings_pass_check_deploy():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_check_deploy_does_warn_without_them():
    """The test above could not pass by a check that never warns."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS


@pytest.mark.parametrize("missing", ["ALLOWED_HOSTS", "SITE_URL"])
def test_production_refuses_to_start_without(missing):
    environment = {**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50)}
    del environment[missing]
    result = manage("check", **environment)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: PRODUCTION needs {missing} set in the environment" in result.stderr


def test_production_refuses_a_key_it_was_not_given(tmp_path):
    """The key file bin/setup writes for one machine is not used silently: each process of an
    installation must sign with the same key, given to it."""
    result = manage("check", **PRODUCTION)
    assert result.returncode != 0
    assert "ImproperlyConfigured: PRODUCTION needs SECRET_KEY or SECRET_KEY_FILE" in result.stderr
    key_file = tmp_path / "key"
    key_file.write_text(secrets.token_urlsafe(50))
    assert manage("check", SECRET_KEY_FILE=str(key_file), **PRODUCTION).returncode == 0


def test_production_refuses_debug():
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(50), **{**PRODUCTION, "DEBUG": "True"})
    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG must be False when PRODUCTION is True." in result.stderr


def test_production_keeps_database_connections_and_checks_them():
    key = secrets.token_urlsafe(50)
    assert (
        setting(
            "[settings.DATABASES['default'][key] for key in ('CONN_MAX_AGE', 'CONN_HEALTH_CHECKS')]",
            SECRET_KEY=key,
            **PRODUCTION,
        )
        == "[60, True]"
    )
    assert setting("settings.DATABASES['default']['CONN_MAX_AGE']", SECRET_KEY=key) == "0"
    assert (
        setting(
            "settings.DATABASES['default']['CONN_MAX_AGE']",
            SECRET_KEY=key,
            DB_CONN_MAX_AGE="300",
            **PRODUCTION,
        )
        == "300"
    )


def test_a_replica_url_adds_the_replica_and_its_router():
    key = secrets.token_urlsafe(50)
    replica = "postgres://reader:secret@db-replica:5432/mentora"
    shown = setting(
        "(settings.DATABASES['replica']['HOST'], settings.DATABASES['replica']['TEST']['MIRROR'], "
        "settings.DATABASE_ROUTERS)",
        SECRET_KEY=key,
        DATABASE_REPLICA_URL=replica,
    )
    assert shown == "('db-replica', 'default', ['mentora.ops.replica.ReplicaRouter'])"
    assert (
        setting("(sorted(settings.DATABASES), settings.DATABASE_ROUTERS)", SECRET_KEY=key)
        == "(['default'], [])"
    )


def test_cache_url_shares_one_redis_cache_between_the_processes():
    key = secrets.token_urlsafe(50)
    assert setting("settings.CACHES['default']['BACKEND']", SECRET_KEY=key) == (
        "'django.core.cache.backends.locmem.LocMemCache'"
    )
    shown = setting("settings.CACHES['default']", SECRET_KEY=key, CACHE_URL="redis://cache:6379/1")
    assert (
        shown
        == "{'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': 'redis://cache:6379/1'}"
    )


def test_a_cache_url_that_is_not_redis_refuses_to_start():
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(50), CACHE_URL="memcached://cache:11211")
    assert result.returncode != 0
    assert "ImproperlyConfigured: CACHE_URL must be a Redis address" in result.stderr


def test_a_metrics_network_that_is_no_network_stops_the_start():
    # 10.0.0.1/8 has host bits set: found at start, not as a server error at every scrape.
    result = manage("check", SECRET_KEY="k" * 50, METRICS_ALLOWED_IPS="10.0.0.1/8")
    assert result.returncode != 0
    assert "METRICS_ALLOWED_IPS: '10.0.0.1/8'" in result.stderr
    assert manage("check", SECRET_KEY="k" * 50, METRICS_ALLOWED_IPS="10.0.0.0/8,127.0.0.1").returncode == 0
