"""New skills from an import wait for an org admin's review; the skills page and its endpoints
approve, merge, retire, restore and give aliases. Nobody else may, and another organisation's
skills are out of reach."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from mentora.core.roles import Viewer, viewer_for
from mentora.people import selectors, skill_review
from mentora.people.importing import people_import
from mentora.people.models import OfferedSkill, Person, Skill, SkillAlias, SkillStatus, WantedSkill
from mentora.people.services import profile_update
from mentora.programs.models import QuestionKind
from mentora.programs.services import program_enrol
from tests.factories import (
    OfferedSkillFactory,
    PersonFactory,
    SkillFactory,
    WantedSkillFactory,
    api_headers,
)
from tests.programs.factories import IntakeQuestionFactory, ProgramFactory


def import_rows(org, *rows: str):
    text = "\n".join(["employee_id,email,full_name,offered_skills", *rows]) + "\n"
    report = people_import(organisation=org, file=io.BytesIO(text.encode()), filename="people.csv")
    assert report.ok, report.errors
    return report


def as_viewer(person) -> Viewer:
    return viewer_for(person.user)


@pytest.fixture
def kubernetes(org):
    """A skill an import brought in, waiting for review."""
    import_rows(org, "E1,kai@acme.test,Kai Kim,Kubernetes:4")
    return Skill.objects.get(organisation=org, name="Kubernetes")


# ---- an import's new skills wait --------------------------------------------------------------


def test_a_new_skill_from_an_import_waits_and_is_not_offered_to_others(org, kubernetes, python_skill):
    assert kubernetes.status == SkillStatus.PENDING
    kai = Person.objects.get(organisation=org, employee_id="E1")
    assert OfferedSkill.objects.get(person=kai).skill == kubernetes  # the file's person keeps it
    assert list(selectors.skills(organisation_id=org.pk)) == [python_skill]


def profile(person, *, offered):
    return profile_update(
        person=person,
        job_title="",
        department_id=None,
        manager_id=None,
        seniority=person.seniority,
        location="",
        time_zone="Europe/London",
        languages=[],
        availability_hours_per_month=4,
        meeting_mode="either",
        goals="",
        purpose="",
        offered_skills=offered,
        wanted_skills=[],
    )


def test_a_pending_skill_cannot_be_picked_by_someone_else(org, alice, kubernetes):
    with pytest.raises(ValidationError, match="skill list"):
        profile(alice, offered=[(kubernetes.pk, 3)])
    assert not OfferedSkill.objects.filter(person=alice).exists()
    program = ProgramFactory(organisation=org)
    question = IntakeQuestionFactory(program=program, kind=QuestionKind.SKILL_PICK, required=True)
    with pytest.raises(ValidationError, match="Pick skills from the list"):
        program_enrol(program=program, person=alice, role="mentee", answers={question.pk: [kubernetes.pk]})


def test_the_person_the_import_gave_a_pending_skill_keeps_it_when_editing_their_profile(org, kubernetes):
    kai = Person.objects.get(organisation=org, employee_id="E1")
    profile(kai, offered=[(kubernetes.pk, 5)])
    assert OfferedSkill.objects.get(person=kai, skill=kubernetes).level == 5


def test_the_next_import_maps_a_merged_skills_name_to_its_target(org, olga, kubernetes):
    target = SkillFactory(organisation=org, name="Container orchestration")
    skill_review.skill_merge(viewer=as_viewer(olga), skill=kubernetes, into=target)
    report = import_rows(org, "E2,kim@acme.test,Kim Ko,kubernetes:3")
    assert report.new_skills == []
    assert OfferedSkill.objects.get(person__employee_id="E2").skill == target


# ---- review --------------------------------------------------------------------------------


def test_an_org_admin_approves_a_new_skill(org, olga, kubernetes):
    skill_review.skill_approve(viewer=as_viewer(olga), skill=kubernetes)
    assert Skill.objects.get(pk=kubernetes.pk).status == SkillStatus.ACTIVE
    assert kubernetes in selectors.skills(organisation_id=org.pk)
    with pytest.raises(ValidationError, match="Only a new skill"):
        skill_review.skill_approve(viewer=as_viewer(olga), skill=kubernetes)


def test_retiring_hides_a_skill_from_the_list_and_restoring_brings_it_back(org, olga, alice, python_skill):
    OfferedSkillFactory(person=alice, skill=python_skill)
    skill_review.skill_retire(viewer=as_viewer(olga), skill=python_skill)
    assert python_skill not in selectors.skills(organisation_id=org.pk)
    assert OfferedSkill.objects.filter(person=alice, skill=python_skill).exists()  # holders keep it
    skill_review.skill_restore(viewer=as_viewer(olga), skill=python_skill)
    assert python_skill in selectors.skills(organisation_id=org.pk)


def test_merging_moves_everyones_rows_keeps_the_stronger_one_and_the_old_name(
    org, olga, alice, bob, kubernetes
):
    target = SkillFactory(organisation=org, name="Container orchestration")
    OfferedSkillFactory(person=alice, skill=kubernetes, level=5)
    OfferedSkillFactory(person=alice, skill=target, level=2)
    OfferedSkillFactory(person=bob, skill=kubernetes, level=3)
    WantedSkillFactory(person=bob, skill=kubernetes, priority=1)
    WantedSkillFactory(person=bob, skill=target, priority=3)

    skill_review.skill_merge(viewer=as_viewer(olga), skill=kubernetes, into=target)

    assert OfferedSkill.objects.get(person=alice).level == 5
    assert OfferedSkill.objects.get(person=bob).skill == target
    assert WantedSkill.objects.get(person=bob).priority == 1
    assert not OfferedSkill.objects.filter(skill=kubernetes).exists()
    merged = Skill.objects.get(pk=kubernetes.pk)
    assert (merged.status, merged.merged_into) == (SkillStatus.RETIRED, target)
    assert SkillAlias.objects.get(organisation=org, alias="Kubernetes").skill == target
    with pytest.raises(ValidationError, match="already merged"):
        skill_review.skill_merge(viewer=as_viewer(olga), skill=merged, into=target)


@pytest.mark.parametrize("target_kind", ["itself", "pending", "retired"])
def test_a_merge_needs_another_skill_in_use(org, olga, kubernetes, target_kind):
    target = {
        "itself": kubernetes,
        "pending": SkillFactory(organisation=org, status=SkillStatus.PENDING),
        "retired": SkillFactory(organisation=org, status=SkillStatus.RETIRED),
    }[target_kind]
    with pytest.raises(ValidationError):
        skill_review.skill_merge(viewer=as_viewer(olga), skill=kubernetes, into=target)
    assert Skill.objects.get(pk=kubernetes.pk).status == SkillStatus.PENDING


def test_another_organisations_skill_is_no_merge_target(olga, kubernetes, globex_skill):
    with pytest.raises(ValidationError, match="of your organisation"):
        skill_review.skill_merge(viewer=as_viewer(olga), skill=kubernetes, into=globex_skill)


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        ("", "Give the other name"),
        ("k\x08s", "control"),
        ("x" * 121, "under 120"),
        ("Python", "Another skill"),
    ],
)
def test_bad_aliases_are_refused(olga, kubernetes, python_skill, alias, message):
    with pytest.raises(ValidationError) as caught:
        skill_review.skill_alias_add(viewer=as_viewer(olga), skill=kubernetes, alias=alias)
    assert message in " ".join(caught.value.messages)


def test_an_alias_is_used_by_the_next_import_and_is_unique(org, olga, kubernetes):
    skill_review.skill_alias_add(viewer=as_viewer(olga), skill=kubernetes, alias="k8s")
    with pytest.raises(ValidationError, match="already in use"):
        skill_review.skill_alias_add(viewer=as_viewer(olga), skill=kubernetes, alias="k8s")
    import_rows(org, "E3,kit@acme.test,Kit Lee,k8s:2")
    assert OfferedSkill.objects.get(person__employee_id="E3").skill == kubernetes


def test_the_database_refuses_a_merged_skill_in_use(org, python_skill):
    with pytest.raises(IntegrityError), transaction.atomic():
        SkillFactory(organisation=org, merged_into=python_skill, status=SkillStatus.ACTIVE)


# ---- page and API ----------------------------------------------------------------------------


def test_an_org_admin_reviews_on_the_skills_page(client, org, olga, kubernetes, python_skill):
    client.force_login(olga.user)
    text = client.get(reverse("people:skills")).content.decode()
    assert "New, waiting for review (1)" in text and "Kubernetes" in text
    response = client.post(reverse("people:skill_merge"), {"skill": kubernetes.pk, "into": python_skill.pk})
    assert response.status_code == 302
    assert Skill.objects.get(pk=kubernetes.pk).merged_into == python_skill
    client.post(reverse("people:skill_alias_add", args=[python_skill.pk]), {"alias": "py"})
    alias = SkillAlias.objects.get(alias="py")
    response = client.post(reverse("people:skill_alias_delete", args=[python_skill.pk, alias.pk]))
    assert response.status_code == 302 and not SkillAlias.objects.filter(alias="py").exists()
    response = client.post(
        reverse("people:skill_merge"), {"skill": python_skill.pk, "into": "abc"}, follow=True
    )
    assert "Choose the skill to merge into." in response.content.decode()
    response = client.post(reverse("people:skill_merge"), {"into": python_skill.pk}, follow=True)
    assert "Choose the skill to merge." in response.content.decode()


def test_the_api_reviews_new_skills(client, org, olga, kubernetes, python_skill):
    headers = api_headers(olga)
    listed = client.get("/api/people/skills?status=pending", headers=headers).json()
    assert [(s["name"], s["status"], s["offered_count"]) for s in listed] == [("Kubernetes", "pending", 1)]
    response = client.post(f"/api/people/skills/{kubernetes.pk}/approve", headers=headers)
    assert response.status_code == 200 and response.json()["status"] == "active"
    response = client.post(
        f"/api/people/skills/{kubernetes.pk}/aliases",
        {"alias": "k8s"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201
    alias_id = response.json()["id"]
    response = client.post(
        f"/api/people/skills/{kubernetes.pk}/merge",
        {"into_id": python_skill.pk},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200 and response.json()["aliases"] == [
        {"id": SkillAlias.objects.get(alias="Kubernetes").pk, "alias": "Kubernetes"},
        {"id": alias_id, "alias": "k8s"},
    ]
    response = client.delete(f"/api/people/skills/{python_skill.pk}/aliases/{alias_id}", headers=headers)
    assert response.status_code == 204


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("approve", None),
        ("merge", {"into_id": 0}),
        ("merge", {"into_id": "python"}),
        ("aliases", {"alias": "x" * 121}),
        ("aliases", {"alias": "k8s\x00"}),
        ("aliases", {}),
    ],
)
def test_bad_requests_get_a_4xx(client, olga, kubernetes, python_skill, url, body):
    headers = api_headers(olga)
    client.post(f"/api/people/skills/{kubernetes.pk}/approve", headers=headers)
    response = client.post(
        f"/api/people/skills/{kubernetes.pk}/{url}", body, content_type="application/json", headers=headers
    )
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("who", ["alice", "pam", "lou", "leo"])
def test_only_org_admins_review_skills(request, client, kubernetes, python_skill, who):
    person = request.getfixturevalue(who)
    client.force_login(person.user)
    assert client.get(reverse("people:skills")).status_code == 403
    assert client.post(reverse("people:skill_approve", args=[kubernetes.pk])).status_code == 403
    merge = {"skill": kubernetes.pk, "into": python_skill.pk}
    assert client.post(reverse("people:skill_merge"), merge).status_code == 403
    headers = api_headers(person)
    assert client.get("/api/people/skills", headers=headers).status_code == 403
    assert client.post(f"/api/people/skills/{kubernetes.pk}/approve", headers=headers).status_code == 403
    assert Skill.objects.get(pk=kubernetes.pk).status == SkillStatus.PENDING


def test_another_organisations_admin_cannot_reach_acmes_skills(client, other_org, kubernetes, globex_skill):
    globex_admin = PersonFactory(organisation=other_org, roles=["org_admin"])
    client.force_login(globex_admin.user)
    assert "Kubernetes" not in client.get(reverse("people:skills")).content.decode()
    assert client.post(reverse("people:skill_approve", args=[kubernetes.pk])).status_code == 404
    merge = {"skill": kubernetes.pk, "into": globex_skill.pk}
    assert client.post(reverse("people:skill_merge"), merge).status_code == 404
    headers = api_headers(globex_admin)
    assert client.post(f"/api/people/skills/{kubernetes.pk}/retire", headers=headers).status_code == 404
    assert Skill.objects.get(pk=kubernetes.pk).status == SkillStatus.PENDING
