"""Writes to sign-in accounts that only this app makes: lifting a lock-out, activation e-mails and
setting a first password from one, an organisation's second-factor rule. A leaver's access and
sign-in e-mail changes are in mentora/people/sign_in.py."""

import logging
from collections.abc import Collection

from allauth.account.models import EmailAddress
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.accounts.activation import activation_token, activation_user
from mentora.accounts.models import ActivationRound, ActivationRoundStatus, SignInPolicy
from mentora.audit.models import Action
from mentora.audit.services import record
from mentora.core.links import site_url
from mentora.core.refusals import Refusal
from mentora.core.roles import Viewer
from mentora.identity.selectors import provider_for_organisation
from mentora.people.models import Person
from mentora.people.permissions import same_organisation

logger = logging.getLogger(__name__)

ACTIVATION_MAX_PEOPLE = 10_000


def lockout_release(*, actor: Viewer, person: Person) -> int:
    """An org admin unlocks the sign-in of a person of their organisation. Returns how many
    attempt records were cleared (0: it was not locked)."""
    if not actor.is_org_admin or not same_organisation(actor, person):
        raise PermissionDenied(_("Only an org admin of the same organisation may unlock an account."))
    cleared = axes_reset(username=person.user.username)
    record(action=Action.LOCKOUT_RELEASED, actor=actor, target=person, details={"attempts_cleared": cleared})
    return cleared


# ---- activation ----------------------------------------------------------------------------


def _org_admin_only(actor: Viewer, message: str) -> None:
    if not actor.is_org_admin:
        raise PermissionDenied(message)


@transaction.atomic
def activation_round_start(
    *, actor: Viewer, person_ids: Collection[int] = (), never_signed_in: bool = False
) -> ActivationRound:
    """An org admin asks for activation e-mails to the chosen people of their organisation (and/or
    everyone active who never signed in). They are sent by a background task."""
    _org_admin_only(actor, _("Only org admins may send activation e-mails."))
    wanted = {int(pk) for pk in person_ids}
    people = Person.objects.filter(organisation_id=actor.organisation_id, is_active=True)
    chosen = set(people.filter(pk__in=wanted).values_list("pk", flat=True)) if wanted else set()
    if wanted - chosen:
        raise Refusal(_("Choose active people of your organisation."), code="unknown_people", field="people")
    if never_signed_in:
        chosen |= set(people.filter(user__last_login__isnull=True).values_list("pk", flat=True))
    if not chosen:
        message = (
            _("Everyone of your organisation has signed in already.")
            if never_signed_in and not wanted
            else _("Choose at least one person.")
        )
        raise Refusal(message, code="empty", field="people")
    if len(chosen) > ACTIVATION_MAX_PEOPLE:
        raise Refusal(
            _("Send at most %(max)d activation e-mails at once.") % {"max": ACTIVATION_MAX_PEOPLE},
            code="too_many",
            field="people",
        )
    activation = ActivationRound.objects.create(
        organisation_id=actor.organisation_id, created_by=actor.person
    )
    activation.people.set(chosen)
    transaction.on_commit(lambda: _enqueue_round(activation.pk))
    return activation


def _enqueue_round(round_id: int) -> None:
    from mentora.accounts.tasks import activation_round_task

    activation_round_task.enqueue(round_id)


def activation_round_run(*, round_id: int) -> ActivationRound | None:
    """Send a queued round's e-mails. None when it is not queued (another worker has it, or it ran)."""
    claimed = ActivationRound.objects.filter(pk=round_id, status=ActivationRoundStatus.QUEUED).update(
        status=ActivationRoundStatus.SENDING
    )
    if not claimed:
        return None
    activation = ActivationRound.objects.select_related("organisation", "created_by").get(pk=round_id)
    uses_sso = provider_for_organisation(organisation_id=activation.organisation_id) is not None
    sent = 0
    for person in activation.people.filter(is_active=True).select_related("user").order_by("pk"):
        try:
            activation_send(person=person, uses_sso=uses_sso)
        except Exception as error:  # one bad address must not stop the round
            logger.warning("Activation e-mail to person %s failed: %s", person.pk, error)
            continue
        sent += 1
    ActivationRound.objects.filter(pk=round_id).update(
        status=ActivationRoundStatus.DONE, sent=sent, finished_at=timezone.now()
    )
    record(
        action=Action.ACTIVATION_SENT,
        actor=activation.created_by,
        organisation=activation.organisation_id,
        target=activation,
        details={"round": round_id, "sent": sent},
    )
    activation.refresh_from_db()
    return activation


