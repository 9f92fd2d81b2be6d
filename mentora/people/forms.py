"""Forms parse and present input; the rules live in services.py (see `core.forms.apply_service_errors`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mentora.core.roles import Viewer
from mentora.organisations.models import Role
from mentora.people import selectors
from mentora.people.field_checks import time_zone_names
from mentora.people.models import (
    MAX_HOURS_PER_MONTH,
    MAX_SENIORITY,
    MAX_SKILL_LEVEL,
    DemographicProfile,
    Language,
    Person,
    Priority,
    SelfAssessment,
)
from mentora.people.selectors import PersonFilters


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": _("Name, job title, skill…")}),
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=None, required=False, empty_label=_("All departments")
    )
    location = forms.ChoiceField(label=_("Location"), required=False)
    skill = forms.ModelChoiceField(
        label=_("Offers skill"), queryset=None, required=False, empty_label=_("Any skill")
    )
    seniority = forms.TypedChoiceField(
        label=_("Seniority"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any level"))] + [(level, str(level)) for level in range(1, MAX_SENIORITY + 1)],
    )
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("Any role")), *Role.choices])

    def __init__(self, *args, viewer: Viewer, **kwargs):
        super().__init__(*args, **kwargs)
        org_id = viewer.organisation_id
        self.fields["department"].queryset = selectors.departments(organisation_id=org_id)
        self.fields["skill"].queryset = selectors.skills(organisation_id=org_id)
        self.fields["location"].choices = [("", _("Anywhere"))] + [
            (place, place) for place in selectors.locations(organisation_id=org_id)
        ]
        if viewer.manages_people:
            self.fields["q"].widget.attrs["placeholder"] = _("Name, email, employee id, job title, skill…")
        else:
            del self.fields["seniority"]
            del self.fields["role"]

    def filters(self) -> PersonFilters:
        """The valid part of the query; an invalid value is ignored rather than failing the page."""
        self.is_valid()
        data = self.cleaned_data
        return PersonFilters(
            q=data.get("q") or "",
            department_id=data["department"].pk if data.get("department") else None,
            seniority=data.get("seniority"),
            location=data.get("location") or "",
            role=data.get("role") or "",
            skill_id=data["skill"].pk if data.get("skill") else None,
        )


class ManagerField(forms.CharField):
    """A manager named by work email or employee id: a select listing a whole organisation does not scale."""

    def __init__(self, *, organisation_id: int, **kwargs):
        kwargs.setdefault("label", _("Manager"))
        kwargs.setdefault("help_text", _("Their work email address or employee id. Leave empty if none."))
        super().__init__(required=False, max_length=254, **kwargs)
        self.organisation_id = organisation_id

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        person = selectors.person_by_email_or_employee_id(organisation_id=self.organisation_id, value=value)
        if person is None:
            raise ValidationError(_("Nobody in your organisation has this email address or employee id."))
        return person


def _use_manager_field(form: forms.ModelForm) -> None:
    person = form.instance
    form.fields["manager"] = ManagerField(organisation_id=person.organisation_id)
    form.initial["manager"] = person.manager.email if person.manager_id else ""


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    seniority = forms.IntegerField(
        label=_("Seniority level"),
        min_value=1,
        max_value=MAX_SENIORITY,
        help_text=Person._meta.get_field("seniority").help_text,
    )
    availability_hours_per_month = forms.IntegerField(
        label=_("Availability (hours per month)"), min_value=0, max_value=MAX_HOURS_PER_MONTH
    )

    class Meta:
        model = Person
        fields = [
            "job_title",
            "department",
            "manager",
            "seniority",
            "location",
            "time_zone",
            "languages",
            "availability_hours_per_month",
            "meeting_mode",
            "goals",
            "purpose",
        ]
        widgets = {
            "languages": forms.CheckboxSelectMultiple,
            "goals": forms.Textarea(attrs={"rows": 4}),
            "purpose": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.instance
        self.fields["department"].queryset = selectors.departments(organisation_id=person.organisation_id)
        _use_manager_field(self)
        self.fields["languages"].queryset = Language.objects.order_by("name")

    def _post_clean(self):
        """Skip the model round-trip: the service validates and writes."""

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "job_title": data["job_title"],
            "department_id": data["department"].pk if data["department"] else None,
            "manager_id": data["manager"].pk if data["manager"] else None,
            "seniority": data["seniority"],
            "location": data["location"],
            "time_zone": data["time_zone"],
            "languages": list(data["languages"]),
            "availability_hours_per_month": data["availability_hours_per_month"],
            "meeting_mode": data["meeting_mode"],
            "goals": data["goals"],
            "purpose": data["purpose"],
        }


class PersonForm(forms.ModelForm):
    """What a program manager or org admin edits on someone's record. Not the e-mail, which is the
    sign-in name: `EmailChangeForm` starts its confirmed change."""

    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    seniority = forms.IntegerField(label=_("Seniority level"), min_value=1, max_value=MAX_SENIORITY)
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Person
        fields = [
            "full_name",
            "employee_id",
            "job_title",
            "job_family",
            "department",
            "manager",
            "seniority",
            "location",
            "time_zone",
            "leaving_date",
            "is_active",
        ]
        widgets = {"leaving_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"leaving_date": _("The person is deactivated on this day (kept in their HR history).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.instance
        self.fields["department"].queryset = selectors.departments(organisation_id=person.organisation_id)
        _use_manager_field(self)
        self.fields["roles"].initial = [membership.role for membership in person.role_memberships.all()]

    def _post_clean(self):
        """Skip the model round-trip: the service validates and writes."""

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        department, manager = data.pop("department"), data.pop("manager")
        data["department_id"] = department.pk if department else None
        data["manager_id"] = manager.pk if manager else None
        return data


class SkillRowForm(forms.Form):
    """One row of a skills table: a skill of the organisation and a number."""

    value_field = "level"

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"] = forms.ModelChoiceField(
            label=_("Skill"), queryset=selectors.skills(organisation_id=organisation_id)
        )
        self.order_fields(["skill"])

    def row(self) -> tuple[int, int]:
        return self.cleaned_data["skill"].pk, self.cleaned_data[self.value_field]


class OfferedSkillForm(SkillRowForm):
    level = forms.TypedChoiceField(
        label=_("Level"),
        coerce=int,
        choices=[("", "—")] + [(n, str(n)) for n in range(1, MAX_SKILL_LEVEL + 1)],
        help_text=_("1 = working knowledge … 5 = expert"),
    )


class WantedSkillForm(SkillRowForm):
    value_field = "priority"
    priority = forms.TypedChoiceField(
        label=_("Priority"), coerce=int, choices=Priority.choices, initial=Priority.MEDIUM
    )


class SelfAssessedSkillForm(SkillRowForm):
    level = forms.TypedChoiceField(
        label=_("My honest level"),
        coerce=int,
        choices=[("", "—")] + [(n, str(n)) for n in range(MAX_SKILL_LEVEL + 1)],
        help_text=_("0 = none … 5 = expert"),
    )


class SkillRowFormSet(forms.BaseFormSet):
    def rows(self) -> list[tuple[int, int]]:
        return [
            form.row() for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def skill_formset(form_class, *, prefix: str, organisation_id: int, data=None, initial=None):
    formset_class = forms.formset_factory(
        form_class, formset=SkillRowFormSet, extra=2, can_delete=True, max_num=50, validate_max=True
    )
    return formset_class(
        data, initial=initial, prefix=prefix, form_kwargs={"organisation_id": organisation_id}
    )


class SelfAssessmentForm(forms.ModelForm):
    class Meta:
        model = SelfAssessment
        fields = ["reflection"]
        widgets = {"reflection": forms.Textarea(attrs={"rows": 6})}

    def _post_clean(self):
        """Skip the model round-trip: the service validates and writes."""


class DemographicsForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_(
            "I agree that Mentora stores these answers and uses them only in aggregate, "
            "to check that programs are fair. I can withdraw at any time, which deletes them."
        ),
        required=False,
    )

    class Meta:
        model = DemographicProfile
        fields = ["consent", "gender", "age_band", "ethnicity", "disability", "under_sponsored"]

    def _post_clean(self):
        """Skip the model round-trip: the service validates and writes."""
