"""Writes to sign-in accounts that only this app makes: lifting a lock-out. A leaver's access and
sign-in e-mail changes are in mentora/people/sign_in.py."""

from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from mentora.core.roles import Viewer
from mentora.people.models import Person
from mentora.people.permissions import same_organisation


def lockout_release(*, actor: Viewer, person: Person) -> int:
    """An org admin unlocks the sign-in of a person of their organisation. Returns how many
    attempt records were cleared (0: it was not locked)."""
    if not actor.is_org_admin or not same_organisation(actor, person):
        raise PermissionDenied(_("Only an org admin of the same organisation may unlock an account."))
    return axes_reset(username=person.user.username)
