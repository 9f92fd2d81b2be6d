"""People endpoints. Same selectors, services and permission rules as the pages.

What each caller sees of a person is in `mentora/people/permissions.py`: `team` is null unless the
caller is the person, one of their (indirect) managers, a program manager or an org admin.
Private data (self-assessment, demographics) is only ever served on `/me/` endpoints.
"""

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, StrictBool

from mentora.api.calls import api_viewer
from mentora.api.errors import ApiError, ErrorOut
from mentora.api.schemas import DepartmentOut, Id
from mentora.core.refusals import Refusal
from mentora.organisations.models import Role
from mentora.people import selectors, services, skill_review
from mentora.people.models import (
    MAX_HOURS_PER_MONTH,
    MAX_SENIORITY,
    MAX_SKILL_LEVEL,
    DemographicProfile,
    Language,
    MeetingMode,
    Person,
    Priority,
    SelfAssessment,
    SkillAlias,
    SkillStatus,
)
from mentora.people.permissions import Access, person_access
from mentora.people.selectors import PersonFilters

router = Router(tags=["people"])


def _max(model, field: str) -> int:
    return model._meta.get_field(field).max_length


# ---- output schemas -------------------------------------------------------------------------


class ManagerOut(Schema):
    id: int
    full_name: str


class OfferedSkillOut(Schema):
    skill_id: int
    skill: str
    level: int


class WantedSkillOut(Schema):
    skill_id: int
    skill: str
    priority: int


class PersonTeamOut(Schema):
    """The work profile: for the person, their (indirect) managers, program managers, org admins."""

    email: str
    employee_id: str
    job_family: str
    manager: ManagerOut | None
    seniority: int
    time_zone: str
    availability_hours_per_month: int
    meeting_mode: str
    goals: str
    purpose: str
    wanted_skills: list[WantedSkillOut]
    roles: list[str]
    is_active: bool


class PersonOut(Schema):
    """The public profile, which every colleague sees, and the work profile when allowed."""

    id: int
    full_name: str
    job_title: str
    department: DepartmentOut | None
    location: str
    languages: list[str]
    offered_skills: list[OfferedSkillOut]
    team: PersonTeamOut | None


class PersonPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[PersonOut]


def person_out(person: Person, access: Access) -> dict:
    data = {
        "id": person.pk,
        "full_name": person.full_name,
        "job_title": person.job_title,
        "department": person.department,
        "location": person.location,
        "languages": [language.code for language in person.languages.all()],
        "offered_skills": [
            {"skill_id": row.skill_id, "skill": row.skill.name, "level": row.level}
            for row in person.offered_skills.all()
        ],
        "team": None,
    }
    if access >= Access.TEAM:
        data["team"] = {
            "email": person.email,
            "employee_id": person.employee_id,
            "job_family": person.job_family,
            "manager": person.manager,
            "seniority": person.seniority,
            "time_zone": person.time_zone,
            "availability_hours_per_month": person.availability_hours_per_month,
            "meeting_mode": person.meeting_mode,
            "goals": person.goals,
            "purpose": person.purpose,
            "wanted_skills": [
                {"skill_id": row.skill_id, "skill": row.skill.name, "priority": row.priority}
                for row in person.wanted_skills.all()
            ],
            "roles": sorted(membership.role for membership in person.role_memberships.all()),
            "is_active": person.is_active,
        }
    return data


# ---- the people database --------------------------------------------------------------------


class PersonFiltersIn(Schema):
    q: str = Field(
        "", max_length=200, description="Name, job title, offered skill (managers: email, employee id too)"
    )
    department: Id | None = None
    location: str = ""
    skill: Id | None = Field(None, description="Offers this skill (id)")
    seniority: int | None = Field(None, description="Program managers and org admins only")
    role: Role | None = Field(None, description="Program managers and org admins only")
    page: int = Field(1, ge=1)