def activation_links_hand_over(*, actor: Viewer, person_ids: Collection[int]) -> list[tuple[Person, str]]:
    """For an organisation that sends its own e-mail: each chosen person's activation link (single
    use, expiring), given to an org admin instead of e-mailed. Audited: a link lets its holder
    choose the person's password."""
    _org_admin_only(actor, _("Only org admins may take activation links."))
    wanted = {int(pk) for pk in person_ids}
    if not wanted:
        raise Refusal(_("Choose at least one person."), code="empty", field="person_ids")
    if len(wanted) > ACTIVATION_MAX_PEOPLE:
        message = ngettext(
            "Take at most %(max)d activation link at once.",
            "Take at most %(max)d activation links at once.",
            ACTIVATION_MAX_PEOPLE,
        ) % {"max": ACTIVATION_MAX_PEOPLE}
        raise Refusal(message, code="too_many", field="person_ids")
    people = list(
        Person.objects.filter(organisation_id=actor.organisation_id, is_active=True, pk__in=wanted)
        .select_related("user")
        .order_by("pk")
    )
    if len(people) != len(wanted):
        raise Refusal(
            _("Choose active people of your organisation."), code="unknown_people", field="person_ids"
        )
    # The link sets a password: handed to someone else, it must never replace one the person chose.
    if any(person.user.has_usable_password() or person.user.last_login is not None for person in people):
        raise Refusal(
            _("Activation links are only for people who never had a password: they reset theirs themselves."),
            code="has_password",
            field="person_ids",
        )
    links = [(person, site_url("accounts:activate", activation_token(user=person.user))) for person in people]
    record(
        action=Action.ACTIVATION_LINK_HANDED_OVER,
        actor=actor.person,
        details={"people": [person.pk for person in people]},
    )
    return links


def activation_send(*, person: Person, uses_sso: bool = False) -> None:
    """E-mail one person a link to set their password (single use, expiring)."""
    days = settings.ACCOUNT_ACTIVATION_DAYS
    link = site_url("accounts:activate", activation_token(user=person.user))
    sso = (
        _(
            "Your organisation also signs in with single sign-on: you can use that on the sign-in page "
            "instead.\n"
        )
        if uses_sso
        else ""
    )
    send_mail(
        subject=_("Your Mentora account: choose a password"),
        message=ngettext(
            "Hello %(name)s,\n\nYou have an account on Mentora, your organisation's mentoring programs.\n"
            "Choose your password here (the link works once, for %(days)d day):\n%(link)s\n\n%(sso)s"
            "Then sign in with this e-mail address: %(email)s\n",
            "Hello %(name)s,\n\nYou have an account on Mentora, your organisation's mentoring programs.\n"
            "Choose your password here (the link works once, for %(days)d days):\n%(link)s\n\n%(sso)s"
            "Then sign in with this e-mail address: %(email)s\n",
            days,
        )
        % {"name": person.full_name, "days": days, "link": link, "sso": sso, "email": person.email},
        from_email=None,
        recipient_list=[person.email],
    )


@transaction.atomic
def account_activate(*, token: str, password: str):
    """Set the first password from an activation link. The link stops working (the password is part
    of what it signs); the address it was sent to counts as verified."""
    user = activation_user(token=token)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise Refusal(error.messages, code="weak_password", field="new_password1") from None
    user.set_password(password)
    user.save(update_fields=["password"])
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email.lower(), "primary": True}
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    return user


# ---- second factor ---------------------------------------------------------------------------


@transaction.atomic
def sign_in_policy_set(*, actor: Viewer, mfa_required_for_staff: bool) -> SignInPolicy:
    """An org admin requires (or stops requiring) a second factor of their organisation's org admins
    and program managers."""
    _org_admin_only(actor, _("Only org admins may change the sign-in rules."))
    policy, _created = SignInPolicy.objects.select_for_update().get_or_create(
        organisation_id=actor.organisation_id
    )
    if policy.mfa_required_for_staff != mfa_required_for_staff:
        policy.mfa_required_for_staff = mfa_required_for_staff
        policy.save(update_fields=["mfa_required_for_staff", "updated_at"])
        record(
            action=Action.MFA_ENABLED if mfa_required_for_staff else Action.MFA_DISABLED,
            actor=actor.user,
            organisation=actor.organisation_id,
            target=policy,
            details={"required_for": "org_admin,program_manager"},
        )
    return policy
