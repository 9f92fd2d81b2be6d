from allauth.account.forms import LoginForm
from django import forms
from django.utils.translation import gettext_lazy as _


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label=_("New sign-in e-mail"),
        help_text=_("A confirmation link goes to this address; nothing changes until it is opened."),
    )


class SignInForm(LoginForm):
    """django-allauth's sign-in form: everyone signs in with their work e-mail, not a "username"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["login"]
        field.label = _("Work e-mail")
        field.widget.attrs.pop("placeholder", None)
        field.widget.attrs.update({"autocomplete": "email", "autocapitalize": "none"})
        self.fields["password"].help_text = ""
