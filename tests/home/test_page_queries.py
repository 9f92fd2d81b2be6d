"""The home page's database work: the same number of queries however big the organisation is
(bench/load.py and docs/performance.md measure it at 5,000 people)."""

from django.core.cache import cache
from django.urls import reverse

from mentora.organisations.models import Role
from mentora.people import selectors
from mentora.people.models import SelfAssessment
from tests.factories import LanguageFactory, OfferedSkillFactory, PersonFactory, WantedSkillFactory

RELATED_ITEMS = ["Languages", "Skills you can offer", "Skills you want to grow", "Private self-assessment"]


def related_items_done(person) -> dict[str, bool]:
    items = selectors.profile_completeness(person=person).items
    return {item.label: item.done for item in items if item.label in RELATED_ITEMS}


def test_completeness_sees_each_related_row_of_the_person_only(org, alice, bob, python_skill):
    OfferedSkillFactory(person=bob, skill=python_skill)
    WantedSkillFactory(person=bob, skill=python_skill)
    SelfAssessment.objects.create(person=bob)
    bob.languages.add(LanguageFactory())
    assert related_items_done(alice) == dict.fromkeys(RELATED_ITEMS, False)

    alice.languages.add(LanguageFactory())
    WantedSkillFactory(person=alice, skill=python_skill)
    assert related_items_done(alice) == {
        "Languages": True,
        "Skills you can offer": False,
        "Skills you want to grow": True,
        "Private self-assessment": False,
    }

    OfferedSkillFactory(person=alice, skill=python_skill)
    SelfAssessment.objects.create(person=alice)
    assert related_items_done(alice) == dict.fromkeys(RELATED_ITEMS, True)


def test_the_overview_counts_active_people_offering_a_skill_as_mentors(org, python_skill):
    OfferedSkillFactory(person=PersonFactory(organisation=org), skill=python_skill)
    OfferedSkillFactory(person=PersonFactory(organisation=org, is_active=False), skill=python_skill)
    PersonFactory(organisation=org)

    overview = selectors.organisation_overview(organisation_id=org.pk)

    assert (overview.people, overview.active_people, overview.mentors) == (3, 2, 1)


def people_with_skills(org, python_skill, count: int) -> None:
    for _ in range(count):
        person = PersonFactory(organisation=org, roles=[Role.PARTICIPANT])
        OfferedSkillFactory(person=person, skill=python_skill)
        WantedSkillFactory(person=person, skill=python_skill)


# A program manager who also takes part, like the demo's: session, user with person, roles, the
# participant's panels, profile completeness (one query, was four), the organisation figures' version
# (the overview and department headcounts, six queries, come from the cache) and the managed programs.
MANAGER_HOME_QUERIES = 16
# The same when the figures are not cached yet: the version, then the five of the overview and the
# department headcounts.
MANAGER_HOME_QUERIES_COLD = MANAGER_HOME_QUERIES + 6


def test_a_managers_home_takes_the_same_queries_at_any_size(
    client, org, python_skill, django_assert_num_queries
):
    manager = PersonFactory(organisation=org, roles=[Role.PROGRAM_MANAGER, Role.PARTICIPANT])
    client.force_login(manager.user)
    people_with_skills(org, python_skill, 2)
    client.get(reverse("home"))
    with django_assert_num_queries(MANAGER_HOME_QUERIES):
        assert client.get(reverse("home")).status_code == 200

    people_with_skills(org, python_skill, 10)
    with django_assert_num_queries(MANAGER_HOME_QUERIES):
        assert client.get(reverse("home")).status_code == 200
    cache.clear()
    with django_assert_num_queries(MANAGER_HOME_QUERIES_COLD):
        assert client.get(reverse("home")).status_code == 200
