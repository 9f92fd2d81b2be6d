"""The reporting line as sets of ids, each read with one recursive query.

UNION (not UNION ALL) makes both queries terminate even if bad data ever holds a cycle.
"""

from django.db import connection

from mentora.people.models import Person


def manager_chain_ids(*, person_id: int) -> set[int]:
    """Everyone above this person: their manager, that manager's manager, and so on."""
    table = connection.ops.quote_name(Person._meta.db_table)
    sql = f"""
        WITH RECURSIVE chain(id) AS (
            SELECT manager_id FROM {table} WHERE id = %s AND manager_id IS NOT NULL
            UNION
            SELECT p.manager_id FROM {table} p JOIN chain c ON p.id = c.id WHERE p.manager_id IS NOT NULL
        )
        SELECT id FROM chain
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_id])
        return {row[0] for row in cursor.fetchall()}


def report_ids(*, manager_id: int) -> set[int]:
    """Everyone below this person in the reporting line, direct and indirect."""
    table = connection.ops.quote_name(Person._meta.db_table)
    sql = f"""
        WITH RECURSIVE below(id) AS (
            SELECT id FROM {table} WHERE manager_id = %s
            UNION
            SELECT p.id FROM {table} p JOIN below b ON p.manager_id = b.id
        )
        SELECT id FROM below
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [manager_id])
        return {row[0] for row in cursor.fetchall()} - {manager_id}
