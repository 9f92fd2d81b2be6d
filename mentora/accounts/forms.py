from allauth.account.forms import LoginForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth.forms import SetPasswordForm
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


class MfaAuthenticateForm(AuthenticateForm):
    """allauth's second-factor step, under the same lock as passwords: a locked sign-in name is
    refused before its code is checked, and each wrong code counts (mentora.accounts.receivers)."""

    def clean_code(self) -> str:
        request = context.request
        if not AxesProxyHandler.is_allowed(request, {"username": self.user.get_username()}):
            request.axes_locked_out = True
            raise forms.ValidationError(_("Sign-in locked after too many wrong attempts."), code="locked")
        return super().clean_code()


class ActivationForm(SetPasswordForm):
    """The first password, chosen from an activation link (validated by the service)."""


class ActivationRoundForm(forms.Form):
    people = forms.TypedMultipleChoiceField(
        label=_("People"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    never_signed_in = forms.BooleanField(
        label=_("Also everyone of the organisation who has never signed in"), required=False
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is accepted here: the service refuses people outside the organisation with its message.
        self.fields["people"].choices = [(person.pk, person.full_name) for person in candidates]
        self.fields["people"].valid_value = lambda value: True


class SignInPolicyForm(forms.Form):
    mfa_required_for_staff = forms.BooleanField(
        label=_("Require a second factor (authenticator app) for org admins and program managers"),
        help_text=_("They are sent to set it up at their next sign-in, before anything else."),
        required=False,
    )
