"""Writes for mentee choice: a mentee requests a mentor, the mentor answers, shortlists are recorded.

A request is a relationship created by `relationship_create_pending` with the mentee's consent
already given; it is that function's row locks that keep a mentor's capacity from being exceeded
when many mentees ask at the same instant.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from mentora.core.refusals import Refusal
from mentora.pairing.choose_selectors import (
    approved_enrolment,
    declined_mentor_ids,
    engine_allows,
    is_choose_program,
    matched_by_manager,
    open_request_of,
)
from mentora.pairing.models import ShortlistExposure
from mentora.people.models import Person
from mentora.programs.models import EnrolmentRole, Program
from mentora.relationships import services as relationship_services
from mentora.relationships.models import Relationship, RelationshipOrigin
from mentora.relationships.selectors import mentor_rooms

NOTE_MAX_LENGTH = 500
MENTOR_FULL = _lazy("This mentor is full. Please choose another mentor from your shortlist.")
MENTEE_TAKEN = _lazy("You already have a mentor, or a request waiting for an answer, in this program.")
MATCHED_BY_MANAGER = _lazy(
    "The program manager has matched you with a mentor in this program, so there is no need to "
    "choose one. You will be asked to confirm the pairing."
)


def _refusal(error: ValidationError, code: str, message) -> ValidationError:
    """The relationship service's refusal, reworded for the mentee who asked."""
    if getattr(error, "code", None) != code:
        return error
    return Refusal(str(message), code=code, field=getattr(error, "field", None))


def mentor_request_create(
    *, program: Program, mentee: Person, mentor: Person, note: str = ""
) -> Relationship:
    """The mentee asks this mentor, with an optional short note. Their side counts as consented;
    the mentor is notified and accepts or declines.

    Raises ValidationError with a code the API maps to a status: "mentor_full", "mentor_paused",
    "mentee_taken" (one open request or relationship per program), "mentee_locked" (a manager
    matched the mentee), "declined_before",
    "mentor_ineligible", "not_a_mentor", "not_a_mentee", "not_choose_mode".
    """
    if not is_choose_program(program):
        raise Refusal(
            _("In this program, mentors are proposed by the program's managers rather than chosen."),
            code="not_choose_mode",
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise Refusal(
            ngettext(
                "Keep your note under %(max)s character.",
                "Keep your note under %(max)s characters.",
                NOTE_MAX_LENGTH,
            )
            % {"max": NOTE_MAX_LENGTH},
            code="too_long",
            field="note",
        )
    if approved_enrolment(program=program, person=mentee, role=EnrolmentRole.MENTEE) is None:
        raise Refusal(_("You are not an approved mentee in this program."), code="not_a_mentee")
    if matched_by_manager(program=program, mentee=mentee):
        raise Refusal(str(MATCHED_BY_MANAGER), code="mentee_locked")
    room = mentor_rooms(program=program).get(mentor.pk)
    if room is None:
        raise Refusal(
            _("This person is not a mentor in this program."), code="not_a_mentor", field="mentor_id"
        )
    if room.paused_until:
        raise Refusal(
            _("This mentor is not taking new mentees until %(date)s. Please choose another mentor.")
            % {"date": room.paused_until.isoformat()},
            code="mentor_paused",
            field="mentor_id",
        )
    if mentor.pk in declined_mentor_ids(program=program, mentee=mentee):
        raise Refusal(
            _("This mentor has already declined a request from you in this program."),
            code="declined_before",
            field="mentor_id",
        )
    if open_request_of(program=program, mentee=mentee) is not None:
        raise Refusal(str(MENTEE_TAKEN), code="mentee_taken")
    if room.free <= 0:
        raise Refusal(str(MENTOR_FULL), code="mentor_full", field="mentor_id")
    allowed = engine_allows(program=program, mentee=mentee, mentor=mentor)
    if allowed is False or mentor.pk == mentee.pk:
        raise Refusal(
            _(
                "This mentor cannot be chosen by you in this program (for example, they are in your "
                "reporting line, or do not offer what you want to learn). Please pick one from your "
                "shortlist."
            ),
            code="mentor_ineligible",
            field="mentor_id",
        )
    if allowed is None:
        # Left out of the instance a moment ago: someone took the mentor's last place meanwhile.
        raise Refusal(str(MENTOR_FULL), code="mentor_full", field="mentor_id")
    try:
        return relationship_services.relationship_create_pending(
            program=program,
            mentor=mentor,
            mentee=mentee,
            origin=RelationshipOrigin.MENTEE_REQUEST,
            created_by=mentee,
            note=note,
        )
    except ValidationError as error:
        error = _refusal(error, "mentor_full", MENTOR_FULL)
        error = _refusal(error, "mentee_taken", MENTEE_TAKEN)
        raise error from None


def mentor_request_answer(*, request: Relationship, mentor: Person, accept: bool) -> Relationship:
    """The mentor accepts (consents: the relationship starts) or declines (the mentee returns to the
    pool and may ask someone else)."""
    if request.origin != RelationshipOrigin.MENTEE_REQUEST or request.mentor_id != mentor.pk:
        raise Refusal(_("Only the mentor who was asked can answer this request."), code="not_yours")
    if accept:
        return relationship_services.relationship_consent(relationship=request, person=mentor)
    return relationship_services.relationship_decline(relationship=request, person=mentor)


def mentor_request_withdraw(*, request: Relationship, mentee: Person) -> Relationship:
    """The mentee withdraws a request the mentor has not answered yet."""
    if request.origin != RelationshipOrigin.MENTEE_REQUEST or request.mentee_id != mentee.pk:
        raise Refusal(_("Only the mentee who asked can withdraw this request."), code="not_yours")
    return relationship_services.relationship_decline(relationship=request, person=mentee)


def shortlist_exposure_record(*, program: Program, mentee: Person, mentor_ids: Iterable[int]) -> None:
    """Remember that these mentors were shown to this mentee, so later shortlists spread exposure."""
    mentor_ids = sorted(set(mentor_ids))
    if not mentor_ids:
        return
    now = timezone.now()
    seen = ShortlistExposure.objects.filter(program=program, mentee=mentee, mentor_id__in=mentor_ids)
    seen.update(times_shown=F("times_shown") + 1, last_shown_at=now)
    ShortlistExposure.objects.bulk_create(
        [
            ShortlistExposure(program=program, mentee=mentee, mentor_id=mentor_id, last_shown_at=now)
            for mentor_id in mentor_ids
        ],
        ignore_conflicts=True,
    )
