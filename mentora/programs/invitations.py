"""Invitations to a program: writes (docs/programs.md, "Invitations").

A manager's round of invitations (pasted addresses, or everyone eligible in some departments,
locations or seniority levels) is stored and resolved by a background task, in chunks, so that
its size is bounded only by MAX_INVITATION_ADDRESSES. Its report says who was invited and who was
not, and why. The e-mails leave from another task; each invitation's `emailed_at` is claimed by a
conditional update before its e-mail is sent, so a second worker sends nothing twice.
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.accounts.activation import first_password_link
from mentora.audit.models import Action
from mentora.audit.services import record
from mentora.core.batches import chunks
from mentora.core.forms import refusal_text
from mentora.core.links import site_url
from mentora.core.refusals import Refusal
from mentora.core.text import check_texts, one_line
from mentora.organisations.models import Department, Role
from mentora.people.models import MAX_SENIORITY, Person
from mentora.programs.models import (
    MAX_INVITATION_ADDRESSES,
    Enrolment,
    Invitation,
    InvitationBatch,
    InvitationBatchStatus,
    Program,
    ProgramStatus,
)
from mentora.programs.selectors import eligible_people
from mentora.programs.services import clean_locations

logger = logging.getLogger(__name__)

INVITATION_SALT = "mentora.programs.invitation"
INVITATION_MAX_AGE_SECONDS = 14 * 24 * 3600
# Rows per query: far below SQLite's and PostgreSQL's limits on parameters and expression depth.
CHUNK = 500
# How many names or addresses a report keeps per reason; it always keeps the count.
REPORT_SAMPLE = 50
MAX_ADDRESS_LENGTH = 320
REPORT_REASONS = ("duplicates", "unknown", "ineligible", "already_enrolled", "already_invited")


def _ensure_open(program: Program) -> None:
    if program.status != ProgramStatus.OPEN:
        raise Refusal(_("Open the program for enrolment before inviting people."), code="program_not_open")


# --- a round of invitations --------------------------------------------------------------------


def invitation_batch_start(
    *,
    program: Program,
    actor: Person,
    emails: list[str] | None = None,
    department_ids: list[int] | None = None,
    locations: list[str] | str | None = None,
    min_seniority: int | None = None,
    max_seniority: int | None = None,
    send_email: bool = True,
) -> InvitationBatch:
    """Store a round of invitations by address or by filter; a task resolves it once this
    transaction commits. Either addresses or a filter, not both. Without `send_email` nobody is
    e-mailed: the organisation sends its own, with the links `invitation_links` hands over."""
    _ensure_open(program)
    if not send_email and not _is_org_admin(actor):
        raise PermissionDenied(_("Only org admins may invite without Mentora's e-mails."))
    addresses = [email.strip() for email in emails or [] if email and email.strip()]
    locations = clean_locations(locations)
    department_ids = sorted(set(department_ids or []))
    by_filter = bool(department_ids or locations or min_seniority is not None or max_seniority is not None)
    if addresses and by_filter:
        raise Refusal(
            _("Invite either by email address or by department, location and seniority."),
            code="exclusive_inputs",
            field="emails",
        )
    if not addresses and not by_filter:
        raise Refusal(
            _("Give email addresses, or choose departments, locations or seniority levels."),
            code="required",
            field="emails",
        )
    if len(addresses) > MAX_INVITATION_ADDRESSES:
        raise Refusal(
            _("Invite at most %(max)s addresses at a time.") % {"max": MAX_INVITATION_ADDRESSES},
            code="too_many",
            field="emails",
        )
    if any(len(address) > MAX_ADDRESS_LENGTH for address in addresses):
        raise Refusal(
            ngettext(
                "An address is longer than %(max)s character.",
                "An address is longer than %(max)s characters.",
                MAX_ADDRESS_LENGTH,
            )
            % {"max": MAX_ADDRESS_LENGTH},
            code="too_long",
            field="emails",
        )
    for address in addresses:
        check_texts(single_line={"emails": address})
    for location in locations:
        check_texts(single_line={"locations": location})
    for field, value in (("min_seniority", min_seniority), ("max_seniority", max_seniority)):
        if value is not None and not 1 <= value <= MAX_SENIORITY:
            raise Refusal(
                _("Seniority is between 1 and %(max)s.") % {"max": MAX_SENIORITY},
                code="bad_range",
                field=field,
            )
    if min_seniority is not None and max_seniority is not None and min_seniority > max_seniority:
        raise Refusal(
            _("The lowest seniority must not be above the highest."), code="bad_range", field="min_seniority"
        )
    departments = list(
        Department.objects.filter(organisation_id=program.organisation_id, pk__in=department_ids)
    )
    if len(departments) != len(department_ids):
        raise Refusal(
            _("Choose departments of your organisation."), code="other_organisation", field="departments"
        )
    batch = InvitationBatch.objects.create(
        program=program,
        created_by=actor,
        addresses=addresses,
        locations=locations,
        min_seniority=min_seniority,
        max_seniority=max_seniority,
        send_email=send_email,
    )
    batch.departments.set(departments)
    transaction.on_commit(lambda: _enqueue_batch(batch.pk))
    return batch


def _is_org_admin(person: Person) -> bool:
    return person.role_memberships.filter(role=Role.ORG_ADMIN).exists()


@dataclass(frozen=True)
class HandoverLink:
    invitation: Invitation
    link: str
    first_password_link: str | None


def invitation_links_of(invitation: Invitation) -> HandoverLink:
    """An invitation's fresh link, and the first-password link before it for an invitee who never
    had a password (None otherwise): what its e-mail carries."""
    token = invitation_token(invitation)
    return HandoverLink(
        invitation=invitation,
        link=site_url("programs:invitation", token),
        first_password_link=first_password_link(
            user=invitation.person.user, then=reverse("programs:invitation", args=[token])
        ),
    )


def invitation_links(*, batch: InvitationBatch, actor: Person) -> list[HandoverLink]:
    """The links of a round's open invitations, for an organisation that sends its own e-mail: an org
    admin's (or a service account's with their rights) only, and audited, since a first-password link
    lets its holder choose the invitee's password."""
    if not _is_org_admin(actor):
        raise PermissionDenied(_("Only org admins may take invitation links."))
    outstanding = _outstanding().filter(batch=batch).select_related("person__user").order_by("pk")
    links = [invitation_links_of(invitation) for invitation in outstanding]
    record(
        action=Action.INVITATION_LINKS_HANDED_OVER,
        actor=actor,
        target=batch.program,
        details={"round": batch.pk, "invitations": [handover.invitation.pk for handover in links]},
    )
    return links


