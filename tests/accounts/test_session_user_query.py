"""Each signed-in request loads the account and its person in one query (both backends), and still
refuses a deactivated person or account."""

import pytest

from mentora.accounts.backends import ActivePersonBackend, ActivePersonEmailBackend
from tests.factories import UserFactory

BACKENDS = [ActivePersonBackend, ActivePersonEmailBackend]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_session_user_comes_with_their_person_in_one_query(backend, alice, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = backend().get_user(alice.user.pk)
        assert user.person.full_name == "Alice Archer"


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_account_without_a_person_stays_signed_in(backend, db, django_assert_num_queries):
    account = UserFactory()
    with django_assert_num_queries(1):
        user = backend().get_user(account.pk)
        assert user == account and getattr(user, "person", None) is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_deactivated_person_or_account_or_unknown_id_gets_no_user(backend, alice, bob):
    alice.is_active = False
    alice.save()
    bob.user.is_active = False
    bob.user.save()
    assert backend().get_user(alice.user.pk) is None
    assert backend().get_user(bob.user.pk) is None
    assert backend().get_user(987654) is None
