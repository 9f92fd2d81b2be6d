"""A service's refusal (a ValidationError) shown to the person: on the form it came from, or as an
error message on the page a view redirects to; the one wording of a refusal as text."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def apply_service_errors(
    form: forms.Form, error: ValidationError, *, formsets: dict[str, forms.BaseFormSet] | None = None
) -> None:
    """Show a service's ValidationError where the input came from: the field it names (`skill_id`
    names the `skill` field), the formset it names, or the form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    formsets = formsets or {}
    for name, field_messages in error.message_dict.items():
        field = name
        if field not in form.fields and field.endswith("_id") and field[:-3] in form.fields:
            field = field[:-3]
        if field in formsets:
            formsets[field].non_form_errors().extend(field_messages)
        else:
            form.add_error(field if field in form.fields else None, field_messages)


def refusal_text(error: ValidationError) -> str:
    """All of a refusal's messages as one text (a flash message, an API error, a task's report)."""
    return " ".join(error.messages)


def flash_refusal(request: HttpRequest, error: ValidationError) -> None:
    """A refusal shown as an error message on the next page, for a view that answers with a redirect."""
    messages.error(request, refusal_text(error))
