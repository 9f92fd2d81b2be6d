"""Types and schemas that several apps' endpoints share. The OpenAPI schema names a component after
its class, so a shape used in more than one router lives here once instead of as same-named twins."""

import dataclasses
import functools
import operator
import types
import typing
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import AwareDatetime, BeforeValidator, create_model

from mentora.core.tables import Table

# Database ids are 64-bit: a larger number is refused as invalid input (422) before any query, where
# SQLite would fail on it (OverflowError) and PostgreSQL would answer nothing or fail differently.
ID_MAX = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=ID_MAX)]


def _true_or_false(value: object) -> bool:
    if isinstance(value, bool) or value in ("true", "false"):
        return value is True or value == "true"
    raise ValueError("Must be true or false.")


# Query strings and forms carry text: only the words true and false are booleans there (pydantic alone
# would also read 1, "yes", "on"…). JSON bodies use pydantic's StrictBool.
TextBool = Annotated[bool, BeforeValidator(_true_or_false)]


# A list's `updated_since` query parameter: ISO 8601 with its offset (a time without one is a 422,
# since it names no instant).
UpdatedSince = AwareDatetime | None


def changed_since(queryset: QuerySet, since: datetime | None) -> QuerySet:
    """The items of a list changed at or after `since` (their `updated_at`); all when it is None."""
    return queryset if since is None else queryset.filter(updated_at__gte=since)


class PersonRefOut(Schema):
    id: int
    full_name: str


class DepartmentOut(Schema):
    id: int
    name: str


def dataclass_schema(
    source: type,
    *,
    name: str | None = None,
    exclude: Collection[str] = (),
    nested: Mapping[type, type[Schema]] | None = None,
    descriptions: Mapping[str, str] | None = None,
    properties: Collection[str] = (),
) -> type[Schema]:
    """The response schema of an endpoint that returns a selector's dataclass: its fields, in order
    and with their types, so the two cannot drift apart. `exclude` leaves out what only pages use
    (translated labels); `properties` adds computed properties (typed by their return annotation)
    after the fields; `nested` names the schema of each dataclass a field holds; the component is
    called `name` (the dataclass's name and "Out" unless given)."""
    nested = nested or {}
    descriptions = descriptions or {}
    hints = typing.get_type_hints(source)
    fields = {
        field.name: (
            _with_schemas(hints[field.name], nested),
            Field(
                field.default if field.default is not dataclasses.MISSING else ...,
                description=descriptions.get(field.name),
            ),
        )
        for field in dataclasses.fields(source)
        if field.name not in exclude
    }
    for prop in properties:
        annotation = typing.get_type_hints(getattr(source, prop).fget)["return"]
        fields[prop] = (_with_schemas(annotation, nested), Field(..., description=descriptions.get(prop)))
    return create_model(name or f"{source.__name__}Out", __base__=Schema, **fields)


def _with_schemas(annotation: object, nested: Mapping[type, type[Schema]]) -> object:
    """The annotation with every nested dataclass replaced by its schema (in lists, unions, dicts)."""
    if annotation in nested:
        return nested[annotation]
    arguments = typing.get_args(annotation)
    if not arguments:
        return annotation
    replaced = tuple(_with_schemas(argument, nested) for argument in arguments)
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        return functools.reduce(operator.or_, replaced)
    return origin[replaced]


class TableColumnOut(Schema):
    key: str
    label: str


class TableOut(Schema):
    """A `core.tables.Table`: the same figures a page shows beside its chart. A withheld cell is null."""

    key: str
    title: str
    note: str
    columns: list[TableColumnOut]
    rows: list[dict[str, Any]]


def table_out(table: Table) -> dict[str, object]:
    return {
        "key": table.key,
        "title": table.title,
        "note": table.note,
        "columns": [{"key": column.key, "label": column.label} for column in table.columns],
        "rows": table.records(),
    }
