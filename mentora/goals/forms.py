from django import forms
from django.utils.translation import gettext_lazy as _

from mentora.goals.models import TEXT_LIMIT, Goal, GoalStatus


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Specific: what exactly do you want to achieve?"), max_length=200)
    measure = forms.CharField(
        label=_("Measurable: how will you know you got there?"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    plan = forms.CharField(
        label=_("Achievable: the steps, and the help you need"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    relevance = forms.CharField(
        label=_("Relevant: why this goal, and why now?"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target_date = forms.DateField(
        label=_("Time-bound: target date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    skills = forms.TypedMultipleChoiceField(
        label=_("Skills this goal grows"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chosen among the skills you want to grow, from your profile."),
    )

    def __init__(self, *args, skill_choices, goal: Goal | None = None, **kwargs):
        if goal is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": goal.title,
                "measure": goal.measure,
                "plan": goal.plan,
                "relevance": goal.relevance,
                "target_date": goal.target_date,
                "skills": [skill.pk for skill in goal.skills.all()],
                "status": goal.status,
            }
        super().__init__(*args, **kwargs)
        self.fields["skills"].choices = skill_choices
        if goal is not None:
            self.fields["status"] = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("New milestone"), max_length=200)


class ProgressForm(forms.Form):
    percent = forms.IntegerField(
        label=_("Progress (%)"), min_value=0, max_value=100, widget=forms.NumberInput(attrs={"step": 5})
    )
    text = forms.CharField(
        label=_("What happened?"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(forms.Form):
    # The goal page shows it beside ProgressForm, whose box is also `text`: a prefix keeps the ids apart.
    prefix = "comment"
    text = forms.CharField(
        label=_("Comment"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 2})
    )
