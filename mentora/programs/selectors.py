"""Reads for programs: lists, eligibility, the mentors whose places count."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mentora.core.roles import Viewer
from mentora.organisations.models import Department
from mentora.people.models import Person, Skill
from mentora.people.selectors import locations as people_locations
from mentora.programs.models import (
    LIVE_PROGRAM_STATUSES,
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    IntakeQuestion,
    Invitation,
    InvitationBatch,
    Program,
    ProgramManager,
    ProgramStatus,
    QuestionKind,
)
from mentora.programs.permissions import can_manage_program, can_read_enrolment


def _counted(queryset: QuerySet) -> QuerySet:
    approved = Q(enrolments__status=EnrolmentStatus.APPROVED)
    return queryset.annotate(
        mentee_count=Count("enrolments", filter=approved & Q(enrolments__role=EnrolmentRole.MENTEE)),
        mentor_count=Count("enrolments", filter=approved & Q(enrolments__role=EnrolmentRole.MENTOR)),
        pending_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.APPLIED)),
    )


def program_list_managed(*, viewer: Viewer) -> QuerySet:
    if viewer.person is None or not viewer.manages_people:
        return Program.objects.none()
    programs = Program.objects.filter(organisation_id=viewer.organisation_id)
    if not viewer.is_org_admin:
        programs = programs.filter(
            Exists(ProgramManager.objects.filter(program=OuterRef("pk"), person=viewer.person))
        )
    return _counted(programs).order_by("-starts_on", "name")


def program_get_managed(*, viewer: Viewer, program_id: int) -> Program:
    """The program if the viewer manages it; 404 for everyone else, so nothing leaks."""
    program = Program.objects.filter(pk=program_id, organisation_id=viewer.organisation_id or -1).first()
    if program is None or not can_manage_program(viewer, program):
        raise Http404
    return program


def program_get_visible(*, viewer: Viewer, program_id: int) -> Program:
    """The participant-facing program: open/running programs of the viewer's organisation,
    drafts only for their managers."""
    program = (
        Program.objects.filter(pk=program_id, organisation_id=viewer.organisation_id or -1)
        .prefetch_related("eligible_departments", "curriculum_items")
        .first()
    )
    if program is None:
        raise Http404
    if program.status in LIVE_PROGRAM_STATUSES or can_manage_program(viewer, program):
        return program
    if program.enrolments.filter(person=viewer.person).exists():
        return program
    raise Http404


def eligible_people(*, program: Program) -> QuerySet:
    """Active people of the program's organisation who meet its eligibility rules."""
    people = Person.objects.filter(
        organisation_id=program.organisation_id,
        is_active=True,
        seniority__gte=program.min_seniority,
        seniority__lte=program.max_seniority,
    )
    department_ids = [department.pk for department in program.eligible_departments.all()]
    if department_ids:
        people = people.filter(department_id__in=department_ids)
    if program.eligible_locations:
        # The spellings are folded here, in Python, as for one person: SQL folds only ASCII on SQLite.
        spellings = [
            location
            for location in people_locations(organisation_id=program.organisation_id)
            if location_is_eligible(program=program, location=location)
        ]
        people = people.filter(location__in=spellings)
    return people


def location_is_eligible(*, program: Program, location: str) -> bool:
    """The program's location rule: any location when it names none, else one of them in any case."""
    wanted = {eligible.casefold() for eligible in program.eligible_locations}
    return not wanted or location.casefold() in wanted


def people_taking_part(*, person_ids: list[int]) -> set[int]:
    """Which of these people take part in mentoring: approved in a live program, in either role."""
    return set(
        Enrolment.objects.filter(
            person_id__in=person_ids,
            status=EnrolmentStatus.APPROVED,
            program__status__in=LIVE_PROGRAM_STATUSES,
        ).values_list("person_id", flat=True)
    )


def eligible_mentors(*, program: Program) -> QuerySet:
    return eligible_people(program=program).filter(seniority__gte=program.mentor_min_seniority)


def ineligibility_reasons(*, program: Program, person: Person, role: str) -> list[str]:
    """Why this person may not take this role in this program; empty when they may."""
    reasons = []
    if person.organisation_id != program.organisation_id or not person.is_active:
        return [_("You are not part of this program's organisation.")]
    department_ids = {department.pk for department in program.eligible_departments.all()}
    if department_ids and person.department_id not in department_ids:
        reasons.append(_("This program is open to other departments."))
    if not program.min_seniority <= person.seniority <= program.max_seniority:
        reasons.append(
            _("This program is for seniority levels %(low)s to %(high)s.")
            % {"low": program.min_seniority, "high": program.max_seniority}
        )
    if not location_is_eligible(program=program, location=person.location):
        reasons.append(_("This program is open to other locations."))
    if role == EnrolmentRole.MENTOR and person.seniority < program.mentor_min_seniority:
        reasons.append(
            _("Mentors in this program need seniority level %(level)s or above.")
            % {"level": program.mentor_min_seniority}
        )
    return reasons


@dataclass(frozen=True)
class OpenProgram:
    program: Program
    may_mentor: bool
    enrolments: list[Enrolment] = field(default_factory=list)


