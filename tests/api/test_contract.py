"""The API keeps its published contract. schemathesis sends generated requests, valid and invalid, to
every operation with a program manager's and a mentee's token over a small organisation; every answer
must be no server error, have a documented status and match the schema documented for that status."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from mentora.api_root import api
from mentora.programs.models import ProgramStatus
from mentora.wsgi import application
from tests.factories import api_headers
from tests.programs.factories import ProgramFactory
from tests.workspace.fixtures import active_relationship

schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
# Bounded and deterministic: a few generated requests per operation, the same ones on every run.
schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.fixture
def organisation(org, pam, alice, bob, python_skill):
    """Pam manages a running program in which Bob mentors Alice."""
    program = ProgramFactory(organisation=org, managers=[pam], status=ProgramStatus.RUNNING)
    relationship = active_relationship(program, bob, alice)
    ids = {"program_id": program.pk, "relationship_id": relationship.pk, "person_id": alice.pk}
    return ids, [api_headers(pam), api_headers(alice)]


@pytest.fixture
def connection_kept_open():
    """Requests go straight to the WSGI application, which closes the database connection after each
    one; inside a test's transaction it must stay open, as Django's test client keeps it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=6, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
def test_every_operation_keeps_its_contract(case, organisation, connection_kept_open):
    ids, callers = organisation
    if case.meta.generation.mode is GenerationMode.POSITIVE:
        # Valid requests reach the seeded program, pair and person, not only 404s.
        case.path_parameters.update({name: ids[name] for name in case.path_parameters if name in ids})
    for headers in callers:
        response = case.call(app=application, headers=headers)
        case.validate_response(
            response, checks=[not_a_server_error, response_schema_conformance, status_code_conformance]
        )