@router.get("/", response=PersonPageOut, summary="List the people of my organisation")
def list_people(request, filters: Query[PersonFiltersIn]):
    viewer = api_viewer(request)
    result = selectors.person_page(
        viewer=viewer,
        filters=PersonFilters(
            q=filters.q,
            department_id=filters.department,
            seniority=filters.seniority,
            location=filters.location,
            role=filters.role or "",
            skill_id=filters.skill,
        ),
        page_number=filters.page,
    )
    return {
        "count": result.page.paginator.count,
        "page": result.page.number,
        "pages": result.page.paginator.num_pages,
        "results": [person_out(row.person, row.access) for row in result.rows],
    }


@router.get("/{int:person_id}", response=PersonOut, summary="One person of my organisation")
def get_person(request, person_id: Id):
    viewer = api_viewer(request)
    person = selectors.person_get(viewer=viewer, person_id=person_id)
    return person_out(person, person_access(viewer, person))


class PersonPatchIn(Schema):
    """The e-mail is not here: it is the sign-in name, changed through
    `POST /api/accounts/email-change` and a confirmed link.
    Unknown fields are refused rather than ignored."""

    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(None, min_length=1, max_length=_max(Person, "full_name"))
    employee_id: str = Field(None, max_length=_max(Person, "employee_id"))
    job_title: str = Field(None, max_length=_max(Person, "job_title"))
    job_family: str = Field(None, max_length=_max(Person, "job_family"))
    department_id: Id | None = None
    manager_id: Id | None = None
    seniority: int = Field(None, ge=1, le=MAX_SENIORITY)
    location: str = Field(None, max_length=_max(Person, "location"))
    time_zone: str = Field(None, max_length=64)
    is_active: StrictBool = None
    roles: list[Role] = None


@router.patch("/{int:person_id}", response=PersonOut, summary="Edit a person (program managers, org admins)")
def patch_person(request, person_id: Id, payload: PersonPatchIn):
    viewer = api_viewer(request)
    person = selectors.person_get(viewer=viewer, person_id=person_id)
    changes = payload.dict(exclude_unset=True)
    if "roles" in changes:
        changes["roles"] = [str(role) for role in changes["roles"]]
    services.person_update(actor=viewer, person=person, **changes)
    person = selectors.person_get(viewer=viewer, person_id=person_id)
    return person_out(person, person_access(viewer, person))


# ---- my own profile -------------------------------------------------------------------------


class OfferedSkillIn(Schema):
    skill_id: Id
    level: int = Field(..., ge=1, le=MAX_SKILL_LEVEL)


class WantedSkillIn(Schema):
    skill_id: Id
    priority: int = Field(
        Priority.MEDIUM, ge=Priority.HIGH, le=Priority.LOW, description="1 high, 2 medium, 3 low"
    )


class ProfileIn(Schema):
    """The whole profile: fields left out are reset to their defaults, skill lists are replaced."""

    job_title: str = Field("", max_length=_max(Person, "job_title"))
    department_id: Id | None = None
    manager_id: Id | None = None
    seniority: int = Field(1, ge=1, le=MAX_SENIORITY)
    location: str = Field("", max_length=_max(Person, "location"))
    time_zone: str = Field("UTC", max_length=64, description="IANA name, e.g. Europe/Paris")
    languages: list[str] = Field([], description="Language codes, e.g. en, pt-BR")
    availability_hours_per_month: int = Field(2, ge=0, le=MAX_HOURS_PER_MONTH)
    meeting_mode: MeetingMode = MeetingMode.EITHER
    goals: str = Field("", max_length=_max(Person, "goals"))
    purpose: str = Field("", max_length=_max(Person, "purpose"))
    offered_skills: list[OfferedSkillIn] = []
    wanted_skills: list[WantedSkillIn] = []


def _languages(codes: list[str]) -> list[Language]:
    languages = list(Language.objects.filter(code__in=codes))
    unknown = set(codes) - {language.code for language in languages}
    if unknown:
        raise Refusal(
            _("Unknown language codes: %(codes)s") % {"codes": ", ".join(sorted(unknown))},
            code="bad_choice",
            field="languages",
        )
    return languages


@router.get("/me/profile", response=PersonOut, summary="My profile")
def get_my_profile(request):
    viewer = api_viewer(request)
    return person_out(selectors.person_get(viewer=viewer, person_id=viewer.person.pk), Access.SELF)


