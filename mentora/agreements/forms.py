"""Forms parse input for the agreement and closure pages; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mentora.agreements.models import TEXT_LIMIT, Agreement, ClosureReason


class AgreementForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Agreement
        fields = ["expectations", "confidentiality", "cadence", "channel", "ending"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3}) for name in ["expectations", "confidentiality", "ending"]
        }


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you closing?"), choices=ClosureReason.choices, widget=forms.RadioSelect
    )
    learned = forms.CharField(
        label=_("What I learned"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional now, you can write it later. Your partner reads it; nobody else does."),
    )


class ExtendForm(forms.Form):
    ends_on = forms.DateField(label=_("New end date"), widget=forms.DateInput(attrs={"type": "date"}))


class ReflectionForm(forms.Form):
    # The closure page shows it beside CloseForm, whose box is also `learned`: a prefix keeps the ids apart.
    prefix = "reflection"
    learned = forms.CharField(
        label=_("What I learned"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Mentors learn too. Your partner reads it; nobody else does."),
    )


class EndForm(forms.Form):
    reason = forms.CharField(
        label=_("Would you like to say why? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only you and the program's managers will see this. The other person is told only that "
            "the relationship has ended."
        ),
    )
