"""Forms for the matching pages; they parse input, the services validate it."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mentora.organisations.models import Department
from mentora.pairing.selectors import ProposalFilters
from mentora.programs.models import WEIGHT_FIELDS, MatchingComponent, Program


class RunForm(forms.Form):
    diversity_dial = forms.FloatField(
        label=_("Similarity ↔ diversity"),
        min_value=0,
        max_value=1,
        help_text=_("0 rewards similar backgrounds, 1 rewards different ones."),
    )
    min_tz_overlap_hours = forms.FloatField(
        label=_("Shared working hours needed"), min_value=0, max_value=24, initial=2
    )
    max_mentees_per_department = forms.IntegerField(
        label=_("At most this many mentees from one department"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    fairness_floor = forms.ChoiceField(
        label=_("Fairness"),
        required=False,
        choices=[
            ("", _("Best total score")),
            ("worst_group", _("Lift the worst-off department")),
            ("under_sponsored", _("Give priority to under-sponsored people")),
        ],
    )

    def __init__(self, *args, program: Program, **kwargs):
        initial = {field: getattr(program, field) for field in WEIGHT_FIELDS}
        initial["diversity_dial"] = program.similarity_diversity_dial
        initial["min_tz_overlap_hours"] = 2
        super().__init__(*args, initial=initial, **kwargs)
        # One weight a matching component, labelled as the component is everywhere else, first.
        weights = {
            f"weight_{component.value}": forms.FloatField(label=component.label, min_value=0, max_value=1)
            for component in MatchingComponent
            if component.value
        }
        self.fields = weights | self.fields
        for name in (*WEIGHT_FIELDS, "diversity_dial"):
            self.fields[name].widget.attrs.update({"step": "0.05"})

    def run_settings(self) -> dict:
        data = self.cleaned_data
        return {
            "weights": {field.removeprefix("weight_"): data[field] for field in WEIGHT_FIELDS},
            "diversity_dial": data["diversity_dial"],
            "options": {
                "min_tz_overlap_hours": data["min_tz_overlap_hours"],
                "max_mentees_per_department": data.get("max_mentees_per_department"),
                "fairness_floor": data.get("fairness_floor") or None,
            },
        }


class PairPeopleForm(forms.Form):
    """A mentor and a mentee of the program's organisation, by id (hidden fields of a list's button)."""

    mentor = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    mentee = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class PairByHandForm(forms.Form):
    mentor = forms.ChoiceField(label=_("Mentor"))
    mentee = forms.ChoiceField(label=_("Mentee"))
    note = forms.CharField(
        label=_("Note to both (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    override_reason = forms.CharField(
        label=_("Why pair them anyway? (only if they break a matching rule)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The same rules as a matching run apply. If this pair breaks one, it is refused unless "
            "you write why; the reason is kept and shown to the program's managers."
        ),
    )

    def __init__(self, *args, pool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = [
            (
                str(room.enrolment.person_id),
                ngettext("%(name)s (%(free)s free)", "%(name)s (%(free)s free)", room.free)
                % {"name": room.enrolment.person.full_name, "free": room.free},
            )
            for room in pool.mentors
        ]
        self.fields["mentee"].choices = [
            (str(enrolment.person_id), enrolment.person.full_name) for enrolment in pool.mentees
        ]


class SwapForm(forms.Form):
    first = forms.ModelChoiceField(queryset=None, label=_("This pair"))
    second = forms.ModelChoiceField(queryset=None, label=_("exchanges mentors with"))

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            self.fields[name].queryset = proposals
            self.fields[name].label_from_instance = lambda p: f"{p.mentor.full_name} → {p.mentee.full_name}"


class ProposalFilterForm(forms.Form):
    """Filters for the run page's list of pairs. Invalid values are ignored, not an error page."""

    name = forms.CharField(label=_("Name"), required=False, max_length=100)
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), label=_("Department"), required=False, empty_label=_("Any")
    )
    min_score = forms.FloatField(label=_("Score at least"), required=False, min_value=0, max_value=1)

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            organisation_id=program.organisation_id
        ).order_by("name")
        self.fields["name"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        self.fields["min_score"].widget.attrs.update({"step": "0.05"})

    def filters(self) -> ProposalFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        department = data.get("department")
        return ProposalFilters(
            department_id=department.pk if department else None,
            min_score=data.get("min_score"),
            name=(data.get("name") or "").strip(),
        )
