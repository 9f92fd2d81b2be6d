"""People around Program P (Pam manages it; Bob mentors Alice, Mo mentors Dora), for the exports'
tests: every other role, and Charlie of another organisation."""

import pytest

from mentora.organisations.models import Role
from mentora.reports import services
from mentora.reports.models import Export
from tests.factories import PersonFactory
from tests.programs.factories import ProgramFactory
from tests.workspace.fixtures import (  # noqa: F401
    dora,
    other_relationship,
    program,
    relationship,
)


@pytest.fixture
def pia(org):
    """A program manager of another program of Acme."""
    pia = PersonFactory(organisation=org, full_name="Pia Other", roles=[Role.PROGRAM_MANAGER])
    ProgramFactory(organisation=org, managers=[pia], name="Program Q")
    return pia


@pytest.fixture
def everyone_else(pia, olga, alice, bob, lou, leo, charlie):
    """Who must not export Program P's lists, by role (the org admin may: she manages every program)."""
    return {
        "another program's manager": pia,
        "mentee": alice,
        "mentor": bob,
        "line manager": lou,
        "leader": leo,
        "other organisation": charlie,
    }


def viewer(person):
    from mentora.core.roles import viewer_for

    return viewer_for(person.user)


def queued(person, kind: str, file_format: str, about=None) -> Export:
    """Ask for an export as `person` (about a program, for a program's kinds)."""
    return services.export_request(
        viewer=viewer(person), kind=kind, file_format=file_format, program_id=about.pk if about else None
    )


def built(person, kind: str, file_format: str, about=None) -> Export:
    """Ask for an export as `person` and build it as the worker would."""
    export = queued(person, kind, file_format, about)
    services.export_build(export_id=export.pk)
    export.refresh_from_db()
    return export