@router.put("/me/profile", response=PersonOut, summary="Replace my profile")
def put_my_profile(request, payload: ProfileIn):
    viewer = api_viewer(request)
    services.profile_update(
        person=viewer.person,
        job_title=payload.job_title,
        department_id=payload.department_id,
        manager_id=payload.manager_id,
        seniority=payload.seniority,
        location=payload.location,
        time_zone=payload.time_zone,
        languages=_languages(payload.languages),
        availability_hours_per_month=payload.availability_hours_per_month,
        meeting_mode=str(payload.meeting_mode),
        goals=payload.goals,
        purpose=payload.purpose,
        offered_skills=[(row.skill_id, row.level) for row in payload.offered_skills],
        wanted_skills=[(row.skill_id, row.priority) for row in payload.wanted_skills],
    )
    return person_out(selectors.person_get(viewer=viewer, person_id=viewer.person.pk), Access.SELF)


# ---- my private data: only ever mine -------------------------------------------------------


class RatingIO(Schema):
    skill_id: Id
    level: int = Field(..., ge=0, le=MAX_SKILL_LEVEL)


class SelfAssessmentIn(Schema):
    reflection: str = Field("", max_length=_max(SelfAssessment, "reflection"))
    ratings: list[RatingIO] = []


class SelfAssessmentOut(Schema):
    reflection: str
    ratings: list[RatingIO]
    updated_at: str | None


def _self_assessment_out(assessment: SelfAssessment | None) -> dict:
    if assessment is None:
        return {"reflection": "", "ratings": [], "updated_at": None}
    return {
        "reflection": assessment.reflection,
        "ratings": [{"skill_id": r.skill_id, "level": r.level} for r in assessment.ratings.all()],
        "updated_at": assessment.updated_at.isoformat(),
    }


@router.get("/me/self-assessment", response=SelfAssessmentOut, summary="My private self-assessment")
def get_my_self_assessment(request):
    viewer = api_viewer(request)
    return _self_assessment_out(selectors.self_assessment_get(person=viewer.person))


@router.put("/me/self-assessment", response=SelfAssessmentOut, summary="Replace my private self-assessment")
def put_my_self_assessment(request, payload: SelfAssessmentIn):
    viewer = api_viewer(request)
    services.self_assessment_update(
        person=viewer.person,
        reflection=payload.reflection,
        ratings=[(row.skill_id, row.level) for row in payload.ratings],
    )
    return _self_assessment_out(selectors.self_assessment_get(person=viewer.person))


class DemographicsIn(Schema):
    consent: StrictBool = Field(..., description="Must be true: nothing is stored without consent")
    gender: str = Field("", max_length=_max(DemographicProfile, "gender"))
    age_band: str = Field("", max_length=_max(DemographicProfile, "age_band"))
    ethnicity: str = Field("", max_length=_max(DemographicProfile, "ethnicity"))
    disability: str = Field("", max_length=_max(DemographicProfile, "disability"))
    under_sponsored: StrictBool = False


class DemographicsOut(Schema):
    consented_at: str
    gender: str
    age_band: str
    ethnicity: str
    disability: str
    under_sponsored: bool


def _demographics_out(profile: DemographicProfile) -> dict:
    return {
        "consented_at": profile.consented_at.isoformat(),
        "gender": profile.gender,
        "age_band": profile.age_band,
        "ethnicity": profile.ethnicity,
        "disability": profile.disability,
        "under_sponsored": profile.under_sponsored,
    }


@router.get(
    "/me/demographics",
    response={200: DemographicsOut, 404: ErrorOut},
    summary="My optional demographic answers",
)
def get_my_demographics(request):
    viewer = api_viewer(request)
    profile = selectors.demographics_get(person=viewer.person)
    if profile is None:
        raise ApiError(404, "not_found", _("You have not given demographic answers."))
    return _demographics_out(profile)


@router.put("/me/demographics", response=DemographicsOut, summary="Give or update my demographic answers")
def put_my_demographics(request, payload: DemographicsIn):
    viewer = api_viewer(request)
    return _demographics_out(services.demographics_set(person=viewer.person, **payload.dict()))


