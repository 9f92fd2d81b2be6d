from django import forms

from mentora.advocacy.models import AdvocacyAction


class AdvocacyForm(forms.ModelForm):
    class Meta:
        model = AdvocacyAction
        fields = ["kind", "occurred_on", "description"]
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
