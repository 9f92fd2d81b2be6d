"""The demo organisation: deterministic, realistic, and written through the import."""

import csv as csv_module
import io
import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from mentora.demo import hr_sync
from mentora.demo.org import (
    CROSS_FUNCTIONAL,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    FAMILIES,
    LOCATIONS,
    MANAGEMENT,
    TAXONOMY,
    demo_org_load,
    generate_demo_org,
)
from mentora.organisations.models import Department, Organisation, Role
from mentora.people.importing import people_import
from mentora.people.models import DemographicProfile, Person, SelfAssessment

SKILLS = {name for skills in TAXONOMY.values() for name, _aliases in skills}
CITY_TIME_ZONES = {city: tz for region in LOCATIONS.values() for city, tz, _weight, _lang in region}


@pytest.fixture(scope="module")
def demo():
    return generate_demo_org(people=300, seed=7)


# ---- the generator (no database) --------------------------------------------------------------


def test_the_same_seed_gives_the_same_organisation():
    first, second = generate_demo_org(people=250, seed=42), generate_demo_org(people=250, seed=42)

    assert first.csv() == second.csv()
    assert first.demographics == second.demographics
    assert first.self_assessments == second.self_assessments
    assert first.accounts == second.accounts


def test_another_seed_gives_another_organisation():
    assert generate_demo_org(people=250, seed=1).csv() != generate_demo_org(people=250, seed=2).csv()


@pytest.mark.parametrize("size", [1, 2, 9, 57, 300, 2000])
def test_it_has_exactly_the_size_asked_for_and_unique_ids_and_emails(size):
    people = generate_demo_org(people=size, seed=3).people

    assert len(people) == size
    assert len({p.employee_id for p in people}) == size
    assert len({p.email for p in people}) == size


@pytest.mark.parametrize("size", [9, 300, 2000])
def test_the_reporting_line_is_a_tree_with_one_root_and_realistic_spans(size):
    people = generate_demo_org(people=size, seed=5).people
    ids = {p.employee_id for p in people}

    roots = [p for p in people if p.manager is None]
    assert len(roots) == 1 and roots[0].job_title == "Chief Executive Officer"
    for person in people:
        seen, node = set(), person
        while node.manager is not None:  # walks up to the root without looping
            assert node.employee_id not in seen
            seen.add(node.employee_id)
            node = node.manager
        assert node is roots[0]
        if person.manager:
            assert person.manager.employee_id in ids
            assert person.manager.seniority >= person.seniority
    spans = [len(p.reports) for p in people if p.reports and p.manager]
    assert max(spans) <= 10


def test_large_organisations_have_departments_with_sub_teams():
    people = generate_demo_org(people=2000, seed=5).people

    departments = {p.department for p in people}
    assert {"Engineering > Platform", "Sales > Enterprise Sales", "Legal > Commercial Legal"} <= departments
    assert len({d.split(" > ")[0] for d in departments}) == 11  # ten departments and the executive office


def test_skills_are_plausible_for_each_job_family(demo):
    for person in demo.people:
        family = FAMILIES[person.job_family]
        allowed = set(family.skills) | set(CROSS_FUNCTIONAL) | set(MANAGEMENT)
        assert set(person.offered) <= allowed, person.job_title
        assert set(person.offered) | set(person.wanted) <= SKILLS
        assert not set(person.offered) & set(person.wanted)
        assert all(1 <= level <= 5 for level in person.offered.values())
        assert all(priority in (1, 2, 3) for priority in person.wanted.values())

    engineers = [p for p in demo.people if p.job_family == "Engineering"]
    sales = [p for p in demo.people if p.job_family == "Sales"]
    assert (
        Counter(s for p in engineers for s in p.offered).most_common(1)[0][0]
        in FAMILIES["Engineering"].skills
    )
    assert sum("Negotiation" in p.offered for p in sales) > sum("Negotiation" in p.offered for p in engineers)


def test_seniors_offer_more_at_higher_levels_and_juniors_want_more(demo):
    juniors = [p for p in demo.people if p.seniority <= 2]
    seniors = [p for p in demo.people if p.seniority >= 6]

    def mean(values):
        return sum(values) / len(values)

    assert mean([len(p.offered) for p in seniors]) > mean([len(p.offered) for p in juniors]) + 1
    assert mean([mean(list(p.offered.values())) for p in seniors]) > mean(
        [mean(list(p.offered.values())) for p in juniors]
    )
    assert mean([len(p.wanted) for p in juniors]) > mean([len(p.wanted) for p in seniors])


def test_people_spread_over_regions_with_matching_time_zones_and_languages(demo):
    zones = {p.time_zone for p in demo.people}

    assert any(z.startswith("Europe/") for z in zones)
    assert any(z.startswith("America/") for z in zones)
    assert any(z.startswith(("Asia/", "Australia/")) for z in zones)
    for person in demo.people:
        assert CITY_TIME_ZONES[person.location] == person.time_zone
        assert person.languages[0] == "en"
        assert 1 <= person.seniority <= 10


