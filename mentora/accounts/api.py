"""Account endpoints: org admins' locked-account list and unlock; sign-in e-mail changes;
activation e-mails; the organisation's sign-in rules (second factor)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import StrictBool

from mentora.accounts import selectors, services
from mentora.accounts.models import ActivationRoundStatus
from mentora.api.calls import api_viewer
from mentora.api.errors import ErrorOut
from mentora.api.schemas import Id
from mentora.core.roles import Viewer
from mentora.people import sign_in
from mentora.people.selectors import person_get

router = Router(tags=["accounts"])


class LockedAccountOut(Schema):
    person_id: int
    full_name: str
    login: str
    failures: int
    last_attempt: datetime.datetime
    unlocks_at: datetime.datetime


def _org_admin(request) -> Viewer:
    viewer = api_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may see and unlock locked accounts."))
    return viewer


@router.get("/lockouts", response=list[LockedAccountOut], summary="Locked accounts of my organisation")
def list_lockouts(request):
    """Org admins only: who of the organisation cannot sign in now after too many wrong passwords."""
    viewer = _org_admin(request)
    return [
        {
            "person_id": row.person.pk,
            "full_name": row.person.full_name,
            "login": row.person.user.username,
            "failures": row.failures,
            "last_attempt": row.last_attempt,
            "unlocks_at": row.unlocks_at,
        }
        for row in selectors.locked_accounts(organisation_id=viewer.organisation_id)
    ]


@router.post("/lockouts/{int:person_id}/unlock", response={204: None}, summary="Unlock someone's sign-in")
def unlock(request, person_id: Id):
    """Org admins only, for a person of their organisation (anyone else's id answers 404)."""
    viewer = _org_admin(request)
    services.lockout_release(actor=viewer, person=person_get(viewer=viewer, person_id=person_id))
    return Status(204, None)


class EmailChangeIn(Schema):
    person_id: Id
    new_email: str = Field(..., max_length=254)


class EmailChangeOut(Schema):
    person_id: int
    pending_email: str


@router.post(
    "/email-change",
    response={202: EmailChangeOut, 404: ErrorOut},
    summary="Ask to change a sign-in e-mail (confirmed by link)",
)
def email_change(request, payload: EmailChangeIn):
    """Your own, or that of a person you may edit (program managers, org admins; never someone whose
    role is higher than yours). A signed link, valid three days and once, goes to the new address and
    a notice to the current one; nothing changes until the link is confirmed."""
    viewer = api_viewer(request)
    person = person_get(viewer=viewer, person_id=payload.person_id)
    pending = sign_in.email_change_request(actor=viewer, person=person, new_email=payload.new_email)
    return Status(202, {"person_id": person.pk, "pending_email": pending})


class EmailConfirmIn(Schema):
    token: str = Field(..., max_length=1000, description="The token from the link sent to the new address")


class EmailConfirmOut(Schema):
    person_id: int
    email: str


@router.post(
    "/email-change/confirm",
    auth=None,
    response={200: EmailConfirmOut},
    summary="Confirm a sign-in e-mail change (the link's token is the credential)",
)
def email_change_confirm(request, payload: EmailConfirmIn):
    """An expired, altered or unknown token answers 422; one already used or outdated by another
    change answers 409 `stale`."""
    person = sign_in.email_change_confirm(token=payload.token)
    return {"person_id": person.pk, "email": person.email}


class ActivationIn(Schema):
    person_ids: list[Id] = Field(default_factory=list, max_length=10_000)
    never_signed_in: StrictBool = Field(
        False, description="Also everyone active of the organisation who never signed in"
    )


class ActivationRoundOut(Schema):
    id: int
    status: str
    people: int
    sent: int | None = Field(None, description="How many e-mails went out, once the round is done")
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


def _round_out(activation) -> dict:
    return {
        "id": activation.pk,
        "status": activation.status,
        "people": activation.people_count,
        "sent": activation.sent if activation.status == ActivationRoundStatus.DONE else None,
        "created_at": activation.created_at,
        "finished_at": activation.finished_at,
    }


def _activation_admin(request) -> Viewer:
    viewer = api_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may send activation e-mails."))
    return viewer


@router.post(
    "/activation",
    response={202: ActivationRoundOut, 422: ErrorOut},
    summary="(Re)send activation e-mails to people of my organisation",
)
def activation_send(request, payload: ActivationIn):
    """Org admins only. Each chosen person (and, with `never_signed_in`, everyone active who never
    signed in) gets a single-use link to choose a password; a background task sends them. Poll the
    round for the count sent. An id outside your organisation refuses the whole request (422)."""
    viewer = _activation_admin(request)
    activation = services.activation_round_start(
        actor=viewer, person_ids=payload.person_ids, never_signed_in=payload.never_signed_in
    )
    return Status(
        202,
        _round_out(
            selectors.activation_round_get(organisation_id=viewer.organisation_id, round_id=activation.pk)
        ),
    )


@router.get("/activation", response=list[ActivationRoundOut], summary="Latest activation rounds")
def activation_list(request):
    viewer = _activation_admin(request)
    return [_round_out(row) for row in selectors.activation_rounds(organisation_id=viewer.organisation_id)]


@router.get("/activation/{int:round_id}", response=ActivationRoundOut, summary="One activation round")
def activation_get(request, round_id: Id):
    viewer = _activation_admin(request)
    return _round_out(
        selectors.activation_round_get(organisation_id=viewer.organisation_id, round_id=round_id)
    )


class SignInRulesIn(Schema):
    mfa_required_for_staff: StrictBool


class SignInRulesOut(Schema):
    mfa_required_for_staff: bool


def _rules_admin(request) -> Viewer:
    viewer = api_viewer(request)
    if not viewer.is_org_admin:
        raise PermissionDenied(_("Only org admins may change the sign-in rules."))
    return viewer


@router.get("/sign-in-rules", response=SignInRulesOut, summary="My organisation's sign-in rules")
def sign_in_rules_get(request):
    viewer = _rules_admin(request)
    return selectors.sign_in_policy(organisation_id=viewer.organisation_id)


@router.put(
    "/sign-in-rules", response=SignInRulesOut, summary="Require a second factor of org admins and managers"
)
def sign_in_rules_put(request, payload: SignInRulesIn):
    """Org admins only. Required: org admins and program managers must set up an authenticator app
    at their next sign-in before anything else."""
    viewer = _rules_admin(request)
    return services.sign_in_policy_set(actor=viewer, mfa_required_for_staff=payload.mfa_required_for_staff)
