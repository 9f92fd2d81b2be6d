from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from mentora.identity.selectors import password_sign_in_refusal


class EnforcedSsoBackend:
    """First after django-axes: a password sign-in (any form, /admin/ included) of someone whose
    organisation enforces single sign-on stops here, unless they are one of its break-glass admins.
    PermissionDenied ends Django's authentication without asking the password backends.

    No `get_user`: Django's `force_login` and allauth's sign-in put the first backend that has one
    in the session, and a `get_user` answering None there signs everyone out at the next request."""

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **credentials):
        login = username or credentials.get("email") or credentials.get("login")
        if password is not None and password_sign_in_refusal(login=login or ""):
            raise PermissionDenied
        return None
