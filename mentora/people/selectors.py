"""Reads of the people database, always scoped to what the viewer may see (see permissions.py)."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from mentora.core.queries import aggregate_subquery
from mentora.core.roles import Viewer
from mentora.organisations.models import Department, Organisation, Role, RoleMembership
from mentora.people.models import (
    DemographicProfile,
    OfferedSkill,
    Person,
    PersonHrChange,
    SelfAssessedSkill,
    SelfAssessment,
    Skill,
    SkillAlias,
    SkillStatus,
    WantedSkill,
)
from mentora.people.permissions import (
    Access,
    can_list_people,
    check_filters_allowed,
    person_access,
    same_organisation,
)
from mentora.people.reporting_line import report_ids

PAGE_SIZE = 25


@dataclass(frozen=True)
class PersonFilters:
    q: str = ""
    department_id: int | None = None
    seniority: int | None = None
    location: str = ""
    role: str = ""
    skill_id: int | None = None

    def used(self) -> set[str]:
        names = {
            "q": self.q,
            "department": self.department_id,
            "seniority": self.seniority,
            "location": self.location,
            "role": self.role,
            "skill": self.skill_id,
        }
        return {name for name, value in names.items() if value not in (None, "")}


def _offered_skills_prefetch() -> Prefetch:
    return Prefetch(
        "offered_skills",
        queryset=OfferedSkill.objects.select_related("skill").order_by("-level", "skill__name"),
    )


def _wanted_skills_prefetch() -> Prefetch:
    return Prefetch(
        "wanted_skills",
        queryset=WantedSkill.objects.select_related("skill").order_by("priority", "skill__name"),
    )


# The people list's sortable columns (mentora.core.sorting): key → ordering. Seniority is not public:
# only those who curate the people database may sort by it, as they alone may filter by it.
PERSON_SORTS = {
    "name": ("full_name", "pk"),
    "job_title": ("job_title", "full_name", "pk"),
    "department": ("department__name", "full_name", "pk"),
    "location": ("location", "full_name", "pk"),
}
PERSON_MANAGER_SORTS = PERSON_SORTS | {"seniority": ("seniority", "full_name", "pk")}


def person_sorts(viewer: Viewer) -> dict[str, tuple[str, ...]]:
    return PERSON_MANAGER_SORTS if viewer.manages_people else PERSON_SORTS


def person_list(
    *,
    viewer: Viewer,
    filters: PersonFilters,
    order_by: tuple[str, ...] = PERSON_SORTS["name"],
    full_profiles: bool = True,
) -> QuerySet[Person]:
    """The viewer's organisation, searched and filtered on the fields the viewer may see.

    `full_profiles` loads what the API's person shape shows besides the page's table (wanted
    skills, languages, the manager): the page leaves them out, two queries and a join fewer."""
    if not can_list_people(viewer):
        return Person.objects.none()
    check_filters_allowed(viewer, filters.used())
    people = Person.objects.filter(organisation_id=viewer.organisation_id)
    if not viewer.manages_people:
        people = people.filter(is_active=True)

    if filters.q:
        q = filters.q.strip()
        skill_match = Exists(
            OfferedSkill.objects.filter(person=OuterRef("pk")).filter(
                Q(skill__name__icontains=q)
                | Q(skill__in=SkillAlias.objects.filter(alias__icontains=q).values("skill"))
            )
        )
        match = Q(full_name__icontains=q) | Q(job_title__icontains=q) | skill_match
        if viewer.manages_people:
            match |= Q(email__icontains=q) | Q(employee_id__icontains=q)
        people = people.filter(match)
    if filters.department_id:
        people = people.filter(department_id=filters.department_id)
    if filters.seniority:
        people = people.filter(seniority=filters.seniority)
    if filters.location:
        people = people.filter(location=filters.location)
    if filters.role:
        people = people.filter(
            Exists(RoleMembership.objects.filter(person=OuterRef("pk"), role=filters.role))
        )
    if filters.skill_id:
        people = people.filter(
            Exists(OfferedSkill.objects.filter(person=OuterRef("pk"), skill_id=filters.skill_id))
        )

    people = people.select_related("department").prefetch_related(_offered_skills_prefetch())
    if full_profiles:
        people = people.prefetch_related(_wanted_skills_prefetch(), "languages")
    if viewer.manages_people:
        people = people.prefetch_related("role_memberships")
        if full_profiles:
            people = people.select_related("manager")
    return people.order_by(*order_by)


@dataclass
class PersonRow:
    person: Person
    access: Access


@dataclass
class PersonPage:
    page: Page
    rows: list[PersonRow] = field(default_factory=list)


def person_page(
    *,
    viewer: Viewer,
    filters: PersonFilters,
    page_number: int | str | None,
    order_by: tuple[str, ...] = PERSON_SORTS["name"],
    full_profiles: bool = True,
) -> PersonPage:
    """One page of `person_list`, each row with the viewer's access level to that person."""
    people = person_list(viewer=viewer, filters=filters, order_by=order_by, full_profiles=full_profiles)
    page = Paginator(people, PAGE_SIZE).get_page(page_number)
    reports = (
        set() if viewer.manages_people or viewer.person is None else report_ids(manager_id=viewer.person.pk)
    )
    rows = [PersonRow(person, person_access(viewer, person, report_ids=reports)) for person in page]
    return PersonPage(page=page, rows=rows)


