"""The name django-axes counts wrong attempts under, whichever sign-in path sent them."""

from django.http import HttpRequest


def lockout_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The sign-in name, lower-cased: `email` from the allauth sign-in form and the MFA step,
    `username` from /admin/ and `Client.login`; the form's `login` field when axes has no credentials."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        data = getattr(request, "POST", {})
        value = data.get("login") or data.get("username")
    return value.strip().lower() if isinstance(value, str) and value.strip() else None
