"""The API's request parser: JSON and query strings as ninja reads them, refusing NUL in any text.

PostgreSQL cannot store or even compare a text holding NUL (U+0000); the database would answer
with an error, and the caller with a 500. Refusing it here covers every endpoint's body and query
string at once (path parameters are all whole numbers).
"""

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja.errors import ValidationError
from ninja.parser import Parser


def _nul_locations(value: Any, location: tuple) -> list[tuple]:
    if isinstance(value, str):
        return [location] if "\x00" in value else []
    if isinstance(value, dict):
        found = [(*location, key) for key in value if isinstance(key, str) and "\x00" in key]
        for key, item in value.items():
            found += _nul_locations(item, (*location, key))
        return found
    if isinstance(value, list):
        found = []
        for index, item in enumerate(value):
            found += _nul_locations(item, (*location, index))
        return found
    return []


def _refuse_nul(value: Any, location: tuple) -> None:
    found = _nul_locations(value, location)
    if found:
        message = _("Text may not contain the NUL character (U+0000).")
        raise ValidationError([{"loc": list(place), "msg": message} for place in found])


class NulRefusingParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict:
        # ninja answers any error raised here with a 400 "Cannot parse request body" that keeps
        # this ValidationError as its cause; the API's error handlers answer it as a 422.
        data = super().parse_body(request)
        _refuse_nul(data, ("body",))
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict:
        result = super().parse_querydict(data, list_fields, request)
        _refuse_nul(result, ("query" if data is request.GET else "form",))
        return result
