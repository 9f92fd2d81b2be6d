"""Writes for programs: design, questionnaire, invitations, enrolment and approval.

Permission checks live in the callers (pages and API) through `mentora.programs.permissions`;
these functions enforce the rules of the domain and raise ValidationError with clear messages.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.core.refusals import Refusal, model_clean
from mentora.core.text import check_model_texts, check_texts, too_long_error
from mentora.organisations.models import Department, Role
from mentora.people import selectors as people_selectors
from mentora.people.models import Person
from mentora.programs.models import (
    AVAILABLE_FORMATS,
    CHOICE_KINDS,
    MAX_MENTOR_CAPACITY,
    MAX_PICKED_SKILLS,
    MULTI_PICK_KINDS,
    CurriculumItem,
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    IntakeAnswer,
    IntakeQuestion,
    Invitation,
    Program,
    ProgramManager,
    ProgramStatus,
    ProgramType,
    QuestionKind,
)
from mentora.programs.selectors import (
    ineligibility_reasons,
    mentor_enrolments,
    questions_for,
)

# What a program's design and a questionnaire question may set, in the order their forms show it.
PROGRAM_FIELDS = (
    "name",
    "strategic_objective",
    "purpose",
    "goals",
    "program_type",
    "format",
    "starts_on",
    "ends_on",
    "meetings_per_month",
    "eligible_departments",
    "min_seniority",
    "max_seniority",
    "eligible_locations",
    "mentor_min_seniority",
    "default_mentor_capacity",
    "matching_mode",
    "weight_goal_fit",
    "weight_purpose",
    "weight_diversity",
    "weight_practical",
    "weight_preference",
    "similarity_diversity_dial",
)
QUESTION_FIELDS = ("prompt", "help_text", "kind", "choices", "audience", "required", "max_picks", "feeds")
EDITABLE_QUESTIONNAIRE = (ProgramStatus.DRAFT, ProgramStatus.OPEN)

# Which status may follow which: draft → open → matching → running → closed, with one way back
# from matching to open (to let late applicants in).
TRANSITIONS = {
    ProgramStatus.DRAFT: {ProgramStatus.OPEN},
    ProgramStatus.OPEN: {ProgramStatus.DRAFT, ProgramStatus.MATCHING},
    ProgramStatus.MATCHING: {ProgramStatus.OPEN, ProgramStatus.RUNNING},
    ProgramStatus.RUNNING: {ProgramStatus.CLOSED},
    ProgramStatus.CLOSED: set(),
}

SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 4000
# Program cycles fall within these dates: check-ins and reports compute dates around a cycle's
# ends, which Python cannot do near year 1 or year 9999.
FIRST_CYCLE_DAY, LAST_CYCLE_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _reject_unknown(values: dict[str, Any], known, message: str) -> None:
    unknown = set(values).difference(known)
    if unknown:
        raise Refusal(message % {"fields": ", ".join(sorted(unknown))}, code="unknown_fields")


# --- program design ---------------------------------------------------------------------------


def _checked_values(values: dict[str, Any]) -> tuple[dict[str, Any], list | None]:
    values = dict(values)
    departments = values.pop("eligible_departments", None)
    _reject_unknown(values, PROGRAM_FIELDS, _("Unknown program fields: %(fields)s"))
    if "eligible_locations" in values:
        values["eligible_locations"] = clean_locations(values["eligible_locations"])
    return values, departments


def clean_locations(locations: str | list[str] | None) -> list[str]:
    """The one reading of a list of locations: comma-separated text or a list, each trimmed, empty
    ones dropped, the first spelling kept of those equal but for case (the program form, the API,
    invitations by location)."""
    if isinstance(locations, str):
        locations = locations.split(",")
    seen: dict[str, str] = {}
    for location in locations or []:
        location = str(location).strip()
        if location:
            seen.setdefault(location.casefold(), location)
    return list(seen.values())


def _validate_program(program: Program) -> None:
    for field in ("starts_on", "ends_on"):
        day = getattr(program, field)
        if isinstance(day, date) and not FIRST_CYCLE_DAY <= day <= LAST_CYCLE_DAY:
            raise Refusal(
                _("Choose a date from %(first)s to %(last)s.")
                % {"first": FIRST_CYCLE_DAY.isoformat(), "last": LAST_CYCLE_DAY.isoformat()},
                code="bad_range",
                field=field,
            )
    check_model_texts(program)
    check_texts(single_line={"eligible_locations": " ".join(program.eligible_locations or [])})
    model_clean(program)
    if program.format not in AVAILABLE_FORMATS:
        raise Refusal(_("This format is not available yet."), code="bad_choice", field="format")


def _set_departments(program: Program, departments) -> None:
    ids = {
        department.pk if isinstance(department, Department) else int(department) for department in departments
    }
    found = set(
        Department.objects.filter(organisation_id=program.organisation_id, pk__in=ids).values_list(
            "pk", flat=True
        )
    )
    if found != ids:
        raise Refusal(
            _("Pick departments of your own organisation."),
            code="other_organisation",
            field="eligible_departments",
        )
    program.eligible_departments.set(found)


@transaction.atomic
def program_create(*, actor: Person, values: dict[str, Any]) -> Program:
    """Create a draft program in the actor's organisation; the actor becomes one of its managers."""
    fields, departments = _checked_values(values)
    program = Program(organisation_id=actor.organisation_id, created_by=actor, **fields)
    _validate_program(program)
    program.save()
    _set_departments(program, departments or [])
    ProgramManager.objects.create(program=program, person=actor)
    return program


