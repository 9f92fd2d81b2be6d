"""Types and schemas that several apps' endpoints share. The OpenAPI schema names a component after
its class, so a shape used in more than one router lives here once instead of as same-named twins."""

from typing import Annotated

from ninja import Field, Schema

# Database ids are 64-bit: a larger number is refused as invalid input (422) before any query, where
# SQLite would fail on it (OverflowError) and PostgreSQL would answer nothing or fail differently.
ID_MAX = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=ID_MAX)]


class PersonRefOut(Schema):
    id: int
    full_name: str
