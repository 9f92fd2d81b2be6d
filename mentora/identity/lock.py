"""Brute-force protection of the single sign-on callbacks.

A failed callback (an assertion or token the provider check refuses, an identity Mentora refuses)
counts against the caller's address in the cache, and, when the callback named an e-mail, against
that sign-in name in django-axes, the same counter as wrong passwords (so the "Locked accounts" page
shows and unlocks it). Once either is over its limit the callback is refused until the window ends.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.http import HttpRequest


def _address_key(request: HttpRequest) -> str:
    return f"mentora:sso-failures:{get_client_ip_address(request)}"


def _credentials(email: str) -> dict:
    return {"username": email.strip().lower()}


def sso_is_locked(request: HttpRequest, *, email: str = "") -> bool:
    if cache.get(_address_key(request), 0) >= settings.SSO_FAILURE_LIMIT:
        return True
    return bool(email) and settings.AXES_ENABLED and AxesProxyHandler.is_locked(request, _credentials(email))


def sso_failure_record(request: HttpRequest, *, email: str = "") -> None:
    key = _address_key(request)
    if not cache.add(key, 1, timeout=settings.SSO_FAILURE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=settings.SSO_FAILURE_WINDOW)
    if email:
        user_login_failed.send(sender=__name__, credentials=_credentials(email), request=request)