@transaction.atomic
def program_update(*, program: Program, values: dict[str, Any]) -> Program:
    if program.status == ProgramStatus.CLOSED:
        raise Refusal(_("A closed program cannot be changed."), code="program_closed")
    fields, departments = _checked_values(values)
    for name, value in fields.items():
        setattr(program, name, value)
    _validate_program(program)
    program.save()
    if departments is not None:
        _set_departments(program, departments)
    return program


@transaction.atomic
def program_delete(*, program: Program) -> None:
    if program.status != ProgramStatus.DRAFT or program.enrolments.exists():
        raise Refusal(_("Only a draft program nobody has enrolled in can be deleted."), code="not_deletable")
    program.delete()


@transaction.atomic
def program_set_status(
    *, program: Program, status: str, today: date | None = None, pending_pairs_withdrawn: bool = False
) -> Program:
    """Move a program along `TRANSITIONS`. Closing is the relationships app's `program_close`,
    which withdraws the pairs still waiting for consent and says so (`pending_pairs_withdrawn`);
    a program closes only once its start date has come."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    if status not in ProgramStatus.values:
        raise Refusal(_("Unknown status."), code="bad_choice", field="status")
    if status not in TRANSITIONS[program.status]:
        raise Refusal(
            _("A program cannot go from “%(current)s” to “%(next)s”.")
            % {"current": program.get_status_display(), "next": ProgramStatus(status).label},
            code="bad_transition",
            field="status",
        )
    if status == ProgramStatus.CLOSED and not pending_pairs_withdrawn:
        message = _("Close a program from its closing page, which says what happens to its pairs.")
        raise Refusal(message, code="close_needs_confirmation", field="status")
    if status == ProgramStatus.CLOSED and (today or timezone.localdate()) < program.starts_on:
        message = _("This program starts on %(date)s: it cannot close before it started.") % {
            "date": program.starts_on.isoformat()
        }
        raise Refusal(message, code="not_started", field="status")
    if status == ProgramStatus.MATCHING:
        mentees = Enrolment.objects.filter(
            program=program,
            role=EnrolmentRole.MENTEE,
            status=EnrolmentStatus.APPROVED,
            person__is_active=True,
        )
        if not mentees.exists() or not mentor_enrolments(program=program).exists():
            raise Refusal(
                _("Matching needs at least one approved mentee and one approved mentor."),
                code="no_participants",
                field="status",
            )
    program.status = status
    program.save(update_fields=["status", "updated_at"])
    return program


def program_manager_add(*, program: Program, person: Person) -> ProgramManager:
    if (
        person.organisation_id != program.organisation_id
        or not person.role_memberships.filter(role__in=[Role.PROGRAM_MANAGER, Role.ORG_ADMIN]).exists()
    ):
        raise Refusal(
            _("Only program managers of your organisation can manage a program."),
            code="not_a_manager",
            field="person_id",
        )
    membership, _created = ProgramManager.objects.get_or_create(program=program, person=person)
    return membership


@transaction.atomic
def program_set_curriculum(*, program: Program, items: list[tuple[str, str]]) -> list[CurriculumItem]:
    """Replace a coaching program's curriculum with these (title, description) items, in order."""
    if program.program_type != ProgramType.COACHING and items:
        raise Refusal(_("Only coaching programs follow a set curriculum."), code="not_coaching")
    cleaned = [(title.strip(), (description or "").strip()) for title, description in items]
    if any(not title for title, _description in cleaned):
        raise Refusal(_("Every curriculum item needs a title."), code="required", field="items")
    for title, description in cleaned:
        check_texts(single_line={"items": title}, multi_line={"items": description})
    program.curriculum_items.all().delete()
    return CurriculumItem.objects.bulk_create(
        CurriculumItem(program=program, position=position, title=title[:200], description=description)
        for position, (title, description) in enumerate(cleaned, start=1)
    )


