"""Forms parse input for the pages; the rules themselves live in `mentora.programs.services`."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mentora.core.forms import IdsChoiceField
from mentora.organisations.models import Department
from mentora.people import selectors as people_selectors
from mentora.programs.models import (
    AVAILABLE_FORMATS,
    MAX_MENTOR_CAPACITY,
    EnrolmentRole,
    IntakeQuestion,
    Program,
    ProgramFormat,
    QuestionKind,
)
from mentora.programs.services import PROGRAM_FIELDS, QUESTION_FIELDS, clean_locations


def _locations_text(locations) -> str:
    return ", ".join(locations or [])


class ProgramForm(forms.ModelForm):
    eligible_locations = forms.CharField(
        label=_("Eligible locations"),
        required=False,
        help_text=_("Comma-separated, e.g. “London, Lisbon”. Leave empty for every location."),
    )

    class Meta:
        model = Program
        fields = PROGRAM_FIELDS
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "eligible_departments": forms.CheckboxSelectMultiple,
            **{
                name: forms.NumberInput(attrs={"step": "0.05", "min": "0", "max": "1"})
                for name in (
                    "weight_goal_fit",
                    "weight_purpose",
                    "weight_diversity",
                    "weight_practical",
                    "weight_preference",
                    "similarity_diversity_dial",
                )
            },
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eligible_departments"].queryset = Department.objects.filter(organisation=organisation)
        self.fields["format"].choices = [(value, ProgramFormat(value).label) for value in AVAILABLE_FORMATS]
        if self.instance.pk:
            self.initial["eligible_locations"] = _locations_text(self.instance.eligible_locations)

    def clean_eligible_locations(self) -> list[str]:
        return clean_locations(self.cleaned_data["eligible_locations"])


class QuestionForm(forms.ModelForm):
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, for single and multiple choice questions."),
    )

    class Meta:
        model = IntakeQuestion
        fields = QUESTION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["choices"] = "\n".join(self.instance.choices or [])

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class CurriculumForm(forms.Form):
    items = forms.CharField(
        label=_("Curriculum"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One step per line; add a description after a colon: “Feedback: giving it well”."),
    )

    def clean_items(self) -> list[tuple[str, str]]:
        items = []
        for line in self.cleaned_data["items"].splitlines():
            if line.strip():
                title, _sep, description = line.partition(":")
                items.append((title.strip(), description.strip()))
        return items


class InviteForm(forms.Form):
    """Who to invite: pasted addresses, or everyone eligible in some departments, locations or
    seniority levels. The service checks the combination."""

    emails = forms.CharField(
        label=_("Email addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("People of your organisation, separated by commas or new lines."),
    )
    departments = IdsChoiceField(
        label=_("Or everyone eligible in these departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    locations = forms.CharField(
        label=_("Locations"),
        required=False,
        help_text=_("Comma-separated, e.g. “London, Lisbon”."),
    )
    min_seniority = forms.IntegerField(label=_("Lowest seniority"), required=False)
    max_seniority = forms.IntegerField(label=_("Highest seniority"), required=False)

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.filter(organisation_id=organisation_id)

    def clean_emails(self) -> list[str]:
        return [email for email in re.split(r"[\s,;]+", self.cleaned_data["emails"]) if email]


class StatusForm(forms.Form):
    status = forms.CharField()


class ManagerAddForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Add a manager"), queryset=None)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates


class EnrolForm(forms.Form):
    """The program's questionnaire. Which questions are required depends on the chosen role, so
    the service, not this form, decides what is missing."""

    role = forms.ChoiceField(label=_("I want to take part as"), widget=forms.RadioSelect)
    capacity = forms.IntegerField(
        label=_("How many mentees can you take?"),
        required=False,
        help_text=_("Mentors only. Between 1 and %(max)s.") % {"max": MAX_MENTOR_CAPACITY},
    )

    def __init__(self, *args, program, questions, may_mentor: bool, **kwargs):
        super().__init__(*args, **kwargs)
        roles = [(EnrolmentRole.MENTEE.value, EnrolmentRole.MENTEE.label)]
        if may_mentor:
            roles.append((EnrolmentRole.MENTOR.value, EnrolmentRole.MENTOR.label))
        else:
            del self.fields["capacity"]
        self.fields["role"].choices = roles
        # Ask only what is asked of a role this person may choose.
        self.questions = [q for q in questions if any(q.asked_of(role) for role, _label in roles)]
        if len(roles) == 1:
            self.initial["role"] = EnrolmentRole.MENTEE.value
        elif "capacity" in self.fields:
            self.initial["capacity"] = program.default_mentor_capacity
        skills = None
        for question in self.questions:
            if question.kind == QuestionKind.SKILL_PICK and skills is None:
                skills = [
                    (str(pk), name)
                    for pk, name in people_selectors.skills(
                        organisation_id=program.organisation_id
                    ).values_list("pk", "name")
                ]
            self.fields[f"q_{question.pk}"] = _question_field(question, skills)

    def answers(self) -> dict[int, object]:
        """Answers to the questions asked of the chosen role; a mentor-only answer given by
        someone who then chose to be a mentee is dropped, not refused."""
        role = self.cleaned_data["role"]
        asked = {question.pk for question in self.questions if question.asked_of(role)}
        return {
            int(name[2:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("q_") and int(name[2:]) in asked and value not in (None, "", [])
        }


def _question_field(question: IntakeQuestion, skills) -> forms.Field:
    label = question.prompt
    if question.audience != "everyone":
        label = f"{label} ({question.get_audience_display()})"
    help_text = question.help_text
    if question.max_picks:
        limit = ngettext("Pick at most one.", "Pick at most %(count)s.", question.max_picks) % {
            "count": question.max_picks
        }
        help_text = f"{help_text} {limit}".strip()
    common = {"label": label, "required": False, "help_text": help_text}
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        return forms.CharField(max_length=200, **common)
    if kind == QuestionKind.LONG_TEXT:
        return forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}), **common)
    if kind == QuestionKind.SINGLE_CHOICE:
        return forms.ChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common
        )
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == QuestionKind.SCALE:
        return forms.TypedChoiceField(
            choices=[(str(n), str(n)) for n in range(1, 6)], coerce=int, widget=forms.RadioSelect, **common
        )
    return forms.MultipleChoiceField(choices=skills or [], widget=forms.CheckboxSelectMultiple, **common)


class AvailabilityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Mentees I can take"))
    paused_until = forms.DateField(
        label=_("Not taking new mentees until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to take new mentees now."),
    )