def test_roles_follow_the_organisation(demo):
    for person in demo.people:
        assert Role.PARTICIPANT in person.roles
        assert (Role.LINE_MANAGER in person.roles) == bool(person.reports)
        assert (Role.LEADER in person.roles) == (person.depth <= 1)
    assert 1 <= sum(Role.ORG_ADMIN in p.roles for p in demo.people) <= 3
    assert all(p.department.startswith("HR") for p in demo.people if Role.PROGRAM_MANAGER in p.roles)


def test_named_demo_accounts_fit_their_part(demo):
    people = {p.employee_id: p for p in demo.people}
    accounts = {label: people[employee_id] for label, employee_id in demo.accounts.items()}

    assert set(accounts) == set(DEMO_ACCOUNTS)
    assert Role.ORG_ADMIN in accounts["admin"].roles
    assert Role.PROGRAM_MANAGER in accounts["manager"].roles
    assert accounts["linemanager"].reports
    assert Role.LEADER in accounts["leader"].roles
    assert accounts["mentor"].seniority >= 5 and not accounts["mentor"].reports
    assert set(accounts["mentee"].wanted) & set(accounts["mentor"].offered)
    assert all(person.email == f"{label}@demo.mentora.test" for label, person in accounts.items())


# ---- loading it -------------------------------------------------------------------------------


def test_the_command_loads_the_demo_and_is_idempotent_with_if_empty(db, capsys):
    call_command("demo_org", "--people", "120", "--seed", "7", "--if-empty")
    call_command("demo_org", "--people", "120", "--seed", "7", "--if-empty")

    organisation = Organisation.objects.get(slug="demo")
    people = Person.objects.filter(organisation=organisation)
    assert people.count() == 120
    assert not Person.objects.exclude(organisation=organisation).exists()
    assert not people.exclude(manager=None).exclude(manager__organisation=organisation).exists()
    assert people.filter(manager=None).count() == 1
    assert Department.objects.filter(organisation=organisation, parent__isnull=False).exists()
    assert DemographicProfile.objects.filter(person__organisation=organisation).exists()
    assert SelfAssessment.objects.filter(person__organisation=organisation, ratings__isnull=False).exists()
    assert "already exists" in capsys.readouterr().out

    User = get_user_model()
    mentor = User.objects.get(username="mentor@demo.mentora.test")
    assert mentor.check_password(DEMO_PASSWORD)
    assert mentor.person.organisation == organisation
    assert User.objects.get(username="admin").is_superuser


def test_the_loaded_people_import_again_without_changes(db):
    call_command("demo_org", "--people", "80", "--seed", "3", "--org-slug", "again")
    organisation = Organisation.objects.get(slug="again")

    csv = generate_demo_org(people=80, seed=3, domain="again.mentora.test").csv()
    report = people_import(organisation=organisation, file=io.BytesIO(csv.encode()), filename="again.csv")

    # The demo's one past HR sync run (mentora/demo/hr_sync.py) changed these people since the load.
    with hr_sync.EXAMPLE.open(newline="", encoding="utf-8") as stream:
        synced = len(list(csv_module.DictReader(stream)))
    assert synced > 0
    assert (report.created, report.updated, report.unchanged) == (0, synced, 80 - synced)


def test_the_command_refuses_to_overwrite_an_organisation_without_if_empty(db):
    call_command("demo_org", "--people", "10", "--seed", "1", "--org-slug", "small")

    with pytest.raises(CommandError, match="already exists"):
        call_command("demo_org", "--people", "10", "--seed", "1", "--org-slug", "small")


def test_demo_logins_prints_the_accounts(db, capsys):
    call_command("demo_org", "--people", "60", "--seed", "7")
    capsys.readouterr()

    call_command("demo_logins")

    out = capsys.readouterr().out
    for label in DEMO_ACCOUNTS:
        assert f"{label}@demo.mentora.test" in out
    assert DEMO_PASSWORD in out


# ---- the demo's superuser and its published passwords ------------------------------------------


def test_loading_the_demo_data_alone_creates_no_superuser(db):
    demo_org_load(people=20, seed=1, slug="quiet")
    assert not get_user_model().objects.filter(is_superuser=True).exists()


def test_the_command_gives_the_superuser_a_random_password_printed_once(db, capsys):
    call_command("demo_org", "--people", "20", "--seed", "1", "--without-programs")
    out = capsys.readouterr().out
    password = re.search(r"admin / (\S+)", out).group(1)

    superuser = get_user_model().objects.get(username="admin")
    assert superuser.is_superuser and superuser.check_password(password)
    assert not superuser.check_password(DEMO_PASSWORD)
    call_command("demo_logins")
    assert password not in capsys.readouterr().out
    call_command("demo_org", "--people", "20", "--seed", "1", "--org-slug", "second", "--without-programs")
    assert "admin /" not in capsys.readouterr().out
    assert get_user_model().objects.get(username="admin").check_password(password)


def test_the_sign_in_page_says_when_published_demo_log_ins_exist(client, db):
    notice = "published passwords"
    assert notice not in client.get(reverse("login")).content.decode()

    demo_org_load(people=20, seed=1)

    assert notice in client.get(reverse("login")).content.decode()
