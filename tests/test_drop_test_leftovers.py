"""`bin/test` drops the `test_<name>_gw<N>` databases an interrupted parallel run left on PostgreSQL,
and nothing else: not another suite's, not one of another shape, not one still in use."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

from tests.concurrency import ON_POSTGRES

SCRIPT = Path(__file__).resolve().parent.parent / "bin" / "drop_test_leftovers.py"

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="the leftovers are PostgreSQL databases")


def _connect(dbname: str) -> psycopg.Connection:
    config = settings.DATABASES["default"]
    return psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
    )


def _databases(admin: psycopg.Connection) -> set[str]:
    return {name for (name,) in admin.execute("SELECT datname FROM pg_database")}


def test_it_drops_only_this_suites_idle_worker_databases():
    config = settings.DATABASES["default"]
    name = f"leftovers{os.getpid()}"  # a suite name of its own: the running suite's copies stay untouched
    leftovers = [f"test_{name}_gw0", f"test_{name}_gw12"]
    in_use = f"test_{name}_gw1"
    others = [f"test_{name}", f"test_{name}_gw1_copy", f"test_{name}x_gw0", f"{name}_gw0"]
    created = [*leftovers, in_use, *others]
    credentials = f"{quote(config['USER'])}:{quote(config['PASSWORD'] or '')}"
    url = f"postgres://{credentials}@{config['HOST']}:{config['PORT']}/{name}"
    with _connect("postgres") as admin:
        try:
            for database in created:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            with _connect(in_use):
                result = subprocess.run(
                    [sys.executable, str(SCRIPT)],
                    env={**os.environ, "DATABASE_URL": url},
                    capture_output=True,
                    text=True,
                    check=False,
                )
            remaining = _databases(admin)
        finally:
            for database in created:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database)))

    assert result.returncode == 0, result.stderr
    assert not remaining & set(leftovers)
    assert {in_use, *others} <= remaining
    assert f"kept {in_use}" in result.stdout
