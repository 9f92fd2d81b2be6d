import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import get_resolver

from mentora.organisations.models import Role
from tests.factories import OrganisationFactory, PersonFactory, SkillFactory


@pytest.fixture(autouse=True, scope="session")
def url_configuration_loaded():
    """Import the URLconf (and with it every API schema) before any test freezes time: pydantic
    cannot build a schema from freezegun's stand-in date class."""
    assert get_resolver().url_patterns


@pytest.fixture(autouse=True, scope="session")
def static_files_without_collectstatic():
    """Pages render from the source static files: hashed names (the manifest) are made by collectstatic
    when deploying, and tests/core/test_security_settings.py checks that storage on its own."""
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def sign_in_throttles_off(settings):
    """`client.login` authenticates without a request, which django-axes refuses; the lock-out
    tests turn it back on (tests/accounts). The cache holds the API's wrong-token counters."""
    settings.AXES_ENABLED = False
    cache.clear()


@pytest.fixture(autouse=True)
def hr_sync_folders_in_tmp(settings, tmp_path_factory):
    """The HR file sync's allowed folder (the demo writes its export there) is a temporary one."""
    settings.HR_SYNC_FOLDERS = [str(tmp_path_factory.mktemp("hr-sync"))]


@pytest.fixture
def immediate_tasks(settings):
    """Run enqueued tasks (e-mails from the notifications ledger, among others) at once, in this process."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


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
def olga(org):
    """An org admin."""
    return PersonFactory(organisation=org, full_name="Olga Owner", roles=[Role.ORG_ADMIN])


@pytest.fixture
def lou(org, alice):
    """Alice's line manager."""
    lou = PersonFactory(organisation=org, full_name="Lou Lead", roles=[Role.LINE_MANAGER, Role.PARTICIPANT])
    alice.manager = lou
    alice.save()
    return lou


@pytest.fixture
def leo(org, lou):
    """A leader, Lou's manager: Alice is Leo's indirect report."""
    leo = PersonFactory(organisation=org, full_name="Leo Leader", roles=[Role.LEADER, Role.LINE_MANAGER])
    lou.manager = leo
    lou.save()
    return leo


@pytest.fixture
def charlie(other_org):
    """Someone from another organisation who must see nothing of Acme's."""
    return PersonFactory(organisation=other_org, full_name="Charlie Chaplin", roles=[Role.PROGRAM_MANAGER])


@pytest.fixture
def python_skill(org):
    return SkillFactory(organisation=org, name="Python", slug="python")


@pytest.fixture
def public_speaking(org):
    return SkillFactory(organisation=org, name="Public speaking", slug="public-speaking")


@pytest.fixture
def globex_skill(other_org):
    return SkillFactory(organisation=other_org, name="Globex secret sauce", slug="sauce")
