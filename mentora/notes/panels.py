from django.utils.translation import gettext_lazy as _

from mentora.notes.forms import NoteForm
from mentora.notes.models import NoteVisibility
from mentora.notes.selectors import note_list_visible_to
from mentora.workspace.panels import register


def _context(pair) -> dict:
    notes = list(note_list_visible_to(relationship=pair.relationship, person=pair.person))
    return {
        "shared_notes": [note for note in notes if note.visibility == NoteVisibility.SHARED],
        "private_notes": [note for note in notes if note.visibility == NoteVisibility.PRIVATE],
        "note_form": NoteForm(),
    }


register("notes", order=40, title=_("Notes"), template="notes/_panel.html", context=_context)
