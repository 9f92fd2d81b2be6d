from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mentora.notes.models import NOTE_MAX_CHARS, NoteVisibility
from mentora.notes.services import size_limit_message


def _body_help() -> str:
    """Translated when shown, in the viewer's language (the form class is built once, at import)."""
    return ngettext("Up to %(limit)s character.", "Up to %(limit)s characters.", NOTE_MAX_CHARS) % {
        "limit": f"{NOTE_MAX_CHARS:,}"
    }


class NoteForm(forms.Form):
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=lazy(_body_help, str)(),
        strip=False,
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it?"),
        choices=NoteVisibility.choices,
        initial=NoteVisibility.PRIVATE,
        widget=forms.RadioSelect,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, can_change_visibility: bool = True, **kwargs):
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)
        if not can_change_visibility:
            del self.fields["visibility"]

    def clean_body(self):
        # The limit is checked here rather than with a maxlength attribute, which browsers enforce
        # by silently cutting pasted text: a long note must come back whole, with the message.
        body = self.cleaned_data["body"]
        if len(body.strip()) > NOTE_MAX_CHARS:
            raise forms.ValidationError(size_limit_message(len(body.strip())), code="max_length")
        return body