def program_list_open_to(*, person: Person | None) -> list[OpenProgram]:
    """ "Programs open to me": open programs the person is eligible for, plus those they joined."""
    if person is None:
        return []
    programs = (
        Program.objects.filter(organisation_id=person.organisation_id)
        .filter(Q(status=ProgramStatus.OPEN) | Q(enrolments__person=person, status__in=LIVE_PROGRAM_STATUSES))
        .distinct()
        .prefetch_related("eligible_departments")
        .order_by("starts_on", "name")
    )
    mine: dict[int, list[Enrolment]] = {}
    for enrolment in Enrolment.objects.filter(person=person, program__in=programs):
        mine.setdefault(enrolment.program_id, []).append(enrolment)
    listed = []
    for program in programs:
        eligible = not ineligibility_reasons(program=program, person=person, role=EnrolmentRole.MENTEE)
        if not eligible and program.pk not in mine:
            continue
        may_mentor = not ineligibility_reasons(program=program, person=person, role=EnrolmentRole.MENTOR)
        listed.append(
            OpenProgram(program=program, may_mentor=may_mentor, enrolments=mine.get(program.pk, []))
        )
    return listed


# The enrolments page shows this many a page; the program's page, the first applications waiting.
ENROLMENTS_PER_PAGE = 50
PENDING_ON_MANAGE_PAGE = 10


def enrolment_list(*, program: Program, status: str | None = None, role: str | None = None) -> QuerySet:
    enrolments = Enrolment.objects.filter(program=program).select_related("person__department")
    if status:
        enrolments = enrolments.filter(status=status)
    if role:
        enrolments = enrolments.filter(role=role)
    return enrolments.order_by("status", "role", "person__full_name", "id")


INVITATIONS_PER_PAGE = 50


def invitation_list_outstanding(*, program: Program) -> QuerySet[Invitation]:
    """Invitations neither accepted nor withdrawn, newest first, for the manager to follow up."""
    return (
        Invitation.objects.filter(program=program, accepted_at=None, revoked_at=None)
        .select_related("person")
        .order_by("-sent_at", "-id")
    )


def invitation_get_outstanding(*, program: Program, invitation_id: int) -> Invitation:
    invitation = (
        invitation_list_outstanding(program=program)
        .select_related("program")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def invitation_batch_get(*, program: Program, batch_id: int) -> InvitationBatch:
    batch = InvitationBatch.objects.filter(pk=batch_id, program=program).first()
    if batch is None:
        raise Http404
    return batch


def enrolment_get_for_viewer(*, viewer: Viewer, program: Program, enrolment_id: int) -> Enrolment:
    enrolment = (
        Enrolment.objects.select_related("person__department", "program")
        .filter(pk=enrolment_id, program=program)
        .first()
    )
    if enrolment is None or not can_read_enrolment(viewer, enrolment):
        raise Http404
    return enrolment


def enrolments_of(*, person: Person, program: Program) -> list[Enrolment]:
    return list(Enrolment.objects.filter(person=person, program=program).order_by("role"))


def questions_for(*, program: Program, role: str | None = None) -> list[IntakeQuestion]:
    questions = list(program.questions.all())
    if role is None:
        return questions
    return [question for question in questions if question.asked_of(role)]


@dataclass(frozen=True)
class AnswerView:
    question: IntakeQuestion
    value: object
    display: str


def enrolment_answers(*, enrolment: Enrolment) -> list[AnswerView]:
    answers = list(enrolment.answers.select_related("question").order_by("question__position"))
    skill_ids = {
        skill_id
        for answer in answers
        if answer.question.kind == QuestionKind.SKILL_PICK
        for skill_id in answer.value or []
    }
    skill_names = dict(Skill.objects.filter(pk__in=skill_ids).values_list("pk", "name"))
    views = []
    for answer in answers:
        value = answer.value
        if answer.question.kind == QuestionKind.SKILL_PICK:
            display = ", ".join(skill_names.get(skill_id, "?") for skill_id in value or [])
        elif isinstance(value, list):
            display = ", ".join(str(item) for item in value)
        else:
            display = "" if value is None else str(value)
        views.append(AnswerView(question=answer.question, value=value, display=display))
    return views


def mentor_enrolments(*, program: Program, mentor_ids: Iterable[int] | None = None) -> QuerySet:
    """The mentors whose places count in the program (or those of them in `mentor_ids`): approved
    and still active in the organisation. `relationships.selectors.mentor_rooms` takes their live
    relationships off their capacity for the pool, the runs, the lock check, the shortlist and
    the gaps panel."""
    enrolments = Enrolment.objects.filter(
        program=program, role=EnrolmentRole.MENTOR, status=EnrolmentStatus.APPROVED, person__is_active=True
    )
    return enrolments if mentor_ids is None else enrolments.filter(person_id__in=mentor_ids)


def departments_without_mentors(*, program: Program) -> list[Department]:
    """The program's departments (its eligible ones, else those of its mentees) where no mentor
    still in the organisation has applied or been approved, by name."""
    live = Enrolment.objects.filter(program=program, person__is_active=True).exclude(
        status=EnrolmentStatus.DECLINED
    )
    mentor_departments = set(
        live.filter(role=EnrolmentRole.MENTOR, person__department__isnull=False).values_list(
            "person__department_id", flat=True
        )
    )
    candidate_departments = list(program.eligible_departments.all())
    if not candidate_departments:
        mentee_departments = live.filter(role=EnrolmentRole.MENTEE).values("person__department_id")
        candidate_departments = list(Department.objects.filter(pk__in=mentee_departments))
    without = [department for department in candidate_departments if department.pk not in mentor_departments]
    return sorted(without, key=lambda department: department.name)


def program_managers(*, program: Program) -> QuerySet:
    return Person.objects.filter(managed_programs__program=program).order_by("full_name")
