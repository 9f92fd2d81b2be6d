"""Writes to sign-in accounts: access of leavers, sessions, lock-outs, sign-in e-mail changes."""

from collections.abc import Collection
from importlib import import_module

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.api.services import api_tokens_revoke_all
from mentora.core.roles import Viewer
from mentora.people.models import Person
from mentora.people.permissions import same_organisation


def sessions_end(*, user_ids: Collection[int]) -> int:
    """Delete the open sessions of these users. Returns how many.

    Only database-backed sessions can be listed; with any other engine the authentication backend
    still refuses a deactivated person's session on its next request.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class") or not user_ids:
        return 0
    wanted = {str(pk) for pk in user_ids}
    model = store.get_model_class()
    decoder = store()
    ended = [
        session.pk
        for session in model.objects.filter(expire_date__gt=timezone.now()).only("pk", "session_data")
        if decoder.decode(session.session_data).get(SESSION_KEY) in wanted
    ]
    model.objects.filter(pk__in=ended).delete()
    return len(ended)


def account_access_end(*, user_ids: Collection[int]) -> None:
    """A leaver: no sign-in, no API token, no open session, from now on."""
    get_user_model().objects.filter(pk__in=user_ids).update(is_active=False)
    api_tokens_revoke_all(user_ids=user_ids)
    sessions_end(user_ids=user_ids)


def account_access_restore(*, user_ids: Collection[int]) -> None:
    """A returning person may sign in again (their old tokens stay revoked)."""
    get_user_model().objects.filter(pk__in=user_ids).update(is_active=True)


def lockout_release(*, actor: Viewer, person: Person) -> int:
    """An org admin unlocks the sign-in of a person of their organisation. Returns how many
    attempt records were cleared (0: it was not locked)."""
    if not actor.is_org_admin or not same_organisation(actor, person):
        raise PermissionDenied(_("Only an org admin of the same organisation may unlock an account."))
    return axes_reset(username=person.user.username)
