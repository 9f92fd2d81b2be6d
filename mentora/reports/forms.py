from django import forms
from django.utils.translation import gettext_lazy as _

from mentora.core.forms import IdsChoiceField
from mentora.organisations.models import Role
from mentora.people.models import Person
from mentora.reports.models import ExportFormat
from mentora.reports.selectors import KINDS


class ExportForm(forms.Form):
    """What an export button posts: the kind, the format and, for a program's lists, the program."""

    kind = forms.ChoiceField(label=_("What"), choices=[(key, kind.label) for key, kind in KINDS.items()])
    format = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)
    program_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ReportScheduleForm(forms.Form):
    recipients = IdsChoiceField(
        label=_("Leaders who get the report every month"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each gets an e-mail with a link to the PDF on the first day of the month."),
    )

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = (
            Person.objects.filter(
                organisation_id=organisation_id, is_active=True, role_memberships__role=Role.LEADER
            )
            .distinct()
            .order_by("full_name")
        )