def person_get(*, viewer: Viewer, person_id: int) -> Person:
    """A person of the viewer's organisation with their profile, or 404 for anyone else."""
    person = (
        Person.objects.select_related("department", "manager", "organisation")
        .prefetch_related(
            _offered_skills_prefetch(), _wanted_skills_prefetch(), "languages", "role_memberships"
        )
        .filter(pk=person_id)
        .first()
    )
    if person is None or not same_organisation(viewer, person):
        raise Http404
    if not person.is_active and not viewer.manages_people and person.pk != viewer.person.pk:
        raise Http404
    return person


def locations(*, organisation_id: int) -> list[str]:
    return list(
        Person.objects.filter(organisation_id=organisation_id)
        .exclude(location="")
        .order_by("location")
        .values_list("location", flat=True)
        .distinct()
    )


def departments(*, organisation_id: int) -> QuerySet[Department]:
    return Department.objects.filter(organisation_id=organisation_id).order_by("name")


def skills(*, organisation_id: int) -> QuerySet[Skill]:
    """The skills offered for picking: those in use, not new ones waiting for review or retired ones."""
    return (
        Skill.objects.filter(organisation_id=organisation_id, status=SkillStatus.ACTIVE)
        .select_related("category")
        .order_by("name")
    )


def skill_list_for_review(*, organisation_id: int, status: str | None = None) -> QuerySet[Skill]:
    """Every skill of the organisation for its admins, with how many people offer and want each."""
    listed = Skill.objects.filter(organisation_id=organisation_id)
    if status:
        listed = listed.filter(status=status)
    return (
        listed.select_related("category", "merged_into")
        .prefetch_related(Prefetch("aliases", queryset=SkillAlias.objects.order_by("alias")))
        # One COUNT subquery each: joining both tables multiplies every skill's offers by its wants
        # (26 s for the skills page at 5,000 people, docs/performance.md).
        .annotate(
            offered_count=aggregate_subquery(OfferedSkill.objects.filter(skill=OuterRef("pk")), "COUNT"),
            wanted_count=aggregate_subquery(WantedSkill.objects.filter(skill=OuterRef("pk")), "COUNT"),
        )
        .order_by("name", "pk")
    )


def skill_get_for_admin(*, organisation_id: int, skill_id: int) -> Skill:
    skill = Skill.objects.filter(organisation_id=organisation_id, pk=skill_id).first()
    if skill is None:
        raise Http404
    return skill


def skill_alias_get_for_admin(*, organisation_id: int, skill_id: int, alias_id: int) -> SkillAlias:
    alias = SkillAlias.objects.filter(organisation_id=organisation_id, skill_id=skill_id, pk=alias_id).first()
    if alias is None:
        raise Http404
    return alias


def person_by_email_or_employee_id(*, organisation_id: int, value: str) -> Person | None:
    people = Person.objects.filter(organisation_id=organisation_id)
    return people.filter(email__iexact=value).first() or people.filter(employee_id=value).first()


def direct_reports(*, person: Person) -> QuerySet[Person]:
    """The people reporting to `person`, with how many skills each offers and wants."""
    return (
        Person.objects.filter(manager=person, is_active=True)
        .select_related("department")
        .annotate(
            offered_count=Count("offered_skills", distinct=True),
            wanted_count=Count("wanted_skills", distinct=True),
        )
        .order_by("full_name", "pk")
    )


@dataclass(frozen=True)
class CompletenessItem:
    label: str
    done: bool


@dataclass(frozen=True)
class Completeness:
    items: list[CompletenessItem]

    @property
    def percent(self) -> int:
        return round(100 * sum(item.done for item in self.items) / len(self.items))

    @property
    def missing(self) -> list[CompletenessItem]:
        return [item for item in self.items if not item.done]


def profile_completeness(*, person: Person) -> Completeness:
    """What a participant has filled in, so the home page can nudge them."""
    # One query for the four related rows (every home page and the profile ask).
    filled = (
        Person.objects.filter(pk=person.pk)
        .values(
            has_languages=Exists(Person.languages.through.objects.filter(person_id=OuterRef("pk"))),
            has_offered=Exists(OfferedSkill.objects.filter(person_id=OuterRef("pk"))),
            has_wanted=Exists(WantedSkill.objects.filter(person_id=OuterRef("pk"))),
            has_self_assessment=Exists(SelfAssessment.objects.filter(person_id=OuterRef("pk"))),
        )
        .get()
    )
    return Completeness(
        items=[
            CompletenessItem(str(_("Job title")), bool(person.job_title)),
            CompletenessItem(str(_("Department")), person.department_id is not None),
            CompletenessItem(str(_("Location")), bool(person.location)),
            CompletenessItem(str(_("Languages")), filled["has_languages"]),
            CompletenessItem(str(_("Skills you can offer")), filled["has_offered"]),
            CompletenessItem(str(_("Skills you want to grow")), filled["has_wanted"]),
            CompletenessItem(str(_("Goals")), bool(person.goals)),
            CompletenessItem(str(_("Purpose")), bool(person.purpose)),
            CompletenessItem(str(_("Private self-assessment")), filled["has_self_assessment"]),
        ]
    )


