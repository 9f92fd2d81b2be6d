"""Form helpers shared by every app's pages."""

from django import forms
from django.core.exceptions import ValidationError


def apply_service_errors(
    form: forms.Form, error: ValidationError, *, formsets: dict[str, forms.BaseFormSet] | None = None
) -> None:
    """Show a service's ValidationError where the input came from: the field it names (`skill_id`
    names the `skill` field), the formset it names, or the form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    formsets = formsets or {}
    for name, messages in error.message_dict.items():
        field = name
        if field not in form.fields and field.endswith("_id") and field[:-3] in form.fields:
            field = field[:-3]
        if field in formsets:
            formsets[field].non_form_errors().extend(messages)
        else:
            form.add_error(field if field in form.fields else None, messages)