def _enqueue_batch(batch_id: int) -> None:
    from mentora.programs.tasks import invitation_batch_task

    invitation_batch_task.enqueue(batch_id)


def _enqueue_emails(*, batch_id: int | None = None, invitation_id: int | None = None) -> None:
    from mentora.programs.tasks import invitation_emails_task

    invitation_emails_task.enqueue(batch_id, invitation_id)


def invitation_batch_run(*, batch_id: int) -> InvitationBatch | None:
    """Resolve a queued round: invite who may be invited, report the others. Returns None when the
    round is not queued (another worker has it, or it already ran)."""
    claimed = InvitationBatch.objects.filter(pk=batch_id, status=InvitationBatchStatus.QUEUED).update(
        status=InvitationBatchStatus.RUNNING, progress=1
    )
    if not claimed:
        return None
    batch = InvitationBatch.objects.select_related("program", "created_by").get(pk=batch_id)
    try:
        report = _resolve(batch)
        status = InvitationBatchStatus.DONE
    except ValidationError as error:
        report = {"message": refusal_text(error)}
        status = InvitationBatchStatus.FAILED
    except Exception:
        logger.exception("Invitation round %s failed", batch_id)
        report = {"message": _("The invitations failed unexpectedly. Try again later.")}
        status = InvitationBatchStatus.FAILED
    InvitationBatch.objects.filter(pk=batch_id).update(
        status=status, progress=100, report=report, finished_at=timezone.now()
    )
    if status == InvitationBatchStatus.DONE and report["invited"] and batch.send_email:
        transaction.on_commit(lambda: _enqueue_emails(batch_id=batch_id))
    batch.refresh_from_db()
    return batch


def _reason(report: dict, reason: str, label: str) -> None:
    entry = report[reason]
    entry["count"] += 1
    if len(entry["sample"]) < REPORT_SAMPLE:
        entry["sample"].append(label)


