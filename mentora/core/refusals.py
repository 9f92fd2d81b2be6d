"""A service's refusal of one of its rules: the person's message, a stable code and the field it concerns.

Services raise `Refusal`; it is a Django `ValidationError`, so pages show it as before (on the field it
names, or above the form), and the API answers it in its one error shape with the code and the field
(`mentora/api/errors.py`). The codes are a contract with integrators: each is listed in `REFUSAL_CODES`
with what it means, and docs/api.md lists them all (tests/api/test_errors_documented.py).
"""

from collections.abc import Collection
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q

# Every rule a service refuses by, with what it means; an integrator branches on the code, never on the
# message (which is translated). Keep a code once it is published: rename the message, not the code.
REFUSAL_CODES: dict[str, str] = {
    # Shared by several apps
    "stale": "Someone changed the record since you read it: read it again (`details` may name the version).",
    "expired": "The link, token or invitation has expired.",
    "invalid": "The link or token is not valid (altered or unknown).",
    "empty": "Nothing to save: the text or selection sent is empty.",
    "too_long": "A text is longer than allowed.",
    "required": "A required value is missing.",
    "not_active": "The relationship (or other record) is no longer active.",
    "not_pending": "The request was already decided.",
    "not_yours": "The record belongs to someone else.",
    "locked": "A locked pair or record cannot change.",
    "published": "The matching run is published and can no longer change.",
    "unknown_fields": "The input has fields the operation does not take.",
    "exclusive_inputs": "Two inputs that exclude each other were both given, or neither.",
    "bad_range": "The lowest value is above the highest, or a value is outside its range.",
    "bad_type": "A value has the wrong type (e.g. a list or number where an object is expected).",
    "bad_choice": "The value is not one of the choices offered.",
    "bad_number": "The value is not a number in the allowed range.",
    "too_many": "More items than allowed at once.",
    "too_few": "Fewer items than needed (e.g. a choice question with under two choices).",
    "invalid_value": "The value breaks one of the record's rules (e.g. an end before its start).",
    "taken": "Another record already has this value (e.g. a program's name in the organisation).",
    "control_character": "A text holds a line break, tab or other control character where none is allowed.",
    # people and accounts
    "email_taken": "Another account uses this e-mail address.",
    "unchanged": "The new value is the current one.",
    "unknown_people": "Some of the people are not of your organisation.",
    "weak_password": "The password is too weak.",
    "has_password": "The person already has a password (or signed in): no activation link is handed over.",
    "sso_enforced": "The organisation signs in through single sign-on only.",
    "already_merged": "The skill was merged into another.",
    "no_source": "No HR sync source is configured.",
    "running": "An HR sync is already running.",
    # service accounts
    "unknown_scope": "A scope is not one of the service accounts' scopes.",
    "no_scope": "A service account needs at least one scope.",
    "naive": "A time was given without its time zone.",
    "expiry_out_of_range": "The expiry is in the past or further ahead than allowed.",
    "name_taken": "The organisation already has a service account of this name.",
    # identity
    "bad_certificate": "The identity provider's certificate cannot be read.",
    "expired_certificate": "The identity provider's certificate has expired.",
    "bad_domain": "The e-mail domain is not valid or not the organisation's.",
    "bad_metadata": "The identity provider's metadata cannot be read.",
    "bad_url": "The address is not a valid HTTPS URL.",
    # programs
    "program_closed": "The program is closed.",
    "program_not_live": "People are paired only while the program is open, matching or running.",
    "program_not_open": "The program is not open for enrolment.",
    "not_editable": "The program's status does not allow this change any more.",
    "not_deletable": "Only a draft program nobody enrolled in can be deleted.",
    "bad_transition": "The program cannot go from its current status to the one asked.",
    "close_needs_confirmation": "A program closes from its closing page (it says what becomes of its pairs).",
    "not_started": "The program has not started yet.",
    "no_participants": "Matching needs at least one approved mentee and one approved mentor.",
    "not_a_manager": "The person is not a program manager of your organisation.",
    "other_organisation": "A referenced record belongs to another organisation.",
    "not_coaching": "Only coaching programs follow a set curriculum.",
    "answered": "People have answered the question, so it cannot change that way.",
    "unanswered": "A required intake question has no answer.",
    "ineligible": "The person is not eligible for this program or role.",
    "already_enrolled": "The person is already enrolled in this program in this role.",
    "already_decided": "The application has already been decided.",
    "unknown_enrolments": "Some of the applications are not of this program.",
    "wrong_invitation": "The invitation is for another program or person.",
    "already_invited": "The person already has an open invitation to this program.",
    "revoked": "The invitation was withdrawn.",
    "already_accepted": "The invitation was already accepted.",
    # matching, choosing, pairs
    "unsupported_format": "Matching runs are for one-to-one and reverse mentoring programs only.",
    "not_finished": "The matching run has not finished.",
    "closed": "The matching run is closed.",
    "not_closed": "The matching run is not closed.",
    "bad_pair": "The pair cannot be made from this run's people.",
    "not_in_run": "The proposal or person is not in this run.",
    "same_mentor": "The swap would give the same mentor.",
    "rule_broken": "The change would break one of the program's matching rules.",
    "no_mentees": "There is no mentee to match.",
    "no_mentors": "There is no mentor to match.",
    "nothing_to_publish": "The matching run has no proposal left to publish.",
    "already_paired": "The mentee already has a mentor in this program.",
    "mentor_full": "The mentor has no capacity left.",
    "mentor_paused": "The mentor has paused taking mentees.",
    "mentee_taken": "The mentee already has a mentor or a pending request.",
    "mentee_locked": "The mentee's pair is locked.",
    "mentor_ineligible": "The mentor is not among the mentee's choices.",
    "not_a_mentor": "The person is not an approved mentor of the program.",
    "not_a_mentee": "The person is not an approved mentee of the program.",
    "not_choose_mode": "The program does not let mentees choose their mentor.",
    "declined_before": "The mentor declined this mentee before.",
    "same_person": "Mentor and mentee are the same person.",
    "not_a_party": "The person is not one of the pair.",
    # the pair's tools and their close
    "nonexistent_time": "The local time does not exist in that time zone (the clocks change).",
    "ambiguous_time": "The local time happens twice in that time zone (the clocks change).",
    "read_only": "The pair's space is read-only (the relationship has ended).",
    "not_scheduled": "The meeting is not scheduled.",
    "not_yet": "The meeting has not taken place yet.",
    "already_answered": "The check-in was already answered.",
    "wrong_survey": "The answer is for another survey.",
    "incomplete": "Some required parts are still empty (an agreement confirmed before each part is written).",
    "nothing_agreed": "The agreement has not been written yet, so there is nothing to confirm.",
    "closure_pending": "A closure is already proposed.",
    "no_pending_closure": "No closure is proposed.",
    "own_proposal": "You cannot confirm your own proposal.",
    "cycle_not_over": "The cycle is not over yet.",
    "outside_relationship": "The date is outside the relationship's dates.",
    "in_past": "The date is in the past.",
    "in_future": "The time is still to come (a meeting logged as past must have happened).",
    "not_later": "The new date is not later than the current one.",
    "too_far": "The date is too far ahead.",
    "too_soon": "Too soon after the pair's last nudge, rematch offer or messages.",
    # exports and reports
    "not_ready": "The export is still being built (or failed): follow its status.",
    "not_a_leader": "A chosen recipient is not a leader of your organisation.",
    # privacy
    "self": "Nobody can do this to themselves.",
    "last_admin": "The organisation's last active org admin cannot be removed.",
    "not_confirmed": "The operation needs an explicit confirmation.",
}


