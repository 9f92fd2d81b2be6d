"""Look-ups for integrations: the organisation's skills and departments by id and name, to fill the
ids other endpoints take (a profile's skills, the people list's filters, a program's eligible
departments). Anyone with a person in the organisation reads them, as the pages' pickers do."""

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from mentora.api.calls import api_viewer
from mentora.api.pagination import Pages
from mentora.api.schemas import DepartmentOut
from mentora.people import selectors

skills_router = Router(tags=["people"])
departments_router = Router(tags=["people"])


class LookupIn(Schema):
    q: str = Field("", max_length=120, description="Part of the name, in any case.")


class SkillLookupOut(Schema):
    id: int
    name: str
    category: str = Field(alias="category.name")


def _named(queryset: QuerySet, q: str) -> QuerySet:
    return queryset.filter(name__icontains=q.strip()) if q.strip() else queryset


@skills_router.get("", response=list[SkillLookupOut], summary="The skills people can pick, by name")
@paginate(Pages)
def skill_lookup(request, filters: Query[LookupIn]):
    viewer = api_viewer(request)
    return _named(selectors.skills(organisation_id=viewer.organisation_id), filters.q).order_by("name", "pk")


@departments_router.get("", response=list[DepartmentOut], summary="My organisation's departments, by name")
@paginate(Pages)
def department_lookup(request, filters: Query[LookupIn]):
    viewer = api_viewer(request)
    return _named(selectors.departments(organisation_id=viewer.organisation_id), filters.q).order_by(
        "name", "pk"
    )