@dataclass(frozen=True)
class OrganisationOverview:
    people: int
    active_people: int
    participants: int
    mentors: int
    departments: int
    roles: dict[str, int]
    top_offered: list[tuple[str, int]]
    top_wanted: list[tuple[str, int]]


def organisation_overview(*, organisation_id: int) -> OrganisationOverview:
    """Counts for the program manager's and leader's home page. Aggregates only, no private data."""
    people = Person.objects.filter(organisation_id=organisation_id)
    offers_a_skill = Exists(OfferedSkill.objects.filter(person_id=OuterRef("pk")))
    totals = people.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(is_active=True)),
        mentors=Count("pk", filter=Q(offers_a_skill, is_active=True)),
    )
    roles = dict(
        RoleMembership.objects.filter(person__organisation_id=organisation_id, person__is_active=True)
        .values_list("role")
        .annotate(n=Count("pk"))
        .order_by()
    )

    def top(related: str) -> list[tuple[str, int]]:
        return list(
            Skill.objects.filter(organisation_id=organisation_id)
            .annotate(n=Count(related, filter=Q(**{f"{related}__person__is_active": True})))
            .filter(n__gt=0)
            .order_by("-n", "name")
            .values_list("name", "n")[:5]
        )

    return OrganisationOverview(
        people=totals["total"],
        active_people=totals["active"],
        participants=roles.get(Role.PARTICIPANT, 0),
        mentors=totals["mentors"],
        departments=Department.objects.filter(organisation_id=organisation_id).count(),
        roles=roles,
        top_offered=top("offered_by"),
        top_wanted=top("wanted_by"),
    )


def department_headcounts(*, organisation_id: int) -> QuerySet[Department]:
    return (
        Department.objects.filter(organisation_id=organisation_id)
        .annotate(headcount=Count("people", filter=Q(people__is_active=True)))
        .order_by("name")
    )


@dataclass(frozen=True)
class DepartmentHeadcount:
    pk: int
    name: str
    headcount: int


@dataclass(frozen=True)
class OrganisationFigures:
    overview: OrganisationOverview
    departments: list[DepartmentHeadcount]


# A write path that forgets organisation_figures_changed shows old figures for at most this long.
ORGANISATION_FIGURES_SECONDS = 600


def organisation_figures(*, organisation_id: int) -> OrganisationFigures:
    """The overview and the departments' headcounts of the managers', admins' and leaders' homes: six
    queries over every person and skill row of the organisation, so kept in the cache under the
    organisation's figures version (one query by primary key), which every write changing them bumps.
    The version is read before the figures: a figure computed from older rows is never stored
    under a newer version."""
    version = (
        Organisation.objects.filter(pk=organisation_id).values_list("figures_version", flat=True).first()
    )
    key = f"organisation-figures:{organisation_id}:{version}"
    figures = cache.get(key)
    if figures is None:
        figures = OrganisationFigures(
            overview=organisation_overview(organisation_id=organisation_id),
            departments=[
                DepartmentHeadcount(pk=pk, name=name, headcount=headcount)
                for pk, name, headcount in department_headcounts(organisation_id=organisation_id).values_list(
                    "pk", "name", "headcount"
                )
            ],
        )
        cache.set(key, figures, ORGANISATION_FIGURES_SECONDS)
    return figures


def self_assessment_get(*, person: Person) -> SelfAssessment | None:
    """The owner's private self-assessment. Callers must have checked `can_read_private`."""
    return (
        SelfAssessment.objects.filter(person=person)
        .prefetch_related(Prefetch("ratings", queryset=_ratings_queryset()))
        .first()
    )


def _ratings_queryset() -> QuerySet[SelfAssessedSkill]:
    return SelfAssessedSkill.objects.select_related("skill").order_by("skill__name")


def demographics_get(*, person: Person) -> DemographicProfile | None:
    """The owner's demographic profile. Callers must have checked `can_read_private`."""
    return DemographicProfile.objects.filter(person=person).first()


HR_HISTORY_ON_PAGE = 50


def person_hr_history(*, viewer: Viewer, person: Person, limit: int | None = None) -> list[PersonHrChange]:
    """The person's HR changes, latest effective first, for those who see their work profile (the
    person, their line managers, program managers, org admins); PermissionDenied for other colleagues."""
    if person_access(viewer, person) < Access.TEAM:
        raise PermissionDenied(_("Only the person, their managers and the people team see their HR history."))
    changes = PersonHrChange.objects.filter(person=person).select_related("actor", "people_import")
    return list(changes[:limit] if limit else changes)