# The API's one conflict-code policy (docs/api.md, "One error shape"): a refusal because of the current
# state of a record (the same request may succeed once that state changes, or after reading it again)
# answers 409; every other refusal is of the request itself (it would be refused whatever the state)
# and answers 422. Who may not do something is a PermissionDenied (403), and what is missing or of
# another organisation an Http404 (404): neither is a refusal. The API's error handler is the one
# place that applies it (mentora/api/errors.py); the meeting pages answer these codes with 409 too.
STATE_CONFLICTS: frozenset[str] = frozenset(
    {
        # the record changed or moved on
        "stale",
        "not_active",
        "not_pending",
        "locked",
        "published",
        "read_only",
        "already_merged",
        "has_password",
        "last_admin",
        # another record holds the value or place
        "taken",
        "email_taken",
        "name_taken",
        "already_invited",
        "already_enrolled",
        "already_paired",
        "mentor_full",
        "mentor_paused",
        "mentee_taken",
        "mentee_locked",
        "declined_before",
        # the program, run or invitation is not at the step the request needs
        "program_closed",
        "program_not_live",
        "program_not_open",
        "not_editable",
        "not_deletable",
        "bad_transition",
        "not_started",
        "no_participants",
        "answered",
        "already_decided",
        "revoked",
        "already_accepted",
        "not_finished",
        "closed",
        "not_closed",
        "no_mentees",
        "no_mentors",
        "nothing_to_publish",
        "running",
        "no_source",
        "not_ready",
        # the pair's tools
        "not_scheduled",
        "not_yet",
        "already_answered",
        "nothing_agreed",
        "incomplete",
        "closure_pending",
        "no_pending_closure",
        "own_proposal",
        "cycle_not_over",
        "too_soon",
    }
)