def _candidates_by_address(batch: InvitationBatch, report: dict) -> list[Person]:
    """The people behind the pasted addresses, in the order given; duplicates and unknown
    addresses are reported."""
    wanted: dict[str, str] = {}
    for address in batch.addresses:
        key = address.lower()
        if key in wanted:
            _reason(report, "duplicates", address)
        else:
            wanted[key] = address
    people: dict[str, Person] = {}
    active = Person.objects.filter(organisation_id=batch.program.organisation_id, is_active=True)
    for chunk in chunks(list(wanted), CHUNK):
        for person in active.annotate(email_key=Lower("email")).filter(email_key__in=chunk):
            people.setdefault(person.email_key, person)
    for key, address in wanted.items():
        if key not in people:
            _reason(report, "unknown", address)
    found = [people[key] for key in wanted if key in people]
    eligible_ids: set[int] = set()
    for chunk in chunks([person.pk for person in found], CHUNK):
        eligible_ids.update(
            eligible_people(program=batch.program).filter(pk__in=chunk).values_list("pk", flat=True)
        )
    for person in found:
        if person.pk not in eligible_ids:
            _reason(report, "ineligible", person.email)
    return [person for person in found if person.pk in eligible_ids]


def _candidates_by_filter(batch: InvitationBatch) -> QuerySet[Person]:
    """Everyone eligible for the program within the round's departments, locations and levels."""
    people = eligible_people(program=batch.program)
    department_ids = list(batch.departments.values_list("pk", flat=True))
    if department_ids:
        people = people.filter(department_id__in=department_ids)
    if batch.locations:
        people = people.annotate(location_key=Lower("location")).filter(
            location_key__in=[location.lower() for location in batch.locations]
        )
    if batch.min_seniority is not None:
        people = people.filter(seniority__gte=batch.min_seniority)
    if batch.max_seniority is not None:
        people = people.filter(seniority__lte=batch.max_seniority)
    return people.order_by("full_name", "pk")