@router.delete("/me/demographics", response={204: None}, summary="Withdraw consent: delete my answers")
def delete_my_demographics(request):
    viewer = api_viewer(request)
    services.demographics_withdraw(person=viewer.person)
    return Status(204, None)


# ---- the skill list, for org admins (docs/import.md, "New skills") -----------------------------


class SkillAliasOut(Schema):
    id: int
    alias: str


class SkillReviewOut(Schema):
    id: int
    name: str
    category: str = Field(alias="category.name")
    status: SkillStatus
    merged_into_id: int | None
    offered_count: int
    wanted_count: int
    aliases: list[SkillAliasOut]

    @staticmethod
    def resolve_aliases(skill) -> list:
        return list(skill.aliases.all())


class SkillMergeIn(Schema):
    into_id: Id


class SkillAliasIn(Schema):
    alias: str = Field(max_length=SkillAlias._meta.get_field("alias").max_length)


def _admin_skill(request, skill_id: int):
    viewer = api_viewer(request)
    skill_review.require_skill_admin(viewer)
    skill = selectors.skill_get_for_admin(organisation_id=viewer.organisation_id, skill_id=skill_id)
    return viewer, skill


def _reviewed(skill) -> object:
    return selectors.skill_list_for_review(organisation_id=skill.organisation_id).get(pk=skill.pk)


@router.get("/skills", response=list[SkillReviewOut], summary="The skill list with new skills to review")
def skill_list(request, status: SkillStatus | None = None):
    viewer = api_viewer(request)
    skill_review.require_skill_admin(viewer)
    return selectors.skill_list_for_review(organisation_id=viewer.organisation_id, status=status)


@router.post("/skills/{int:skill_id}/approve", response=SkillReviewOut, summary="Approve a new skill")
def skill_approve(request, skill_id: Id):
    viewer, skill = _admin_skill(request, skill_id)
    return _reviewed(skill_review.skill_approve(viewer=viewer, skill=skill))


@router.post("/skills/{int:skill_id}/retire", response=SkillReviewOut, summary="Retire a skill")
def skill_retire(request, skill_id: Id):
    viewer, skill = _admin_skill(request, skill_id)
    return _reviewed(skill_review.skill_retire(viewer=viewer, skill=skill))


@router.post("/skills/{int:skill_id}/restore", response=SkillReviewOut, summary="Restore a retired skill")
def skill_restore(request, skill_id: Id):
    viewer, skill = _admin_skill(request, skill_id)
    return _reviewed(skill_review.skill_restore(viewer=viewer, skill=skill))


@router.post(
    "/skills/{int:skill_id}/merge", response=SkillReviewOut, summary="Merge a skill into a skill in use"
)
def skill_merge(request, skill_id: Id, payload: SkillMergeIn):
    """Answers the target skill. Another organisation's target is 404."""
    viewer, skill = _admin_skill(request, skill_id)
    into = selectors.skill_get_for_admin(organisation_id=viewer.organisation_id, skill_id=payload.into_id)
    return _reviewed(skill_review.skill_merge(viewer=viewer, skill=skill, into=into))


@router.post(
    "/skills/{int:skill_id}/aliases", response={201: SkillAliasOut}, summary="Give a skill another name"
)
def skill_alias_add(request, skill_id: Id, payload: SkillAliasIn):
    viewer, skill = _admin_skill(request, skill_id)
    return Status(201, skill_review.skill_alias_add(viewer=viewer, skill=skill, alias=payload.alias))


@router.delete(
    "/skills/{int:skill_id}/aliases/{int:alias_id}", response={204: None}, summary="Remove an alias"
)
def skill_alias_delete(request, skill_id: Id, alias_id: Id):
    viewer = api_viewer(request)
    skill_review.require_skill_admin(viewer)
    alias = selectors.skill_alias_get_for_admin(
        organisation_id=viewer.organisation_id, skill_id=skill_id, alias_id=alias_id
    )
    skill_review.skill_alias_delete(viewer=viewer, alias=alias)
    return Status(204, None)
