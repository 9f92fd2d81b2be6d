"""Types and schemas that several apps' endpoints share. The OpenAPI schema names a component after
its class, so a shape used in more than one router lives here once instead of as same-named twins."""

from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator

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


class PersonRefOut(Schema):
    id: int
    full_name: str