def refusal_status(code: str) -> int:
    """The HTTP status the API answers a refusal coded `code` with: 409 for a state conflict, 422
    otherwise (an unknown code is a programming error)."""
    if code not in REFUSAL_CODES:
        raise ValueError(f"Unknown refusal code {code!r}.")
    return 409 if code in STATE_CONFLICTS else 422


class Refusal(ValidationError):
    """A service's refusal: `Refusal(_("…"), code="mentor_full", field="mentor_id")`.

    `field` is the input the refusal concerns (the API's name for it), or None when it concerns the
    request as a whole; `code` is one of `REFUSAL_CODES`.
    """

    def __init__(self, message: Any, *, code: str, field: str | None = None, params: dict | None = None):
        if code not in REFUSAL_CODES:
            raise ValueError(f"Unknown refusal code {code!r}: add it to REFUSAL_CODES with what it means.")
        # Several messages (a list) are one refusal: each carries the code, which Django would drop.
        messages = message if isinstance(message, list) else [message]
        errors = [ValidationError(text, code=code, params=params) for text in messages]
        super().__init__({field: errors} if field else errors if len(errors) > 1 else errors[0])
        # Django keeps `code` only on an error without a field; callers test it either way.
        self.code = code
        self.field = field


def _constraint_field(constraint: models.BaseConstraint) -> str | None:
    """The field a constraint's refusal concerns: the last of a unique constraint's fields (the
    organisation comes first), the first field a check constraint's condition names."""
    if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
        return constraint.fields[-1]
    if isinstance(constraint, models.CheckConstraint) and isinstance(constraint.condition, Q):
        return _first_lookup_field(constraint.condition)
    return None


def _first_lookup_field(condition: Q) -> str | None:
    for child in condition.children:
        found = child[0].split("__")[0] if isinstance(child, tuple) else _first_lookup_field(child)
        if found:
            return found
    return None


def model_clean(instance: models.Model, *, exclude: Collection[str] = ()) -> None:
    """`full_clean`, with each broken constraint refused on the field it concerns (Django refuses a
    constraint on no field), coded `taken` (unique) or `invalid_value` (check)."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        instance.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as error:
        errors = error.error_dict
    # As full_clean does, a field already refused is not checked again by the constraints.
    skipped = set(exclude) | set(errors)
    for constraint in instance._meta.constraints:
        try:
            constraint.validate(type(instance), instance, exclude=skipped)
        except ValidationError as error:
            code = "taken" if isinstance(constraint, models.UniqueConstraint) else "invalid_value"
            field = _constraint_field(constraint) or NON_FIELD_ERRORS
            errors.setdefault(field, []).extend(ValidationError(text, code=code) for text in error.messages)
    if errors:
        raise ValidationError(errors)
