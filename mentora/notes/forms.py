from django import forms
from django.utils.translation import gettext_lazy as _

from mentora.notes.models import NOTE_MAX_CHARS, NoteVisibility
from mentora.notes.services import size_limit_message


class NoteForm(forms.Form):
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Up to %(limit)s characters.") % {"limit": f"{NOTE_MAX_CHARS:,}"},
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
