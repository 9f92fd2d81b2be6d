"""The people pages' database work stays the same however many people and skills there are
(bench/load.py and docs/performance.md measure it at 5,000 people)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.people import selectors
from mentora.people.models import SkillStatus
from tests.factories import OfferedSkillFactory, PersonFactory, SkillFactory, WantedSkillFactory
from tests.markup import unlabelled_fields


def test_the_skills_list_counts_each_skills_offers_and_wants(org, python_skill, public_speaking):
    for _ in range(2):
        OfferedSkillFactory(person=PersonFactory(organisation=org), skill=python_skill)
    for _ in range(3):
        WantedSkillFactory(person=PersonFactory(organisation=org), skill=python_skill)
    WantedSkillFactory(person=PersonFactory(organisation=org), skill=public_speaking)

    counts = {
        skill.name: (skill.offered_count, skill.wanted_count)
        for skill in selectors.skill_list_for_review(organisation_id=org.pk)
    }

    assert counts == {python_skill.name: (2, 3), public_speaking.name: (0, 1)}


def test_the_skills_page_never_joins_offers_with_wants(client, org, olga, django_assert_num_queries):
    """Joining both tables made a row per offer and want of each skill: 26 s at 5,000 people."""
    for index in range(4):
        skill = SkillFactory(organisation=org, name=f"Skill {index}")
        OfferedSkillFactory(person=PersonFactory(organisation=org), skill=skill)
        WantedSkillFactory(person=PersonFactory(organisation=org), skill=skill)
    client.force_login(olga.user)
    client.get(reverse("people:skills"))  # the session and the viewer's caches warm

    with django_assert_num_queries(5), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("people:skills"))

    assert response.status_code == 200
    joined_both = [
        query["sql"]
        for query in queries.captured_queries
        if 'JOIN "people_offeredskill"' in query["sql"] and 'JOIN "people_wantedskill"' in query["sql"]
    ]
    assert joined_both == []


def test_the_skills_page_lists_each_skill_once_in_its_one_merge_form(client, org, olga):
    """A merge select in every row listed every skill for every skill: 299 KiB at 66 skills."""
    skills = [SkillFactory(organisation=org, name=f"Skill {index}") for index in range(6)]
    pending = SkillFactory(organisation=org, name="Pending skill", status=SkillStatus.PENDING)
    SkillFactory(organisation=org, name="Retired skill", status=SkillStatus.RETIRED)
    client.force_login(olga.user)

    page = client.get(reverse("people:skills")).content.decode()

    selects = dict(re.findall(r'<select [^>]*name="(\w+)"[^>]*>(.*?)</select>', page, re.S))
    choices = {
        name: re.findall(r'<option value="\d+">([^<]*)</option>', options)
        for name, options in selects.items()
    }
    assert choices == {
        "skill": sorted([pending.name, *(skill.name for skill in skills)]),
        "into": [skill.name for skill in skills],
    }
    assert unlabelled_fields(page) == []
