"""The read replica's router (docs/deploy.md "Read replica").

The replica is configured at start (DATABASE_REPLICA_URL), so these tests run in a pytest of their own
with the replica set to the test database itself (settings give it TEST MIRROR "default": a second
connection to the same rows); `test_the_router_with_a_replica_configured` starts that run.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from mentora.ops.replica import PIN_COOKIE, ReplicaRouter, _replica_reads, _RequestReads
from mentora.people.models import Person

ROOT = Path(__file__).resolve().parents[2]
REPLICA_CONFIGURED = "replica" in settings.DATABASES


@pytest.mark.skipif(REPLICA_CONFIGURED, reason="this is that run")
def test_the_router_with_a_replica_configured(tmp_path):
    environment = {**os.environ, "SECRET_KEY": "k" * 50}
    if "DATABASE_URL" in os.environ:
        # A test database of its own beside the one this run is using.
        environment["DATABASE_URL"] = os.environ["DATABASE_URL"].rstrip("/") + "_replica"
    environment["DATABASE_REPLICA_URL"] = environment.get(
        "DATABASE_URL", f"sqlite:///{tmp_path / 'replica.sqlite3'}"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", __file__, "-p", "no:randomly", "-q", "--nomigrations"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    replica_tests = len(re.findall(r"^@with_replica_test\b", Path(__file__).read_text(), re.MULTILINE))
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert f"{replica_tests} passed, 1 skipped" in result.stdout, result.stdout[-2000:]


def with_replica_test(test):
    skip = pytest.mark.skipif(
        not REPLICA_CONFIGURED,
        reason="runs in the pytest that test_the_router_with_a_replica_configured starts",
    )
    # Committed rows: the replica's connection does not see a test transaction's.
    database = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
    return skip(database(test))


def replica_queries(client, url: str, **kwargs) -> tuple[int, int, object]:
    """Queries the replica and the primary answered while serving a GET of url."""
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(url, **kwargs)
    return len(on_replica), len(on_primary), response


@with_replica_test
def test_a_heavy_read_page_reads_from_the_replica(client, pam):
    client.force_login(pam.user)
    on_replica, on_primary, response = replica_queries(client, "/people/")
    assert response.status_code == 200
    assert pam.full_name in response.content.decode()
    assert on_replica > 0
    # The session and the signed-in person are read by middleware before the page's view starts.
    assert on_primary > 0


@with_replica_test
def test_other_pages_read_from_the_primary(client, pam):
    client.force_login(pam.user)
    on_replica, _, response = replica_queries(client, "/people/me/")
    assert response.status_code == 200
    assert on_replica == 0


@with_replica_test
def test_a_browser_that_has_just_written_reads_from_the_primary(client, pam, settings):
    client.force_login(pam.user)
    response = client.post("/accounts/notifications/", {})
    assert response.cookies[PIN_COOKIE]["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
    assert response.cookies[PIN_COOKIE]["httponly"]
    on_replica, _, response = replica_queries(client, "/people/")
    assert response.status_code == 200
    assert on_replica == 0
    del client.cookies[PIN_COOKIE]
    assert replica_queries(client, "/people/")[0] > 0


@with_replica_test
def test_a_write_sends_the_rest_of_the_request_to_the_primary(pam):
    router = ReplicaRouter()
    token = _replica_reads.set(_RequestReads())
    try:
        assert router.db_for_read(Person) == "replica"
        assert Person.objects.filter(pk=pam.pk).get().full_name == pam.full_name
        Person.objects.filter(pk=pam.pk).update(full_name="Pam Renamed")
        assert router.db_for_read(Person) == "default"
        # Read back from the primary, whatever the replica's lag.
        assert Person.objects.get(pk=pam.pk).full_name == "Pam Renamed"
    finally:
        _replica_reads.reset(token)


@with_replica_test
def test_reads_in_a_transaction_go_to_the_primary():
    router = ReplicaRouter()
    token = _replica_reads.set(_RequestReads())
    try:
        with transaction.atomic():
            assert router.db_for_read(Person) == "default"
        assert router.db_for_read(Person) == "replica"
    finally:
        _replica_reads.reset(token)


@with_replica_test
def test_outside_a_replica_page_every_read_and_write_goes_to_the_primary():
    router = ReplicaRouter()
    assert router.db_for_read(Person) == "default"
    assert router.db_for_write(Person) == "default"
    assert router.allow_migrate("default", "people") and not router.allow_migrate("replica", "people")


@with_replica_test
def test_readiness_does_not_depend_on_the_replica(client, monkeypatch):
    """Without the replica only its pages fail: the web processes stay in the load balancer."""
    monkeypatch.setitem(connections["replica"].settings_dict, "NAME", "/nonexistent-folder/replica.sqlite3")
    monkeypatch.setitem(connections["replica"].settings_dict, "HOST", "127.0.0.1")
    monkeypatch.setitem(connections["replica"].settings_dict, "PORT", "1")
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert "database:replica" not in response.json()["checks"]
