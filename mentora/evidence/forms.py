from django import forms
from django.utils.translation import gettext_lazy as _

from mentora.evidence.services import MESSAGE_LIMIT, PairAction


class PairActionForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=PairAction.choices)
    message = forms.CharField(
        label=_("Message (for “Message the pair”)"),
        required=False,
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
