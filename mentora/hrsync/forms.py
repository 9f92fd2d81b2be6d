from django import forms
from django.utils.translation import gettext_lazy as _

from mentora.hrsync.models import MAX_EVERY_HOURS, SourceKind


class HrSyncSourceForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("Sync on schedule"),
        required=False,
        help_text=_("Read the source and import it at the interval below. “Run now” works either way."),
    )
    kind = forms.ChoiceField(label=_("Source"), choices=SourceKind.choices, widget=forms.RadioSelect)
    folder = forms.CharField(
        label=_("Folder on the server"),
        required=False,
        max_length=500,
        help_text=_("Its newest .csv or .xlsx file is imported. Only folders the server's operator allows."),
    )
    url = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=1000,
        help_text=_("An https:// address answering with a .csv or .xlsx file."),
    )
    bearer_token = forms.CharField(
        label=_("Bearer token"),
        required=False,
        max_length=1000,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Sent as “Authorization: Bearer …”. Leave empty to keep the saved one."),
    )
    remove_token = forms.BooleanField(label=_("Remove the saved token"), required=False)
    every_hours = forms.IntegerField(
        label=_("Every (hours)"), min_value=1, max_value=MAX_EVERY_HOURS, initial=24
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        token = "" if data["remove_token"] else (data["bearer_token"] or None)
        return {
            "enabled": data["enabled"],
            "kind": data["kind"],
            "folder": data["folder"],
            "url": data["url"],
            "bearer_token": token,
            "every_hours": data["every_hours"],
        }
