from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label=_("New sign-in e-mail"),
        help_text=_("A confirmation link goes to this address; nothing changes until it is opened."),
    )


class SignInForm(AuthenticationForm):
    """Everyone signs in with their work e-mail (it is their sign-in name), not a "username"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.label = _("Work e-mail")
        field.widget.input_type = "email"
        field.widget.attrs.update({"autocomplete": "email", "autocapitalize": "none"})
