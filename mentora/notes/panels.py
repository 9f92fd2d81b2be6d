from django.utils.translation import gettext_lazy as _

from mentora.notes.forms import NoteForm
from mentora.notes.models import NoteVisibility
from mentora.notes.selectors import NOTES_IN_PANEL, note_list_visible_to
from mentora.workspace.panels import register

# What a note's card shows (notes/_note.html): its writers' names, not their whole profiles, which
# made most of the panel's CPU (docs/performance.md).
NOTE_CARD_FIELDS = ("title", "body", "visibility", "updated_at", "author__full_name", "updated_by__full_name")


def _context(pair) -> dict:
    notes = note_list_visible_to(relationship=pair.relationship, person=pair.person).only(*NOTE_CARD_FIELDS)
    shared = notes.filter(visibility=NoteVisibility.SHARED)
    private = notes.filter(visibility=NoteVisibility.PRIVATE)
    return {
        "shared_notes": shared[:NOTES_IN_PANEL],
        "shared_count": shared.count(),
        "private_notes": private[:NOTES_IN_PANEL],
        "private_count": private.count(),
        "notes_in_panel": NOTES_IN_PANEL,
        "note_form": NoteForm(),
    }


register("notes", order=40, title=_("Notes"), template="notes/_panel.html", context=_context)
