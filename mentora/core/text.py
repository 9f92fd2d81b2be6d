"""Which characters, and how many, a stored text may hold.

A single-line field (a name, a title, a place) ends up in e-mail headers, calendar files and table
cells: a line break there breaks the e-mail after the write was committed, so it is refused before.
No field may hold NUL (PostgreSQL refuses it) or another control character that no one types.
"""

import unicodedata
from collections.abc import Collection, Mapping

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CONTROL_CHARACTER = "control_character"

# Line breaks and tabs are what a multi-line text is made of; every other control character is not.
_MULTI_LINE_ALLOWED = frozenset("\n\r\t")
# Control characters (Cc: C0, DEL, C1, which include tab, CR and LF) and the Unicode line and
# paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def has_control_character(value: str, *, multi_line: bool = False) -> bool:
    allowed = _MULTI_LINE_ALLOWED if multi_line else frozenset()
    return any(char not in allowed and unicodedata.category(char) in _REFUSED_CATEGORIES for char in value)


def control_character_errors(
    *, single_line: Mapping[str, object] | None = None, multi_line: Mapping[str, object] | None = None
) -> dict[str, ValidationError]:
    """The field errors, keyed by field name, of the given texts; values that are not strings (None,
    an unset field) are someone else's to check."""
    errors: dict[str, ValidationError] = {}
    for fields, multi, message in (
        (single_line or {}, False, _("Use a single line without control characters (such as a line break).")),
        (multi_line or {}, True, _("Remove the control characters (such as NUL) from this text.")),
    ):
        for field, value in fields.items():
            if isinstance(value, str) and has_control_character(value, multi_line=multi):
                errors[field] = ValidationError(message, code=CONTROL_CHARACTER)
    return errors


def check_texts(
    *, single_line: Mapping[str, object] | None = None, multi_line: Mapping[str, object] | None = None
) -> None:
    """Refuse, with a field error each, the single-line texts that hold a line break, tab or other
    control character and the multi-line texts that hold a control character other than a line break
    or tab."""
    errors = control_character_errors(single_line=single_line, multi_line=multi_line)
    if errors:
        raise ValidationError(errors)


def check_model_texts(instance: models.Model, *, exclude: Collection[str] = ()) -> None:
    """`check_texts` for a model's own text fields: a CharField holds one line, a TextField many."""
    fields = [field for field in instance._meta.concrete_fields if field.name not in exclude]

    def values(kind: type[models.Field]) -> dict[str, object]:
        return {field.name: getattr(instance, field.attname) for field in fields if isinstance(field, kind)}

    check_texts(single_line=values(models.CharField), multi_line=values(models.TextField))


def too_long_error(value: str, *, limit: int) -> str | None:
    """The refusal of a text longer than `limit` characters, saying how long it is; None when it fits."""
    if len(value) <= limit:
        return None
    return ngettext(
        "Keep this under %(limit)d character (it has %(length)d).",
        "Keep this under %(limit)d characters (it has %(length)d).",
        limit,
    ) % {"limit": limit, "length": len(value)}


def one_line(value: str) -> str:
    """A text made safe for a one-line place such as an e-mail subject: rows that predate the check
    above may still hold line breaks."""
    return " ".join(
        "".join(" " if unicodedata.category(char) in _REFUSED_CATEGORIES else char for char in value).split()
    )
