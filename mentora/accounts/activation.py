"""Activation links: a signed token naming the account and a digest of its sign-in state (password
hash and last sign-in). Setting the password changes that state, so a link works once; it also
expires after ACCOUNT_ACTIVATION_DAYS."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from mentora.core.links import site_url

ACTIVATION_SALT = "mentora.accounts.activation"


def _state(user) -> str:
    last = user.last_login.replace(microsecond=0, tzinfo=None) if user.last_login else ""
    return salted_hmac(ACTIVATION_SALT, f"{user.pk}|{user.password}|{last}").hexdigest()[:32]


def activation_token(*, user) -> str:
    return signing.dumps({"u": user.pk, "s": _state(user)}, salt=ACTIVATION_SALT, compress=True)


def first_password_link(*, user, then: str) -> str | None:
    """For an account that never had a password (imported, provisioned, invited): the absolute
    activation link, which leads on to `then` (a path on this site) once the password is chosen.
    None for an account that already has one."""
    if user.has_usable_password() or user.last_login is not None:
        return None
    return site_url("accounts:activate", activation_token(user=user), query={"next": then})


def activation_user(*, token: str):
    """The active account a valid, unused, unexpired token names; ValidationError otherwise."""
    invalid = ValidationError(
        _(
            "This activation link is not valid or was already used. Ask your org admin for a new one, "
            "or use \u201cForgot your password?\u201d on the sign-in page."
        ),
        code="invalid",
    )
    try:
        payload = signing.loads(token, salt=ACTIVATION_SALT, max_age=settings.ACCOUNT_ACTIVATION_DAYS * 86400)
    except signing.SignatureExpired:
        raise ValidationError(
            _(
                "This activation link has expired. Ask your org admin for a new one, or use "
                "\u201cForgot your password?\u201d on the sign-in page."
            ),
            code="expired",
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise invalid from None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise invalid
    user = get_user_model().objects.select_related("person").filter(pk=payload["u"], is_active=True).first()
    if user is None or not constant_time_compare(str(payload.get("s")), _state(user)):
        raise invalid
    person = getattr(user, "person", None)
    if person is not None and not person.is_active:
        raise invalid
    return user