# --- questionnaire ----------------------------------------------------------------------------


def clean_question(question: IntakeQuestion) -> None:
    """Tidy and check a question of the intake questionnaire's types (programs' own and the
    surveys' questions, which share those types)."""
    if question.kind in CHOICE_KINDS:
        choices = [str(choice).strip() for choice in question.choices or [] if str(choice).strip()]
        if len(choices) < 2 or len(set(choices)) != len(choices):
            raise Refusal(_("Give at least two different choices."), code="too_few", field="choices")
        question.choices = choices
    else:
        question.choices = []
    if question.kind not in MULTI_PICK_KINDS:
        question.max_picks = None
    check_model_texts(question)
    for choice in question.choices:
        check_texts(single_line={"choices": choice})
    model_clean(question, exclude=["program", "position"])


def _ensure_questionnaire_editable(program: Program) -> None:
    if program.status not in EDITABLE_QUESTIONNAIRE:
        raise Refusal(
            _("The questionnaire can only change while the program is a draft or open."), code="not_editable"
        )


@transaction.atomic
def intake_question_add(*, program: Program, values: dict[str, Any]) -> IntakeQuestion:
    _ensure_questionnaire_editable(program)
    _reject_unknown(values, QUESTION_FIELDS, _("Unknown question fields: %(fields)s"))
    # Lock the program row so that two questions added at once never get the same position.
    Program.objects.select_for_update().filter(pk=program.pk).first()
    position = (program.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    question = IntakeQuestion(program=program, position=position, **values)
    clean_question(question)
    question.save()
    return question


@transaction.atomic
def intake_question_update(*, question: IntakeQuestion, values: dict[str, Any]) -> IntakeQuestion:
    _ensure_questionnaire_editable(question.program)
    _reject_unknown(values, QUESTION_FIELDS, _("Unknown question fields: %(fields)s"))
    if "kind" in values and values["kind"] != question.kind and question.answers.exists():
        raise Refusal(
            _("People have answered this question; its type cannot change."), code="answered", field="kind"
        )
    for name, value in values.items():
        setattr(question, name, value)
    clean_question(question)
    question.save()
    return question


def intake_question_delete(*, question: IntakeQuestion) -> None:
    _ensure_questionnaire_editable(question.program)
    if question.answers.exists():
        raise Refusal(_("People have answered this question; it cannot be deleted."), code="answered")
    question.delete()


def clean_answer(question: IntakeQuestion, raw: Any, organisation_id: int) -> Any:
    """The stored form of one answer, or ValidationError with a message for the person (an intake
    answer, or a survey answer of the same types)."""
    empty = raw is None or raw == "" or raw == []
    if empty:
        if question.required:
            raise Refusal(_("Please answer this question."), code="unanswered")
        return None
    kind = question.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        text = str(raw).strip()
        limit = SHORT_TEXT_MAX if kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX
        if too_long := too_long_error(text, limit=limit):
            raise Refusal(too_long, code="too_long")
        if not text and question.required:
            raise Refusal(_("Please answer this question."), code="unanswered")
        check_texts(multi_line={"answer": text})
        return text or None
    if kind == QuestionKind.SINGLE_CHOICE:
        if raw not in question.choices:
            raise Refusal(_("Pick one of the choices offered."), code="bad_choice")
        return raw
    if kind == QuestionKind.MULTIPLE_CHOICE:
        picked = [raw] if isinstance(raw, str) else list(raw)
        if any(choice not in question.choices for choice in picked):
            raise Refusal(_("Pick among the choices offered."), code="bad_choice")
        _check_picks(question, len(set(picked)), len(question.choices))
        return [choice for choice in question.choices if choice in picked]
    if kind == QuestionKind.SCALE:
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise Refusal(_("Pick a number from 1 to 5."), code="bad_number") from None
        if not 1 <= value <= 5:
            raise Refusal(_("Pick a number from 1 to 5."), code="bad_number")
        return value
    # Skill pick: ids of the organisation's skills.
    try:
        ids = sorted({int(skill_id) for skill_id in ([raw] if isinstance(raw, int | str) else raw)})
    except (TypeError, ValueError):
        raise Refusal(_("Pick skills from the list."), code="bad_choice") from None
    _check_picks(question, len(ids), MAX_PICKED_SKILLS)
    # Skills in use only: not a new one waiting for review, not a retired one.
    if people_selectors.skills(organisation_id=organisation_id).filter(pk__in=ids).count() != len(ids):
        raise Refusal(_("Pick skills from the list."), code="bad_choice")
    return ids


def _check_picks(question: IntakeQuestion, count: int, ceiling: int) -> None:
    limit = min(question.max_picks or ceiling, ceiling)
    if count > limit:
        raise Refusal(
            ngettext("Pick at most one.", "Pick at most %(count)s.", limit) % {"count": limit},
            code="too_many",
        )


def clean_answers(*, program: Program, role: str, answers: dict) -> dict[IntakeQuestion, Any]:
    """Validate a whole questionnaire; errors are keyed `q_<question id>`."""
    questions = questions_for(program=program, role=role)
    by_id = {question.pk: question for question in questions}
    try:
        given = {int(key): value for key, value in (answers or {}).items()}
    except (TypeError, ValueError):
        raise Refusal(_("Answers must be keyed by question id."), code="bad_type", field="answers") from None
    if set(given) - set(by_id):
        raise Refusal(
            _("Some answers are for questions this program does not ask."),
            code="unknown_fields",
            field="answers",
        )
    errors: dict[str, list] = {}
    cleaned: dict[IntakeQuestion, Any] = {}
    for question in questions:
        try:
            value = clean_answer(question, given.get(question.pk), program.organisation_id)
        except ValidationError as error:
            code = getattr(error, "code", None)
            errors[f"q_{question.pk}"] = [ValidationError(message, code=code) for message in error.messages]
            continue
        if value is not None:
            cleaned[question] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


# --- enrolment --------------------------------------------------------------------------------


def _clean_capacity(capacity) -> int:
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        raise Refusal(_("Capacity must be a whole number."), code="bad_number", field="capacity") from None
    if not 1 <= capacity <= MAX_MENTOR_CAPACITY:
        raise Refusal(
            _("Capacity must be between 1 and %(max)s. To stop taking mentees for a while, pause instead.")
            % {"max": MAX_MENTOR_CAPACITY},
            code="bad_number",
            field="capacity",
        )
    return capacity


def program_enrol(
    *,
    program: Program,
    person: Person,
    role: str,
    answers: dict,
    capacity: int | None = None,
    invitation: Invitation | None = None,
) -> Enrolment:
    """Apply to a program in one role, answering its questionnaire.

    An application answering a manager's invitation is approved at once.
    """
    if program.status != ProgramStatus.OPEN:
        raise Refusal(_("This program is not open for enrolment."), code="program_not_open")
    if role not in EnrolmentRole.values:
        raise Refusal(_("Choose to enrol as a mentor or as a mentee."), code="bad_choice", field="role")
    reasons = ineligibility_reasons(program=program, person=person, role=role)
    if reasons:
        raise Refusal(reasons, code="ineligible", field="role")
    if invitation is not None and (invitation.program_id != program.pk or invitation.person_id != person.pk):
        raise Refusal(_("This invitation is for another program or person."), code="wrong_invitation")
    if role == EnrolmentRole.MENTOR:
        capacity = _clean_capacity(program.default_mentor_capacity if capacity in (None, "") else capacity)
    else:
        capacity = None
    cleaned = clean_answers(program=program, role=role, answers=answers)
    now = timezone.now()
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                program=program,
                person=person,
                role=role,
                capacity=capacity,
                invitation=invitation,
                status=EnrolmentStatus.APPROVED if invitation else EnrolmentStatus.APPLIED,
                decided_at=now if invitation else None,
                decided_by=invitation.invited_by if invitation else None,
            )
            IntakeAnswer.objects.bulk_create(
                IntakeAnswer(enrolment=enrolment, question=question, value=value)
                for question, value in cleaned.items()
            )
            if invitation is not None and invitation.accepted_at is None:
                Invitation.objects.filter(pk=invitation.pk).update(accepted_at=now)
    except IntegrityError:
        raise Refusal(
            _("You are already enrolled in this program as a %(role)s.")
            % {"role": EnrolmentRole(role).label},
            code="already_enrolled",
            field="role",
        ) from None
    return enrolment


