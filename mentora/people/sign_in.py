"""A person's sign-in account: a leaver's access ended or restored, and a change of the sign-in
e-mail (started here by the person, a manager or the HR import; confirmed from the new address).

The `accounts` pages call these; they live with the people because the people's own writes (a
leaver, an import that changes an e-mail) need them too.
"""

from collections.abc import Collection
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.api.services import api_tokens_revoke_all
from mentora.audit.models import Action
from mentora.audit.services import record
from mentora.core.links import site_url
from mentora.core.refusals import Refusal
from mentora.core.roles import Viewer
from mentora.people.field_checks import email_error
from mentora.people.models import Person
from mentora.people.permissions import can_edit_person

EMAIL_CHANGE_SALT = "mentora.accounts.email-change"
EMAIL_CHANGE_MAX_AGE_SECONDS = 3 * 24 * 3600


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
        for session in model.objects.filter(expire_date__gt=timezone.now())
        .only("pk", "session_data")
        .iterator()
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


# ---- sign-in e-mail changes -----------------------------------------------------------------
#
# The e-mail is the sign-in name (and where a password reset goes), so a change takes effect only
# when someone opens a signed link sent to the NEW address. The link carries the OLD address: once
# any change is confirmed, every other link for that person stops working (single use, no replay).


def email_change_token(*, person: Person, new_email: str) -> str:
    payload = {"person": person.pk, "old": person.email, "new": new_email}
    return signing.TimestampSigner(salt=EMAIL_CHANGE_SALT).sign_object(payload)


def _check_email_free(person: Person, email: str, field: str) -> None:
    User = get_user_model()
    taken = (
        Person.objects.filter(organisation_id=person.organisation_id, email__iexact=email)
        .exclude(pk=person.pk)
        .exists()
        or User.objects.filter(username__iexact=email).exclude(pk=person.user_id).exists()
    )
    if taken:
        raise Refusal(_("Another account already uses this e-mail address."), code="email_taken", field=field)


def email_change_start(*, person: Person, new_email: str, requested_by: str) -> str:
    """Send the confirmation link to the new address and a notice to the old one. Changes nothing.

    For callers that have already checked who may ask (the request below, the people import).
    Returns the normalised new address."""
    new_email = new_email.strip().lower()
    if error := email_error(new_email):
        raise Refusal(error, code="invalid", field="new_email")
    if new_email == person.email.lower():
        raise Refusal(_("This is already the sign-in e-mail."), code="unchanged", field="new_email")
    _check_email_free(person, new_email, "new_email")
    link = site_url("accounts:email_confirm", email_change_token(person=person, new_email=new_email))
    days = EMAIL_CHANGE_MAX_AGE_SECONDS // 86400
    send_mail(
        subject=_("Confirm your new sign-in e-mail for Mentora"),
        message=ngettext(
            "Hello %(name)s,\n\n%(by)s asked to make this address your sign-in e-mail for Mentora.\n"
            "Confirm it here (the link works for %(days)d day, once):\n%(link)s\n\n"
            "If you did not expect this, ignore this message: nothing changes without your confirmation.\n",
            "Hello %(name)s,\n\n%(by)s asked to make this address your sign-in e-mail for Mentora.\n"
            "Confirm it here (the link works for %(days)d days, once):\n%(link)s\n\n"
            "If you did not expect this, ignore this message: nothing changes without your confirmation.\n",
            days,
        )
        % {"name": person.full_name, "by": requested_by, "days": days, "link": link},
        from_email=None,
        recipient_list=[new_email],
    )
    send_mail(
        subject=_("A change of your sign-in e-mail was requested"),
        message=ngettext(
            "Hello %(name)s,\n\n%(by)s asked to change your sign-in e-mail for Mentora to %(new)s.\n"
            "Nothing changes unless someone confirms from that address within %(days)d day.\n"
            "If you did not expect this, tell an organisation admin of yours now.\n",
            "Hello %(name)s,\n\n%(by)s asked to change your sign-in e-mail for Mentora to %(new)s.\n"
            "Nothing changes unless someone confirms from that address within %(days)d days.\n"
            "If you did not expect this, tell an organisation admin of yours now.\n",
            days,
        )
        % {"name": person.full_name, "by": requested_by, "new": new_email, "days": days},
        from_email=None,
        recipient_list=[person.email],
    )
    return new_email


def email_change_request(*, actor: Viewer, person: Person, new_email: str) -> str:
    """The person themselves, or a manager who may edit them, asks to change their sign-in e-mail."""
    is_self = actor.person is not None and actor.person.pk == person.pk
    if not is_self and not can_edit_person(actor, person):
        raise PermissionDenied(_("You may not change this person's sign-in e-mail."))
    requested_by = _("You") if is_self else actor.person.full_name
    new_email = email_change_start(person=person, new_email=new_email, requested_by=requested_by)
    record(action=Action.EMAIL_CHANGE_REQUESTED, actor=actor, target=person, details={"new_email": new_email})
    return new_email


def _email_change_payload(token: str) -> dict:
    signer = signing.TimestampSigner(salt=EMAIL_CHANGE_SALT)
    try:
        payload = signer.unsign_object(token, max_age=EMAIL_CHANGE_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise Refusal(_("This link has expired: ask for the change again."), code="expired") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise Refusal(_("This link is not valid."), code="invalid") from None
    if not isinstance(payload, dict) or not {"person", "old", "new"} <= payload.keys():
        raise Refusal(_("This link is not valid."), code="invalid")
    return payload


def _email_change_person(payload: dict, *, lock: bool = False) -> Person:
    people = Person.objects.select_related("user").filter(pk=payload["person"], is_active=True)
    person = (people.select_for_update() if lock else people).first()
    if person is None or person.email != payload["old"]:
        raise Refusal(_("This link was already used, or the e-mail changed since it was sent."), code="stale")
    return person


def email_change_preview(*, token: str) -> tuple[Person, str]:
    """The person and new address of a valid, unused link; ValidationError otherwise."""
    payload = _email_change_payload(token)
    return _email_change_person(payload), payload["new"]


@transaction.atomic
def email_change_confirm(*, token: str) -> Person:
    """Make the link's new address the person's e-mail and sign-in name (once: the person's row is
    locked, and a second confirmation finds the old address gone)."""
    payload = _email_change_payload(token)
    person = _email_change_person(payload, lock=True)
    new_email = payload["new"]
    _check_email_free(person, new_email, "email")
    user = person.user
    if user.username.lower() == person.email.lower():
        user.username = new_email
    user.email = new_email
    user.save(update_fields=["username", "email"])
    old_email, person.email = person.email, new_email
    person.save(update_fields=["email", "updated_at"])
    record(
        action=Action.EMAIL_CHANGED, target=person, details={"old_email": old_email, "new_email": new_email}
    )
    return person
