from django import forms
from django.utils.translation import gettext_lazy as _


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label=_("New sign-in e-mail"),
        help_text=_("A confirmation link goes to this address; nothing changes until it is opened."),
    )