@transaction.atomic
def enrolment_decide(*, enrolment: Enrolment, actor: Person, approve: bool) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.APPLIED:
        raise Refusal(_("This application has already been decided."), code="already_decided")
    enrolment.status = EnrolmentStatus.APPROVED if approve else EnrolmentStatus.DECLINED
    enrolment.decided_at = timezone.now()
    enrolment.decided_by = actor
    enrolment.save(update_fields=["status", "decided_at", "decided_by"])
    return enrolment


# The most applications one bulk decision takes (a page of the enrolments list is 50).
MAX_BULK_DECISIONS = 500


@dataclass(frozen=True)
class DecisionOutcome:
    """What a bulk decision did to one application: `approved`, `declined` or `already_decided`
    (decided earlier, left as it was)."""

    enrolment: Enrolment
    outcome: str


@transaction.atomic
def enrolments_decide(
    *, program: Program, actor: Person, enrolment_ids: list[int], approve: bool
) -> list[DecisionOutcome]:
    """Approve or decline several applications of one program in one transaction.

    Every id must be an enrolment of this program, or nothing is written (code `unknown_enrolments`);
    an application decided earlier is reported as such and left unchanged.
    """
    ids = list(dict.fromkeys(enrolment_ids))
    if not ids:
        raise Refusal(_("Pick at least one application."), code="required", field="enrolment_ids")
    if len(ids) > MAX_BULK_DECISIONS:
        raise Refusal(
            ngettext(
                "Decide at most %(max)s application at once.",
                "Decide at most %(max)s applications at once.",
                MAX_BULK_DECISIONS,
            )
            % {"max": MAX_BULK_DECISIONS},
            code="too_many",
            field="enrolment_ids",
        )
    found = {
        enrolment.pk: enrolment
        for enrolment in Enrolment.objects.select_for_update(of=("self",))
        .filter(program=program, pk__in=ids)
        .select_related("person")
    }
    unknown = [pk for pk in ids if pk not in found]
    if unknown:
        raise Refusal(
            _("These are not applications of this program: %(ids)s. Nothing was decided.")
            % {"ids": ", ".join(str(pk) for pk in unknown)},
            code="unknown_enrolments",
        )
    status = EnrolmentStatus.APPROVED if approve else EnrolmentStatus.DECLINED
    waiting = {pk for pk in ids if found[pk].status == EnrolmentStatus.APPLIED}
    now = timezone.now()
    Enrolment.objects.filter(pk__in=waiting).update(status=status, decided_at=now, decided_by=actor)
    outcomes = []
    for pk in ids:
        enrolment = found[pk]
        if pk in waiting:
            enrolment.status, enrolment.decided_at, enrolment.decided_by = status, now, actor
        outcomes.append(
            DecisionOutcome(enrolment=enrolment, outcome=status if pk in waiting else "already_decided")
        )
    return outcomes


@transaction.atomic
def mentor_availability_set(
    *, enrolment: Enrolment, capacity: int, paused_until: date | None, today: date | None = None
) -> Enrolment:
    """A mentor's capacity for this program and, optionally, a pause on new mentees."""
    if enrolment.role != EnrolmentRole.MENTOR:
        raise Refusal(_("Only mentors set a capacity."), code="not_a_mentor")
    capacity = _clean_capacity(capacity)
    today = today or timezone.localdate()
    if paused_until is not None and paused_until <= today:
        raise Refusal(_("Pick a date after today, or leave it empty."), code="in_past", field="paused_until")
    Enrolment.objects.filter(pk=enrolment.pk).update(capacity=capacity, paused_until=paused_until)
    enrolment.capacity = capacity
    enrolment.paused_until = paused_until
    return enrolment
