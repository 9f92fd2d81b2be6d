"""Writes for notes: private notes by their author alone; shared notes by either side, with the
`version` they saw so that two tabs cannot overwrite each other."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.core.refusals import Refusal
from mentora.core.text import control_character_errors, too_long_error
from mentora.notes.models import NOTE_MAX_CHARS, Note, NoteVisibility
from mentora.people.models import Person
from mentora.relationships.models import Relationship
from mentora.workspace.access import ensure_writable


def size_limit_message(length: int) -> str:
    return ngettext(
        "A note holds at most %(limit)s character and this one has %(length)s. Shorten it or split it "
        "in two; your text is still here.",
        "A note holds at most %(limit)s characters and this one has %(length)s. Shorten it or split it "
        "in two; your text is still here.",
        NOTE_MAX_CHARS,
    ) % {"limit": f"{NOTE_MAX_CHARS:,}", "length": f"{length:,}"}


def _clean(*, visibility: str, title: str, body: str) -> dict:
    errors: dict[str, list[ValidationError]] = {}
    title, body = title.strip(), body.strip()
    if visibility not in NoteVisibility.values:
        errors["visibility"] = [Refusal(_("Choose who can read the note."), code="bad_choice")]
    if not body:
        errors["body"] = [Refusal(_("Write something first."), code="empty")]
    elif len(body) > NOTE_MAX_CHARS:
        errors["body"] = [Refusal(size_limit_message(len(body)), code="too_long")]
    if too_long := too_long_error(title, limit=Note._meta.get_field("title").max_length):
        errors["title"] = [Refusal(too_long, code="too_long")]
    texts = control_character_errors(single_line={"title": title}, multi_line={"body": body})
    for field, error in texts.items():
        errors.setdefault(field, [error])
    if errors:
        raise ValidationError(errors)
    return {"visibility": visibility, "title": title, "body": body}


def note_create(
    *, relationship: Relationship, person: Person, visibility: str, body: str, title: str = ""
) -> Note:
    ensure_writable(relationship=relationship, person=person)
    fields = _clean(visibility=visibility, title=title, body=body)
    return Note.objects.create(relationship=relationship, author=person, updated_by=person, **fields)


def _ensure_may_edit(note: Note, person: Person) -> None:
    ensure_writable(relationship=note.relationship, person=person)
    if note.author_id != person.pk and note.is_private:
        # Selectors already hide these notes; this guards callers that did not use them.
        raise PermissionDenied(_("Only its author can change a private note."))


def note_update(
    *, note: Note, person: Person, version: int, body: str, title: str = "", visibility: str | None = None
) -> Note:
    """Change a note. Only its author changes who can read it."""
    _ensure_may_edit(note, person)
    visibility = visibility or note.visibility
    if visibility != note.visibility and note.author_id != person.pk:
        raise PermissionDenied(_("Only its author can change who reads a note."))
    fields = _clean(visibility=visibility, title=title, body=body)
    updated = Note.objects.filter(pk=note.pk, version=version).update(
        version=F("version") + 1, updated_by=person, updated_at=timezone.now(), **fields
    )
    if not updated:
        raise ValidationError(
            _(
                "This note was changed by someone else while you were editing it. Your text was not "
                "saved and is still below; their version is shown next to it."
            ),
            code="stale",
        )
    note.refresh_from_db()
    return note


def note_delete(*, note: Note, person: Person) -> None:
    ensure_writable(relationship=note.relationship, person=person)
    if note.author_id != person.pk:
        raise PermissionDenied(_("Only its author can delete a note."))
    note.delete()
