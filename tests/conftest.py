import pytest

from mentora.organisations.models import Role
from tests.factories import OrganisationFactory, PersonFactory


@pytest.fixture
def org(db):
    return OrganisationFactory(name="Acme", slug="acme")


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="Globex", slug="globex")


@pytest.fixture
def alice(org):
    """A participant."""
    return PersonFactory(organisation=org, full_name="Alice Archer", roles=[Role.PARTICIPANT])


@pytest.fixture
def bob(org):
    """Another participant in Alice's organisation."""
    return PersonFactory(organisation=org, full_name="Bob Baker", roles=[Role.PARTICIPANT])


@pytest.fixture
def pam(org):
    """A program manager."""
    return PersonFactory(organisation=org, full_name="Pam Planner", roles=[Role.PROGRAM_MANAGER])


@pytest.fixture
def charlie(other_org):
    """Someone from another organisation who must see nothing of Acme's."""
    return PersonFactory(organisation=other_org, full_name="Charlie Chaplin", roles=[Role.PROGRAM_MANAGER])
