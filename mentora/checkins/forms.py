from django import forms
from django.utils.translation import gettext_lazy as _

from mentora.checkins.models import BLOCKERS_LIMIT, CheckinSchedule, GoalsAchieved, MeetingFrequency

USEFULNESS_CHOICES = [
    (1, _("1 — not useful")),
    (2, _("2")),
    (3, _("3")),
    (4, _("4")),
    (5, _("5 — very useful")),
]


class CheckinAnswerForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label=_("How useful is this relationship to you?"),
        choices=USEFULNESS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    meeting_frequency = forms.ChoiceField(
        label=_("How often do you meet?"), choices=MeetingFrequency.choices, widget=forms.RadioSelect
    )
    blockers = forms.CharField(
        label=_("Anything blocking you?"),
        required=False,
        max_length=BLOCKERS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Only you see this answer."),
    )
    tell_program_manager = forms.BooleanField(
        label=_("Tell the program manager that our pair would like help"),
        required=False,
        help_text=_(
            "Optional. If you tick this, the program manager sees that your pair asked for help and "
            "may contact you both. They still never see your answers."
        ),
    )


class EndSurveyForm(forms.Form):
    """The end-of-cycle survey looks back over the whole relationship."""

    usefulness = forms.TypedChoiceField(
        label=_("Overall, how useful was this relationship to you?"),
        choices=USEFULNESS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    goals_achieved = forms.ChoiceField(
        label=_("Did you achieve your goals?"), choices=GoalsAchieved.choices, widget=forms.RadioSelect
    )
    would_recommend = forms.TypedChoiceField(
        label=_("Would you recommend this program to a colleague?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    what_helped = forms.CharField(
        label=_("What helped most?"),
        required=False,
        max_length=BLOCKERS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    what_to_change = forms.CharField(
        label=_("What should change?"),
        required=False,
        max_length=BLOCKERS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Only you see your answers."),
    )


class CheckinScheduleForm(forms.ModelForm):
    class Meta:
        model = CheckinSchedule
        fields = [
            "enabled",
            "cadence_weeks",
            "midpoint_survey",
            "end_survey",
            "silent_after_weeks",
            "overdue_after_days",
        ]
        widgets = {
            "cadence_weeks": forms.NumberInput(attrs={"min": 1, "max": 12}),
            "silent_after_weeks": forms.NumberInput(attrs={"min": 1, "max": 12}),
            "overdue_after_days": forms.NumberInput(attrs={"min": 1, "max": 60}),
        }
