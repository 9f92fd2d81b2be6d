"""Run several calls at the same instant, each in its own thread on its own database connection,
and collect what each one returned or raised: the harness of the PostgreSQL concurrency tests."""

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def postgres_only(reason: str) -> list:
    """The marks of a test that races real connections: PostgreSQL only, committed transactions."""
    return [
        pytest.mark.postgres_only,
        pytest.mark.skipif(not ON_POSTGRES, reason=reason),
        pytest.mark.django_db(transaction=True),
    ]


@dataclass
class Outcomes:
    results: list[Any]  # what the calls that succeeded returned
    refusals: list[ValidationError]
    surprises: list[str]  # anything else raised: the bug these tests hunt for


def run_at_once(calls: Sequence[Callable[[], Any]], *, join_timeout: float = 60) -> Outcomes:
    barrier = threading.Barrier(len(calls))
    outcomes = Outcomes(results=[], refusals=[], surprises=[])
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait(timeout=30)
            result = call()
            with lock:
                outcomes.results.append(result)
        except ValidationError as error:
            with lock:
                outcomes.refusals.append(error)
        except Exception as error:
            with lock:
                outcomes.surprises.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=join_timeout)
    return outcomes
