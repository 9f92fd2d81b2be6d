"""The migration that gave relationships their own end date fills it from what was computed before."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("relationships", "0001_initial"), ("agreements", "0001_initial")]
AFTER = [("relationships", "0002_relationship_ends_on")]


@pytest.mark.django_db(transaction=True)
def test_the_backfill_takes_the_latest_extension_or_else_the_programs_end():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Organisation = apps.get_model("organisations", "Organisation")
    Person = apps.get_model("people", "Person")
    User = apps.get_model("auth", "User")
    Program = apps.get_model("programs", "Program")
    Relationship = apps.get_model("relationships", "Relationship")
    Extension = apps.get_model("agreements", "Extension")
    org = Organisation.objects.create(name="Org", slug="org")
    alice, bob, carol = (
        Person.objects.create(
            organisation=org,
            full_name=name,
            email=f"{name}@example.com",
            user=User.objects.create(username=name),
        )
        for name in ("alice", "bob", "carol")
    )
    program = Program.objects.create(
        organisation=org,
        name="P",
        starts_on=datetime.date(2031, 1, 1),
        ends_on=datetime.date(2031, 6, 30),
    )
    extended = Relationship.objects.create(program=program, mentor=bob, mentee=alice, origin="manual")
    plain = Relationship.objects.create(program=program, mentor=bob, mentee=carol, origin="manual")
    for ends_on in (datetime.date(2031, 9, 30), datetime.date(2031, 12, 31)):
        Extension.objects.create(
            relationship=extended, ends_on=ends_on, previous_ends_on=program.ends_on, extended_by=alice
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Relationship = executor.loader.project_state(AFTER).apps.get_model("relationships", "Relationship")
    assert Relationship.objects.get(pk=extended.pk).ends_on == datetime.date(2031, 12, 31)
    assert Relationship.objects.get(pk=plain.pk).ends_on == datetime.date(2031, 6, 30)
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
