"""A changed password revokes the account's API tokens, whichever way it was changed (the
password page, a reset, /admin/, `manage.py changepassword`): all of them save the user."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.db.models.signals import pre_save
from django.dispatch import receiver

from mentora.api.services import api_tokens_revoke_all


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
