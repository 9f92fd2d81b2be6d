from django import forms

from mentora.programs.forms import QuestionForm as IntakeQuestionForm
from mentora.programs.services import LONG_TEXT_MAX, SHORT_TEXT_MAX
from mentora.surveys.models import AnswerKind, SurveyKind, SurveyQuestion, SurveySettings
from mentora.surveys.services import QUESTION_FIELDS


class SettingsForm(forms.ModelForm):
    class Meta:
        model = SurveySettings
        fields = ["fit_day", "first_day", "every_days", "at_closure", "fit_threshold"]


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(choices=SurveyKind.choices)
    enabled = forms.BooleanField(required=False)


class QuestionForm(IntakeQuestionForm):
    """The manager's own survey question: the intake questionnaire's form (its choices, one per
    line) over the survey's question fields."""

    class Meta:
        model = SurveyQuestion
        fields = QUESTION_FIELDS


def _field(question: SurveyQuestion) -> forms.Field:
    common = {"label": question.prompt, "required": False, "help_text": question.help_text}
    kind = question.kind
    if kind == AnswerKind.SHORT_TEXT:
        return forms.CharField(max_length=SHORT_TEXT_MAX, **common)
    if kind == AnswerKind.LONG_TEXT:
        return forms.CharField(max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}), **common)
    if kind == AnswerKind.SINGLE_CHOICE:
        return forms.ChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common
        )
    if kind == AnswerKind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    low = 0 if kind == AnswerKind.SCORE_0_10 else 1
    high = 10 if kind == AnswerKind.SCORE_0_10 else 5
    return forms.ChoiceField(
        choices=[(str(n), str(n)) for n in range(low, high + 1)], widget=forms.RadioSelect, **common
    )


class AnswerForm(forms.Form):
    """One field per question (`q_<id>`); the service checks every answer (required, ranges)."""

    def __init__(self, *args, questions: list[SurveyQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[f"q_{question.pk}"] = _field(question)

    def answers(self) -> dict[int, object]:
        return {int(name[2:]): value for name, value in self.cleaned_data.items() if value not in ("", [])}
