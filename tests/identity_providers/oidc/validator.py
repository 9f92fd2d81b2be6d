from oauth2_provider.oauth2_validators import OAuth2Validator


class EmailClaimsValidator(OAuth2Validator):
    """The e-mail claims a company's provider sends. A user whose first name is "unverified" gets
    `email_verified: false`, as a provider does for an address it has not confirmed."""

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": user.first_name != "unverified",
            "name": user.get_full_name(),
            "given_name": user.first_name,
            "family_name": user.last_name,
        }
