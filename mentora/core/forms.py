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


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose ids the database can hold: Django checks each id's type but
    not its range, so an id past 64 bits reached the `__in` query and failed there (SQLite raises
    OverflowError), a 500 instead of the field's own "Select a valid choice"."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                out_of_range = not -(2**63) <= int(pk) < 2**63
            except (TypeError, ValueError):
                continue  # not a number: Django's own check words it
            if out_of_range:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)
