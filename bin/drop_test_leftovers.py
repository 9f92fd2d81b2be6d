"""Drop the PostgreSQL test databases that an interrupted parallel run left behind.

pytest-xdist gives each worker its own database, `test_<name>_gw<N>` for the database `<name>` of
DATABASE_URL; a worker that is killed never drops its copy. Only databases of exactly that shape
are dropped, and one still in use (a suite running now) is left alone. Run by `bin/test`.
"""

import os
import re

import dj_database_url
import psycopg
from psycopg import sql


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("DATABASE_URL is not a PostgreSQL address: nothing to clean up.")
    config = dj_database_url.parse(url)
    leftover = re.compile(rf"test_{re.escape(config['NAME'])}_gw\d+")
    with psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        names = [name for (name,) in connection.execute("SELECT datname FROM pg_database")]
        for name in sorted(filter(leftover.fullmatch, names)):
            try:
                connection.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
            except psycopg.errors.ObjectInUse:
                print(f"kept {name}: another test run is using it")
            else:
                print(f"dropped the leftover test database {name}")


if __name__ == "__main__":
    main()
