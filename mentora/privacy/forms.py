from django import forms
from django.utils.translation import gettext_lazy as _

from mentora.privacy.models import MAX_RETENTION_MONTHS, REASON_MAX_CHARS, RetentionPolicy, RetentionRule


class RetentionForm(forms.Form):
    """One whole number of months per rule; empty keeps that content."""

    def __init__(self, *args, policy: RetentionPolicy, **kwargs):
        super().__init__(*args, **kwargs)
        for rule in RetentionRule:
            name = f"{rule.value}_months"
            self.fields[name] = forms.IntegerField(
                label=rule.label,
                required=False,
                min_value=1,
                max_value=MAX_RETENTION_MONTHS,
                initial=getattr(policy, name),
                help_text=_("Months; leave empty to keep."),
            )


class ErasureFindForm(forms.Form):
    person = forms.CharField(
        label=_("E-mail or employee id of the person to erase"), max_length=254, strip=True
    )


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_CHARS,
        help_text=_("For example: the person asked for erasure on 3 March."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this erases the person's private content for good and cannot be undone."),
        required=True,
    )
