"""A changed password revokes the account's API tokens, whichever way it was changed (the
password page, a reset, /admin/, `manage.py changepassword`): all of them save the user. At
sign-in, note whether a second factor must be set up first."""

from allauth.mfa.signals import authentication_failed as mfa_authentication_failed
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import pre_save
from django.dispatch import receiver

from mentora.accounts.middleware import MFA_SETUP_SESSION_KEY
from mentora.accounts.selectors import mfa_setup_required
from mentora.api.services import api_tokens_revoke_all
from mentora.core.roles import viewer_for


@receiver(pre_save, sender=get_user_model(), dispatch_uid="mentora.accounts.password_changed")
def revoke_tokens_on_password_change(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is None or stored == instance.password:
        return
    # Signing in re-hashes an unchanged password when the hasher's settings change: not a change.
    new_raw = getattr(instance, "_password", None)
    if new_raw is not None and check_password(new_raw, stored):
        return
    api_tokens_revoke_all(user_ids=[instance.pk])


@receiver(user_logged_in, dispatch_uid="mentora.accounts.mfa_setup_check")
def note_mfa_setup_required(sender, request, user, **kwargs):
    """Decide at sign-in whether this person must set up a second factor first (see middleware)."""
    if request is None or not hasattr(request, "session"):
        return
    if mfa_setup_required(viewer=viewer_for(user)):
        request.session[MFA_SETUP_SESSION_KEY] = True
    else:
        request.session.pop(MFA_SETUP_SESSION_KEY, None)


@receiver(mfa_authentication_failed, dispatch_uid="mentora.accounts.mfa_code_wrong")
def count_wrong_mfa_code(sender, request, user, **kwargs):
    """A wrong second-factor code counts as a failed sign-in of that name (django-axes locks it out
    after AXES_FAILURE_LIMIT, as for wrong passwords; the audit log records it)."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
