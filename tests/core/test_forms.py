"""A service's refusal is shown where the input came from, or as one error message."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from mentora.core.forms import apply_service_errors, flash_refusal


class SkillForm(forms.Form):
    skill = forms.CharField()
    level = forms.IntegerField()


RatingFormSet = forms.formset_factory(SkillForm)


def _form():
    form = SkillForm({"skill": "Python", "level": "2"})
    assert form.is_valid()
    return form


def test_a_refusal_without_fields_goes_on_the_whole_form():
    form = _form()
    apply_service_errors(form, ValidationError("The program is closed."))
    assert form.non_field_errors() == ["The program is closed."]


def test_a_field_refusal_goes_on_that_field_also_when_the_service_names_its_id():
    form = _form()
    apply_service_errors(form, ValidationError({"level": "Too high.", "skill_id": "Unknown skill."}))
    assert form.errors["level"] == ["Too high."]
    assert form.errors["skill"] == ["Unknown skill."]


def test_a_refusal_naming_no_field_of_the_form_goes_on_the_whole_form():
    form = _form()
    apply_service_errors(form, ValidationError({"version": "Someone else saved first."}))
    assert form.non_field_errors() == ["Someone else saved first."]


def test_a_refusal_naming_a_formset_goes_on_the_formset():
    form = _form()
    ratings = RatingFormSet({"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"})
    assert ratings.is_valid()
    apply_service_errors(
        form, ValidationError({"ratings": "Rate at most ten skills."}), formsets={"ratings": ratings}
    )
    assert list(ratings.non_form_errors()) == ["Rate at most ten skills."]
    assert form.is_valid()


def test_a_refusal_with_several_messages_is_flashed_as_one_error_message():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    flash_refusal(request, ValidationError(["The program is closed.", "Ask its manager."]))
    shown = list(get_messages(request))
    assert [(message.level_tag, message.message) for message in shown] == [
        ("error", "The program is closed. Ask its manager.")
    ]
