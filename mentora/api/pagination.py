"""One way to page every list endpoint: `?page=2&page_size=50` answers
`{"count": …, "page": 2, "pages": …, "results": [...]}` (the people list's shape).

    @router.get("/…", response=list[ThingOut])
    @paginate(Pages)
    def thing_list(request): return queryset_in_a_stable_order

An endpoint that builds each item's output itself returns `Mapped(queryset, out)`, so that `out`
runs for the page's items only.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Far beyond any list's last page; it keeps the database's OFFSET within its range.
MAX_PAGE = 1_000_000


class Mapped:
    """A queryset whose items become output (`out(item)`) only when their page is taken."""

    def __init__(self, queryset: QuerySet, out: Callable[[Any], Any]) -> None:
        self.queryset, self.out = queryset, out

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list:
        return [self.out(item) for item in self.queryset[window]]


class Pages(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    class Output(Schema):
        count: int
        page: int
        pages: int
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(
        self, queryset: QuerySet | Mapped, pagination: Input, request: HttpRequest, **params: Any
    ):
        count = queryset.count() if isinstance(queryset, QuerySet | Mapped) else len(queryset)
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "count": count,
            "page": pagination.page,
            "pages": max(1, -(-count // pagination.page_size)),
            "results": list(queryset[offset : offset + pagination.page_size]),
        }
