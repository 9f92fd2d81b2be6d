from django import forms
from django.utils.translation import gettext_lazy as _

from mentora.audit.models import Action


class AuditFilterForm(forms.Form):
    """The audit log's filters, for the page and the API alike (all optional)."""

    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any action")), *Action.choices]
    )
    actor = forms.CharField(label=_("Done by (name contains)"), required=False, max_length=200)
    actor_id = forms.IntegerField(
        label=_("Done by (person id)"), required=False, min_value=1, max_value=2**31 - 1
    )
    target = forms.CharField(label=_("Done to (name contains)"), required=False, max_length=200)
    target_type = forms.CharField(label=_("Done to (kind)"), required=False, max_length=100)
    target_id = forms.CharField(label=_("Done to (id)"), required=False, max_length=64)
    since = forms.DateField(
        label=_("From (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To (date, included)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        if data.get("target_id") and not data.get("target_type"):
            self.add_error("target_type", _("Give the kind of record together with its id."))
        return data