def _resolve(batch: InvitationBatch) -> dict[str, Any]:
    program = batch.program
    _ensure_open(program)
    report: dict[str, Any] = {reason: {"count": 0, "sample": []} for reason in REPORT_REASONS}
    if batch.addresses:
        candidates = _candidates_by_address(batch, report)
    else:
        candidates = list(_candidates_by_filter(batch))
    # Anyone who applied (even if declined: an invitation would approve them at once) or holds an
    # invitation still open is reported, not invited again.
    enrolled = set(Enrolment.objects.filter(program=program).values_list("person_id", flat=True))
    invited = set(
        Invitation.objects.filter(program=program, accepted_at=None, revoked_at=None).values_list(
            "person_id", flat=True
        )
    )
    fresh = []
    for person in candidates:
        if person.pk in enrolled:
            _reason(report, "already_enrolled", person.email)
        elif person.pk in invited:
            _reason(report, "already_invited", person.email)
        else:
            fresh.append(person)
    pieces = list(chunks(fresh, CHUNK))
    for done, chunk in enumerate(pieces, start=1):
        with transaction.atomic():
            # A concurrent round may have invited someone meanwhile: the database's one-outstanding
            # rule skips them.
            Invitation.objects.bulk_create(
                [
                    Invitation(program=program, person=person, invited_by=batch.created_by, batch=batch)
                    for person in chunk
                ],
                ignore_conflicts=True,
            )
        InvitationBatch.objects.filter(pk=batch.pk).update(
            progress=max(1, min(99, 100 * done // len(pieces)))
        )
    report["invited"] = batch.invitations.count()
    return report


def program_invite(*, program: Program, actor: Person, emails: list[str]) -> list[Invitation]:
    """Invite by address at once, for callers already in the background (the demo loader); the
    e-mails still leave from their task. The invitations come in the order of the addresses."""
    batch = invitation_batch_start(program=program, actor=actor, emails=emails)
    invitation_batch_run(batch_id=batch.pk)
    return list(batch.invitations.order_by("pk"))


# --- the e-mails -------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=INVITATION_SALT).sign_object({"invitation": invitation.pk})


def _outstanding() -> QuerySet[Invitation]:
    return Invitation.objects.filter(accepted_at=None, revoked_at=None)


def invitation_emails_send(*, batch_id: int | None = None, invitation_id: int | None = None) -> int:
    """E-mail the outstanding invitations of a round (or one invitation) not e-mailed yet; returns
    how many were sent. A failure is recorded on the invitation, whose manager can resend it."""
    pending = _outstanding().filter(emailed_at=None, program__status=ProgramStatus.OPEN)
    if batch_id is not None:
        pending = pending.filter(batch_id=batch_id)
    if invitation_id is not None:
        pending = pending.filter(pk=invitation_id)
    sent = 0
    for pk in list(pending.order_by("pk").values_list("pk", flat=True)):
        if (
            not _outstanding()
            .filter(pk=pk, emailed_at=None)
            .update(emailed_at=timezone.now(), email_error="", email_attempts=F("email_attempts") + 1)
        ):
            continue  # another worker has it, or it was revoked or accepted meanwhile
        invitation = Invitation.objects.select_related("program", "person__user").get(pk=pk)
        try:
            _send(invitation)
        except Exception as error:
            logger.warning("Invitation %s was not e-mailed: %s", pk, error)
            Invitation.objects.filter(pk=pk).update(emailed_at=None, email_error=one_line(str(error))[:500])
            continue
        sent += 1
    return sent


def _first_password(link: str | None) -> str:
    """For an invitee who never had a password: a paragraph with the link that sets it first."""
    if link is None:
        return ""
    return "\n" + _(
        "First time in Mentora? Choose your password here first; it then leads to the invitation:\n%(link)s\n"
    ) % {"link": link}


def _send(invitation: Invitation) -> None:
    links = invitation_links_of(invitation)
    program = invitation.program
    send_mail(
        subject=one_line(_("You are invited to %(program)s") % {"program": program.name}),
        message=ngettext(
            "Hello %(name)s,\n\nYou are invited to take part in “%(program)s”.\n\n%(purpose)s\n\n"
            "Enrol here (the link works for %(days)s day):\n%(link)s\n",
            "Hello %(name)s,\n\nYou are invited to take part in “%(program)s”.\n\n%(purpose)s\n\n"
            "Enrol here (the link works for %(days)s days):\n%(link)s\n",
            INVITATION_MAX_AGE_SECONDS // 86400,
        )
        % {
            "name": invitation.person.full_name,
            "program": program.name,
            "purpose": program.purpose,
            "days": INVITATION_MAX_AGE_SECONDS // 86400,
            "link": links.link,
        }
        + _first_password(links.first_password_link),
        from_email=None,
        recipient_list=[invitation.person.email],
    )


# --- one invitation ----------------------------------------------------------------------------


def _ensure_outstanding(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise Refusal(_("This invitation was accepted."), code="already_accepted")
    if invitation.revoked_at is not None:
        raise Refusal(_("This invitation was withdrawn."), code="revoked")


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """E-mail an outstanding invitation again, with a fresh link."""
    _ensure_open(invitation.program)
    _ensure_outstanding(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(emailed_at=None, email_error="", email_attempts=0)
    transaction.on_commit(lambda: _enqueue_emails(invitation_id=invitation.pk))
    invitation.refresh_from_db()
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Withdraw an outstanding invitation: its link stops working."""
    _ensure_outstanding(invitation)
    if not _outstanding().filter(pk=invitation.pk).update(revoked_at=timezone.now()):
        raise Refusal(_("This invitation was accepted."), code="already_accepted")
    invitation.refresh_from_db()
    return invitation


def invitation_resolve(*, token: str, person: Person | None) -> Invitation:
    """The invitation behind a link, if it is genuine, unexpired, not withdrawn and addressed to
    this person."""
    signer = signing.TimestampSigner(salt=INVITATION_SALT)
    try:
        payload = signer.unsign_object(token, max_age=INVITATION_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise Refusal(
            _("This invitation link has expired. Ask the program manager for a new one."), code="expired"
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise Refusal(_("This invitation link is not valid."), code="invalid") from None
    invitation = (
        Invitation.objects.select_related("program", "person").filter(pk=payload.get("invitation")).first()
        if isinstance(payload, dict)
        else None
    )
    if invitation is None:
        raise Refusal(_("This invitation link is not valid."), code="invalid")
    if person is None or invitation.person_id != person.pk:
        raise Refusal(_("This invitation was sent to someone else."), code="not_yours")
    if invitation.revoked_at is not None:
        raise Refusal(_("This invitation was withdrawn."), code="revoked")
    return invitation
