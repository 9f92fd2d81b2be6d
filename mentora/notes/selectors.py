"""Reads for notes. The one rule: a note is visible to a person if it is shared in a relationship
they are part of, or if they wrote it."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from mentora.notes.models import Note, NoteVisibility
from mentora.people.models import Person
from mentora.relationships.models import Relationship
from mentora.workspace.access import Pair

# The pair's space shows the latest notes of each kind; the notes page shows them all, a page at a time.
NOTES_IN_PANEL = 10
NOTES_PER_PAGE = 20


def note_list_visible_to(*, relationship: Relationship, person: Person) -> QuerySet:
    if relationship.side_of(person) is None:
        return Note.objects.none()
    return (
        Note.objects.filter(relationship=relationship)
        .filter(Q(visibility=NoteVisibility.SHARED) | Q(author=person))
        .select_related("author", "updated_by")
        .order_by("-updated_at", "-id")
    )


def note_get_for_pair(*, pair: Pair, note_id: int) -> Note:
    """A note the viewer may read; 404 for the partner's private notes and other pairs' notes."""
    return get_object_or_404(
        note_list_visible_to(relationship=pair.relationship, person=pair.person), pk=note_id
    )
