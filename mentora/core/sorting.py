"""Lists sorted by the viewer: `?sort=<key>` or `?sort=-<key>` (descending), keys whitelisted per list.

A list names its sortable columns and the ordering each one means; an unknown or missing value
falls back to the list's default (never an error), so a hand-edited address cannot reach any other
field. Each column's header link (templates/core/_sort_header.html) carries the ordering it would
apply next and, on the sorted column, `aria-sort`.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class SortHeader:
    query: str  # the address's query string that sorts by this column (page reset)
    aria_sort: str  # "ascending" or "descending" on the sorted column, "" elsewhere


@dataclass(frozen=True)
class Sorting:
    value: str  # the applied sort, "key" or "-key"
    order_by: tuple[str, ...]
    headers: dict[str, SortHeader]


def sorting_for(
    request: HttpRequest, *, columns: Mapping[str, tuple[str, ...]], default: str, param: str = "sort"
) -> Sorting:
    """The sort the request asks for among `columns` (key → order_by fields, ascending), else `default`."""
    value = request.GET.get(param, "")
    if value.removeprefix("-") not in columns:
        value = default
    key, descending = value.removeprefix("-"), value.startswith("-")
    order_by = tuple(_reverse(field) if descending else field for field in columns[key])
    headers = {}
    for column in columns:
        sorted_here = column == key
        query = request.GET.copy()
        query[param] = f"-{column}" if sorted_here and not descending else column
        query.pop("page", None)
        headers[column] = SortHeader(
            query=f"?{query.urlencode()}",
            aria_sort=("descending" if descending else "ascending") if sorted_here else "",
        )
    return Sorting(value=value, order_by=order_by, headers=headers)


def _reverse(field: str) -> str:
    return field.removeprefix("-") if field.startswith("-") else f"-{field}"
