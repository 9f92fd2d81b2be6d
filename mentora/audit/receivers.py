"""Events that come from outside Mentora's services: sign-ins (Django's auth signals, which
django-allauth's pages and SSO callbacks send too), lock-outs (django-axes), second factors and
passwords (django-allauth), and model changes (django-auditlog, see `tracked.py`)."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from auditlog.signals import post_log
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from mentora.audit import tracked
from mentora.audit.models import Action
from mentora.audit.services import record


def _account(login: str):
    """The account a sign-in name belongs to, if any (sign-in names are work e-mails)."""
    if not login:
        return None
    return get_user_model().objects.filter(username__iexact=login).select_related("person").first()


def _person_or_user(user):
    return getattr(user, "person", None) or user


@receiver(user_logged_in, dispatch_uid="mentora.audit.signed_in")
def signed_in(sender, request=None, user=None, **kwargs) -> None:
    record(action=Action.SIGN_IN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="mentora.audit.signed_out")
def signed_out(sender, request=None, user=None, **kwargs) -> None:
    if user is not None:
        record(action=Action.SIGN_OUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="mentora.audit.sign_in_failed")
def sign_in_failed(sender, credentials=None, request=None, **kwargs) -> None:
    """The account tried is the target: whoever typed the password is not known."""
    credentials = credentials or {}
    login = str(credentials.get("username") or credentials.get("email") or "")[:254]
    account = _account(login)
    record(
        action=Action.SIGN_IN_FAILED,
        target=_person_or_user(account) if account else None,
        details={"login": login},
        request=_WithoutUser(request),
    )


@receiver(user_locked_out, dispatch_uid="mentora.audit.locked_out")
def locked_out(sender, request=None, username=None, **kwargs) -> None:
    account = _account(username or "")
    record(
        action=Action.LOCKED_OUT,
        target=_person_or_user(account) if account else None,
        details={"login": (username or "")[:254]},
        request=_WithoutUser(request),
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="mentora.audit.mfa_added")
def mfa_added(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
    record(action=Action.MFA_ENABLED, actor=user, details={"type": authenticator.type}, request=request)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="mentora.audit.mfa_removed")
def mfa_removed(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
    record(action=Action.MFA_DISABLED, actor=user, details={"type": authenticator.type}, request=request)


@receiver(mfa_signals.authentication_failed, dispatch_uid="mentora.audit.mfa_failed")
def mfa_failed(sender, request=None, user=None, **kwargs) -> None:
    record(
        action=Action.SIGN_IN_FAILED,
        target=_person_or_user(user),
        details={"step": "second_factor"},
        request=_WithoutUser(request),
    )


@receiver(account_signals.password_changed, dispatch_uid="mentora.audit.password_changed")
@receiver(account_signals.password_set, dispatch_uid="mentora.audit.password_set")
@receiver(account_signals.password_reset, dispatch_uid="mentora.audit.password_reset")
def password_changed(sender, request=None, user=None, **kwargs) -> None:
    record(action=Action.PASSWORD_CHANGED, actor=user, request=request)


@receiver(post_log, dispatch_uid="mentora.audit.model_changed")
def model_changed(sender, instance, action, changes=None, log_entry=None, **kwargs) -> None:
    tracked.record_change(instance=instance, operation=action, changes=changes, log_entry=log_entry)


class _WithoutUser:
    """A request seen without its user: a failed sign-in's session may still belong to someone
    else signed in on the same browser, who did not type the password."""

    def __init__(self, request) -> None:
        self.META = request.META if request is not None else {}
        self.user = None
