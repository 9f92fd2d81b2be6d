"""A person's own API tokens through the API: create one from a signed-in browser session (with its
CSRF token) or from the sign-in e-mail and password (and the authenticator code when the person has a
second factor), list them and revoke them.

Credentials go through Django's `authenticate`, so the sign-in page's rules hold here too: django-axes
counts each wrong password or code against the same name and locks it out after AXES_FAILURE_LIMIT,
an organisation that enforces single sign-on refuses passwords, a leaver is refused. A bearer token
cannot make another token: a leaked token must not be able to outlive its own expiry. The creating
call takes no token, so its refusals are 403 (wrong password or code, CSRF), 429 (locked), 422
(neither a session nor credentials), never 401.
"""

from datetime import datetime

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from ninja.security import SessionAuth
from ninja.utils import check_csrf

from mentora.accounts.selectors import mfa_setup_required
from mentora.api.errors import ApiError, ErrorOut
from mentora.api.models import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, ApiToken, TokenScope
from mentora.api.pagination import Pages
from mentora.api.schemas import Id
from mentora.api.selectors import api_token_list
from mentora.api.services import api_token_create, api_token_revoke
from mentora.core.roles import viewer_for
from mentora.serviceaccounts.auth import OrganisationTokenAuth

router = Router(tags=["tokens"], auth=[OrganisationTokenAuth(), SessionAuth()])


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The token's first characters after `mnt_`, to recognise it.")
    scope: TokenScope
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None


class ApiTokenCreatedOut(ApiTokenOut):
    token: str = Field(description="The token itself: shown this once, never stored.")


class ApiTokenCreateIn(Schema):
    name: str = Field(max_length=100)
    scope: TokenScope = TokenScope.READ
    days: int = Field(DEFAULT_TOKEN_DAYS, ge=1, le=MAX_TOKEN_DAYS)
    email: str | None = Field(
        None, max_length=254, description="With `password`: sign in for this call (no session needed)."
    )
    password: str | None = Field(None, max_length=4096)
    code: str | None = Field(
        None, max_length=16, description="The authenticator app's code, when the person has a second factor."
    )


def _refused_sign_in(request) -> ApiError:
    if getattr(request, "axes_locked_out", False):
        return ApiError(429, "sign_in_locked", _("Sign-in locked after too many wrong attempts."))
    return ApiError(403, "invalid_credentials", _("The e-mail address or password is not right."))


def _user_from_credentials(request, *, email: str, password: str, code: str | None):
    user = authenticate(request, username=email, password=password)
    if user is None:
        raise _refused_sign_in(request)
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        if not code:
            raise ApiError(
                403,
                "code_required",
                _("Enter the code from your authenticator app."),
                [{"field": "code", "message": _("Enter the code from your authenticator app.")}],
            )
        if not TOTP(authenticator).validate_code(code):
            # Counts against the same name as a wrong password (django-axes; the audit log records it).
            user_login_failed.send(sender=__name__, credentials={"username": email}, request=request)
            raise ApiError(
                403,
                "invalid_code",
                _("This code is not right."),
                [{"field": "code", "message": _("This code is not right.")}],
            )
    elif mfa_setup_required(viewer=viewer_for(user)):
        raise ApiError(
            403, "mfa_setup_required", _("Set up your second factor on the site before creating API tokens.")
        )
    return user


def _user_from_session(request):
    if not request.user.is_authenticated:
        message = _("Send your e-mail address and password, or call from a signed-in session.")
        raise ApiError(
            422,
            "invalid_input",
            message,
            [{"field": "email", "message": message}, {"field": "password", "message": message}],
        )
    if check_csrf(request) is not None:
        raise ApiError(403, "csrf_failed", _("The CSRF token is missing or wrong: reload the page."))
    return request.user


@router.post(
    "/tokens",
    auth=None,
    response={201: ApiTokenCreatedOut, 403: ErrorOut, 429: ErrorOut},
    summary="Create one of my API tokens (from a session, or with e-mail and password)",
)
def token_create(request, payload: ApiTokenCreateIn, response: HttpResponse):
    response["Cache-Control"] = "no-store"  # the token: neither cached nor kept for an Idempotency-Key
    if payload.email is not None or payload.password is not None:
        if not payload.email or not payload.password:
            field = "password" if payload.email else "email"
            raise ApiError(
                422,
                "invalid_input",
                _("Send both the e-mail address and the password."),
                [{"field": field, "message": _("This field is required.")}],
            )
        user = _user_from_credentials(
            request, email=payload.email, password=payload.password, code=payload.code
        )
    else:
        user = _user_from_session(request)
    token, raw = api_token_create(user=user, name=payload.name, scope=payload.scope, days=payload.days)
    return Status(201, {**ApiTokenOut.from_orm(token).dict(), "token": raw})


@router.get("/tokens", response=list[ApiTokenOut], summary="My API tokens")
@paginate(Pages)
def token_list(request):
    return api_token_list(user=request.user)


@router.delete("/tokens/{int:token_id}", response={204: None}, summary="Revoke one of my API tokens")
def token_revoke(request, token_id: Id):
    try:
        api_token_revoke(user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist:
        raise ApiError(404, "not_found", _("Not found.")) from None
    return Status(204, None)
