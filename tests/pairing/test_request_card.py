"""Issue 9 §3.14: the mentor's request card links to what the mentee wants to grow (goals, purpose,
wanted skills: what the request form tells the mentee the mentor will see), for that mentor only and
never the mentee's self-assessment, demographics or seniority."""

import pytest
from django.urls import reverse

from mentora.organisations.models import Role
from mentora.pairing import choose_selectors as selectors
from mentora.pairing import choose_services as services
from tests.factories import PersonFactory
from tests.pairing.choose_setup import PRIVATE_WORDS, cohort


@pytest.fixture(autouse=True)
def fresh_cache():
    selectors.shortlister_cache_clear()
    yield
    selectors.shortlister_cache_clear()


@pytest.fixture
def c(org, alice, pam):
    alice.goals = "Review code with confidence."
    alice.purpose = "Lead a small team."
    alice.seniority = 2
    alice.save()
    return cohort(org, alice, pam)


@pytest.fixture
def request_to_mo(c):
    return services.mentor_request_create(program=c.program, mentee=c.alice, mentor=c.mo, note="Hello")


def test_the_request_form_says_what_the_mentor_will_see(client, c):
    client.force_login(c.alice.user)
    text = client.get(reverse("pairing:choose_mentor", args=[c.program.pk, c.mo.pk])).content.decode()
    assert "<bdi>Mo Mentor</bdi> will see your goals, your purpose and the skills you want to grow" in text


def test_the_mentor_opens_what_the_mentee_wants_to_grow_from_the_request_card(client, c, request_to_mo):
    client.force_login(c.mo.user)
    card = client.get(reverse("pairing:choose_requests", args=[c.program.pk])).content.decode()
    url = reverse("pairing:choose_request_mentee", args=[request_to_mo.pk])
    assert f'<a href="{url}">What <bdi>Alice Archer</bdi> wants to grow: goals and skills</a>' in card
    text = client.get(url).content.decode()
    assert "Review code with confidence." in text and "Lead a small team." in text
    assert "<li><bdi>Python</bdi> — " in text
    for word in PRIVATE_WORDS:
        assert word not in text
    assert "Seniority" not in text


def test_nobody_else_opens_it_and_it_closes_with_the_request(client, org, other_org, c, request_to_mo, bob):
    url = reverse("pairing:choose_request_mentee", args=[request_to_mo.pk])
    globex_admin = PersonFactory(organisation=other_org, roles=[Role.ORG_ADMIN])
    for person in (c.alice, c.mia, c.lou, c.pam, bob, globex_admin):
        client.force_login(person.user)
        assert client.get(url).status_code == 404, person
    client.force_login(c.mo.user)
    assert client.get(reverse("pairing:choose_request_mentee", args=[987654])).status_code == 404
    services.mentor_request_withdraw(request=request_to_mo, mentee=c.alice)
    assert client.get(url).status_code == 404
