"""The organisation-wide figures of the managers', admins' and leaders' homes are kept in the cache
under the organisation's figures version: read once, and changed at once by every write path that
changes them (people, roles, skills, departments, the import, the HR sync, SCIM, erasure)."""

import datetime
import io

from django.urls import reverse
from scim2_models import Group

from mentora.core.roles import viewer_for
from mentora.hrsync.services import hr_sync_configure, hr_sync_request
from mentora.organisations.models import Role
from mentora.people import selectors
from mentora.people.importing import people_import
from mentora.people.services import (
    department_create,
    department_delete,
    department_rename,
    leavers_deactivate,
    person_create,
    person_update,
)
from mentora.people.skill_review import skill_merge
from mentora.privacy.services import person_erase
from mentora.scim.services import scim_group_create
from tests.factories import OfferedSkillFactory, PersonFactory, SkillFactory
from tests.hrsync.conftest import export
from tests.pairing.test_choose_cache import profile_of


def figures(org) -> selectors.OrganisationFigures:
    return selectors.organisation_figures(organisation_id=org.pk)


def test_the_figures_are_read_once_then_from_the_cache(org, alice, django_assert_num_queries):
    first = figures(org)
    PersonFactory(organisation=org)  # written around the services: not seen until a service writes

    with django_assert_num_queries(1):  # the version
        assert figures(org) == first
    person_create(organisation=org, email="nina@acme.test", full_name="Nina New")
    assert figures(org).overview.people == first.overview.people + 2


def test_a_change_in_one_organisation_keeps_the_others_figures(org, other_org, olga, charlie):
    theirs = figures(other_org)
    department_create(organisation=org, name="Sales")
    assert figures(org).overview.departments == 1
    assert figures(other_org) == theirs


def test_the_home_shows_a_deactivation_at_once(client, org, pam, alice, olga):
    client.force_login(pam.user)
    assert "3 active of 3" in client.get(reverse("home")).content.decode()
    person_update(actor=viewer_for(olga.user), person=alice, is_active=False)
    assert "2 active of 3" in client.get(reverse("home")).content.decode()


def test_roles_given_change_the_participants_at_once(org, olga, pam):
    assert figures(org).overview.participants == 0
    person_update(actor=viewer_for(olga.user), person=pam, roles=[Role.PROGRAM_MANAGER, Role.PARTICIPANT])
    assert figures(org).overview.participants == 1


def test_skills_of_a_profile_change_the_mentors_and_top_skills_at_once(org, alice, python_skill):
    assert figures(org).overview.mentors == 0
    profile_of(alice, offered_skills=[(python_skill.pk, 3)], wanted_skills=[])
    overview = figures(org).overview
    assert (overview.mentors, overview.top_offered) == (1, [("Python", 1)])


def test_a_new_person_is_counted_at_once(org, alice):
    assert figures(org).overview.people == 1
    person_create(organisation=org, email="nina@acme.test", full_name="Nina New")
    assert figures(org).overview.people == 2


def test_departments_created_renamed_and_deleted_show_at_once(org):
    assert figures(org).departments == []
    sales = department_create(organisation=org, name="Sales")
    assert [d.name for d in figures(org).departments] == ["Sales"]
    department_rename(department=sales, name="Field sales")
    assert [d.name for d in figures(org).departments] == ["Field sales"]
    department_delete(department=sales)
    assert (figures(org).departments, figures(org).overview.departments) == ([], 0)


def test_an_import_shows_its_people_at_once(org, alice):
    assert figures(org).overview.people == 1
    report = people_import(
        organisation=org,
        file=io.BytesIO(b"employee_id,email,full_name\nN1,nina@acme.test,Nina New\n"),
        filename="people.csv",
    )
    assert report.ok, report.errors
    assert figures(org).overview.people == 2


def test_the_hr_sync_shows_its_people_at_once(
    org, olga, settings, tmp_path, immediate_tasks, django_capture_on_commit_callbacks
):
    folder = tmp_path / "hr" / "acme"
    folder.mkdir(parents=True)
    settings.HR_SYNC_FOLDERS = [str(folder.parent)]
    (folder / "people.csv").write_bytes(export("N1,nina@acme.test,Nina New,Sales,2,,"))
    viewer = viewer_for(olga.user)
    hr_sync_configure(viewer=viewer, enabled=False, kind="folder", folder=str(folder))
    assert figures(org).overview.people == 1
    with django_capture_on_commit_callbacks(execute=True):
        hr_sync_request(viewer=viewer)
    assert figures(org).overview.people == 2
    assert [(d.name, d.headcount) for d in figures(org).departments] == [("Sales", 1)]


def test_a_scim_group_shows_with_its_members_at_once(org, alice):
    assert figures(org).departments == []
    group = Group.model_validate({"displayName": "Sales", "members": [{"value": str(alice.pk)}]})
    scim_group_create(organisation=org, group=group)
    assert [(d.name, d.headcount) for d in figures(org).departments] == [("Sales", 1)]


def test_an_erasure_removes_the_persons_skills_and_roles_at_once(org, olga, alice, python_skill):
    OfferedSkillFactory(person=alice, skill=python_skill)
    assert figures(org).overview.participants == 1
    person_erase(actor=viewer_for(olga.user), person_id=alice.pk, reason="She asked", confirmed=True)
    overview = figures(org).overview
    assert (overview.participants, overview.top_offered) == (0, [])


def test_a_leavers_deactivation_shows_at_once(org, alice):
    alice.leaving_date = datetime.date(2026, 1, 1)
    alice.save(update_fields=["leaving_date"])
    assert figures(org).overview.active_people == 1
    leavers_deactivate(today=datetime.date(2026, 1, 2))
    assert figures(org).overview.active_people == 0


def test_a_skill_merge_shows_in_the_top_skills_at_once(org, olga, alice, python_skill):
    kubernetes = SkillFactory(organisation=org, name="Kubernetes")
    OfferedSkillFactory(person=alice, skill=kubernetes)
    assert figures(org).overview.top_offered == [("Kubernetes", 1)]
    skill_merge(viewer=viewer_for(olga.user), skill=kubernetes, into=python_skill)
    assert figures(org).overview.top_offered == [("Python", 1)]
