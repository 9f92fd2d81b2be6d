from django import forms
from django.utils.translation import gettext_lazy as _

from mentora.core.forms import IdsChoiceField
from mentora.identity.models import Protocol
from mentora.organisations.models import Role
from mentora.people.models import Person


class SsoStartForm(forms.Form):
    email = forms.EmailField(
        label=_("Work e-mail"),
        help_text=_("Mentora sends you to your organisation's sign-in page for this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
    )


class ProviderForm(forms.Form):
    """The org admin's single sign-on settings; the service checks and writes them."""

    protocol = forms.ChoiceField(label=_("Protocol"), choices=Protocol.choices, widget=forms.RadioSelect)
    domains = forms.CharField(
        label=_("E-mail domains"),
        help_text=_(
            "Your people's e-mail domains, separated by commas (example.com, example.co.uk). "
            "Whoever types an address of these domains on “Sign in with your organisation” is "
            "sent to your identity provider."
        ),
    )
    oidc_issuer = forms.CharField(
        label=_("Issuer (OpenID Connect)"),
        required=False,
        help_text=_("The issuer or its discovery address (…/.well-known/openid-configuration)."),
    )
    client_id = forms.CharField(label=_("Client id (OpenID Connect)"), required=False, max_length=191)
    client_secret = forms.CharField(
        label=_("Client secret (OpenID Connect)"),
        required=False,
        max_length=191,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Never shown again once saved. Leave empty to keep the stored secret."),
    )
    saml_metadata_xml = forms.CharField(
        label=_("IdP metadata XML (SAML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Paste your identity provider's metadata; it fills the three fields below."),
    )
    saml_entity_id = forms.CharField(label=_("IdP entity id (SAML)"), required=False)
    saml_sso_url = forms.CharField(label=_("IdP single sign-on address (SAML)"), required=False)
    saml_certificate = forms.CharField(
        label=_("IdP signing certificate (SAML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("PEM text, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----."),
    )
    email_attribute = forms.CharField(
        label=_("E-mail attribute (SAML)"),
        required=False,
        help_text=_("Leave empty to read the e-mail from the NameID."),
    )
    first_name_attribute = forms.CharField(label=_("First name attribute (SAML)"), required=False)
    last_name_attribute = forms.CharField(label=_("Last name attribute (SAML)"), required=False)
    enforce_sso = forms.BooleanField(
        label=_("Enforce single sign-on"),
        required=False,
        help_text=_(
            "Password sign-in is refused for your organisation's people, except the break-glass admins below."
        ),
    )
    break_glass_admins = IdsChoiceField(
        label=_("Break-glass admins"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Org admins who may still sign in with a password when single sign-on is enforced, "
            "should the identity provider fail."
        ),
    )

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["break_glass_admins"].queryset = Person.objects.filter(
            organisation_id=organisation_id, is_active=True, role_memberships__role=Role.ORG_ADMIN
        ).order_by("full_name")
