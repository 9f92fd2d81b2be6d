"""Writes of the privacy app (docs/privacy.md): a person's data export recorded, an org admin's
erasure of a person, the organisation's retention periods and their daily application.

Every refusal is a ValidationError with a code (or PermissionDenied for someone who may not act);
the pages and the API word them.
"""

import calendar
import contextlib
import datetime
from collections.abc import Iterable
from typing import Any

from auditlog.context import disable_auditlog
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.advocacy.models import AdvocacyAction
from mentora.agreements.closure import relationships_end_for_leaver
from mentora.agreements.models import Agreement, Reflection
from mentora.audit.models import Action
from mentora.audit.services import events_redact_person, record
from mentora.checkins.models import Checkin, CheckinAnswer, CheckinStatus, EndSurveyAnswer
from mentora.core.refusals import Refusal
from mentora.core.roles import Viewer
from mentora.core.text import check_texts, too_long_error
from mentora.goals.models import Goal, GoalComment, Milestone, ProgressUpdate
from mentora.meetings.models import CalendarFeed, Meeting, MeetingPrep
from mentora.notes.models import Note, NoteVisibility
from mentora.notifications.models import NotificationKind, NotificationPreference, SentNotification
from mentora.organisations.models import Organisation, Role, RoleMembership
from mentora.organisations.services import organisation_figures_changed
from mentora.pairing.models import MatchRun
from mentora.people.models import (
    DemographicProfile,
    HrField,
    OfferedSkill,
    PeopleImport,
    Person,
    PersonHrChange,
    SelfAssessment,
    WantedSkill,
)
from mentora.people.services import person_update
from mentora.privacy.models import (
    MAX_RETENTION_MONTHS,
    REASON_MAX_CHARS,
    Erasure,
    RetentionPolicy,
    RetentionRule,
    RetentionRun,
)
from mentora.privacy.permissions import require_org_admin
from mentora.programs.models import Enrolment, IntakeAnswer, Invitation, InvitationBatch
from mentora.relationships.models import Relationship, RelationshipStatus
from mentora.surveys.models import TEXT_KINDS, SurveyAnswer

ERASED_EMAIL_DOMAIN = "erased.invalid"


# ---- the person's own export --------------------------------------------------------------------


def data_export_record(*, person: Person, request: Any = None, fmt: str) -> None:
    """Write the audit event of a person downloading their own data (the export itself is a read:
    `selectors.personal_data_export`)."""
    record(action=Action.DATA_EXPORTED, actor=person, target=person, details={"format": fmt}, request=request)


# ---- erasure --------------------------------------------------------------------------------------


def _blank(queryset, *fields: str) -> int:
    """Empty these text fields on the rows where any is not empty; how many rows changed. A row that
    keeps the time it last changed gets it moved too: the API's `updated_since` lists read it."""
    not_empty = Q()
    for field in fields:
        not_empty |= ~Q(**{field: ""})
    values: dict = dict.fromkeys(fields, "")
    if any(field.name == "updated_at" for field in queryset.model._meta.concrete_fields):
        values["updated_at"] = timezone.now()
    return queryset.filter(not_empty).update(**values)


def _scrub_match_inputs(person: Person, program_ids: Iterable[int]) -> int:
    """Matching runs keep the input they were solved with; the person's entry in it keeps only what
    the figures need (ids, roles, seniority, capacity), not their texts or profile."""
    changed = 0
    key = str(person.pk)
    for run in MatchRun.objects.filter(program_id__in=list(program_ids)).only("pk", "input_snapshot"):
        snapshot = run.input_snapshot
        if not isinstance(snapshot, dict) or not isinstance(snapshot.get("people"), list):
            continue
        touched = False
        for entry in snapshot["people"]:
            if isinstance(entry, dict) and entry.get("id") == key:
                entry.update(goals="", self_assessment={}, location="", job_family="", department="")
                for private in ("under_sponsored", "gender", "languages"):
                    entry.pop(private, None)
                touched = True
        if touched:
            MatchRun.objects.filter(pk=run.pk).update(input_snapshot=snapshot)
            changed += 1
    return changed


def _end_sign_in(user, old_names: set[str]) -> None:
    """No way back in: unusable password, a meaningless sign-in name, no linked identity provider,
    second factor or verified address (django-allauth), no lock-out rows naming them (django-axes)."""
    user.username = f"erased-{user.pk}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    for label in ("account.EmailAddress", "socialaccount.SocialAccount", "mfa.Authenticator"):
        app_label, model_name = label.split(".")
        if apps.is_installed(f"allauth.{app_label}") or apps.is_installed(app_label):
            with contextlib.suppress(LookupError):
                apps.get_model(app_label, model_name).objects.filter(user=user).delete()
    if apps.is_installed("axes"):
        for model_name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
            try:
                model = apps.get_model("axes", model_name)
            except LookupError:
                continue
            names = Q()
            for name in old_names:
                names |= Q(username__iexact=name)
            model.objects.filter(names).delete()


@transaction.atomic
def person_erase(
    *, actor: Viewer, person_id: int, reason: str, confirmed: bool, request: Any = None
) -> Erasure:
    """An org admin erases a person of their organisation, irreversibly (docs/privacy.md).

    Their private content goes (notes, reflections, self-assessment, demographics, intake answers,
    free texts of their relationships and check-ins); the person record stays, anonymised, so that
    enrolments, relationships, meetings, check-ins and their figures still count; their partners
    see "a former participant". Sign-in ends with their sessions and tokens; live relationships end
    without fault. Refusals: "not_confirmed", "self", "last_admin" (and a missing reason).
    A failure anywhere rolls all of it back."""
    require_org_admin(actor)
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(
            _("Say why this person is erased (for the audit log)."), code="required", field="reason"
        )
    if too_long := too_long_error(reason, limit=REASON_MAX_CHARS):
        raise Refusal(too_long, code="too_long", field="reason")
    check_texts(multi_line={"reason": reason})
    if not confirmed:
        raise Refusal(_("Confirm that you understand the erasure cannot be undone."), code="not_confirmed")
    # One erasure at a time per organisation, so two admins cannot erase each other at once.
    Organisation.objects.select_for_update().filter(pk=actor.organisation_id).first()
    person = (
        Person.objects.select_for_update()
        .filter(organisation_id=actor.organisation_id, pk=person_id)
        .select_related("user")
        .first()
    )
    if person is None or Erasure.objects.filter(person=person).exists():
        raise Http404
    if person.pk == actor.person.pk:
        raise Refusal(_("You cannot erase yourself: ask another org admin."), code="self")
    is_admin = RoleMembership.objects.filter(person=person, role=Role.ORG_ADMIN).exists()
    other_admins = (
        RoleMembership.objects.filter(
            role=Role.ORG_ADMIN, person__organisation_id=person.organisation_id, person__is_active=True
        )
        .exclude(person=person)
        .exists()
    )
    if is_admin and not other_admins:
        raise Refusal(
            _("This is the organisation's last org admin: appoint another before erasing them."),
            code="last_admin",
        )

    if person.is_active:
        person_update(actor=actor, person=person, is_active=False)
    relationships_end_for_leaver(person=person)
    # The erasure is recorded once, below, without the name: django-auditlog must not copy the
    # deleted roles (whose labels hold the name) into new entries.
    with disable_auditlog():
        removed = _erase_content(person)
    organisation_figures_changed(organisation_id=person.organisation_id)
    # Before the record is anonymised: the audit log finds the name it blanks by the name itself.
    removed["audit_events_redacted"] = events_redact_person(person=person)
    old_names = {person.email, person.user.get_username()}
    Person.objects.filter(pk=person.pk).update(
        full_name=_("Former participant"),
        email=f"erased-{person.pk}@{ERASED_EMAIL_DOMAIN}",
        employee_id="",
        job_title="",
        job_family="",
        location="",
        goals="",
        purpose="",
        manager=None,
        is_active=False,
        updated_at=timezone.now(),
    )
    person.languages.clear()
    _end_sign_in(person.user, old_names)
    erasure = Erasure.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        erased_by=actor.person,
        reason=reason,
        removed=removed,
        erased_at=timezone.now(),
    )
    person.refresh_from_db()
    record(
        action=Action.PERSON_ERASED,
        actor=actor,
        target=person,
        details={"erasure": erasure.pk, **removed},
        request=request,
    )
    return erasure


def _erase_content(person: Person) -> dict[str, int]:
    """Delete or blank everything private or free-text about `person`; counts per kind."""
    mine = Q(mentor=person) | Q(mentee=person)
    relationship_ids = list(Relationship.objects.filter(mine).values_list("pk", flat=True))
    in_theirs = Q(relationship_id__in=relationship_ids)
    goals = Goal.objects.filter(in_theirs)
    meetings = Meeting.objects.filter(in_theirs)
    removed = {
        "notes": Note.objects.filter(author=person).delete()[0],
        "reflections": Reflection.objects.filter(author=person).delete()[0],
        "goal_comments": GoalComment.objects.filter(author=person).delete()[0],
        "intake_answers": IntakeAnswer.objects.filter(enrolment__person=person).delete()[0],
        "self_assessment": SelfAssessment.objects.filter(person=person).delete()[0],
        "demographics": DemographicProfile.objects.filter(person=person).delete()[0],
        "skills": OfferedSkill.objects.filter(person=person).delete()[0]
        + WantedSkill.objects.filter(person=person).delete()[0],
        "roles": RoleMembership.objects.filter(person=person).delete()[0],
        "notifications": SentNotification.objects.filter(recipient=person).delete()[0]
        + NotificationPreference.objects.filter(person=person).delete()[0],
        "calendar_feed": CalendarFeed.objects.filter(person=person).delete()[0],
        "progress_texts": _blank(ProgressUpdate.objects.filter(author=person), "text"),
        "checkin_texts": _blank(CheckinAnswer.objects.filter(checkin__respondent=person), "blockers")
        + _blank(EndSurveyAnswer.objects.filter(checkin__respondent=person), "what_helped", "what_to_change"),
        # Scores stay (published survey figures counted them); written answers go.
        "survey_texts": SurveyAnswer.objects.filter(
            instance__respondent=person, question__kind__in=TEXT_KINDS
        ).delete()[0],
        "relationship_texts": _blank(
            Relationship.objects.filter(pk__in=relationship_ids), "note", "end_reason"
        ),
        "agreement_texts": _blank(
            Agreement.objects.filter(in_theirs), "expectations", "confidentiality", "ending"
        ),
        "goal_texts": _blank(goals, "measure", "plan", "relevance")
        + goals.exclude(title=_("Goal")).update(title=_("Goal"))
        + _blank(Milestone.objects.filter(goal__in=goals), "title"),
        "meeting_texts": _blank(meetings, "topics", "place", "video_url")
        + _blank(MeetingPrep.objects.filter(meeting__in=meetings), "agenda", "questions"),
        "advocacy_texts": _blank(AdvocacyAction.objects.filter(in_theirs), "description"),
        "invitation_errors": _blank(Invitation.objects.filter(person=person), "email_error"),
        # Their HR history keeps department, seniority and leaving dates (the evidence reads them);
        # job titles go, and where they were someone's manager the history names nobody.
        "hr_history": PersonHrChange.objects.filter(person=person, field=HrField.JOB_TITLE).delete()[0]
        + PersonHrChange.objects.filter(field=HrField.MANAGER, old_ref=person.pk).update(
            old_value=_("Former participant")
        )
        + PersonHrChange.objects.filter(field=HrField.MANAGER, new_ref=person.pk).update(
            new_value=_("Former participant")
        ),
        "matching_inputs": _scrub_match_inputs(
            person, Enrolment.objects.filter(person=person).values_list("program_id", flat=True)
        ),
    }
    return removed


# ---- retention --------------------------------------------------------------------------------


def _months_error(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_RETENTION_MONTHS:
        return _("Give a whole number of months from 1 to %(max)d, or leave it empty to keep.") % {
            "max": MAX_RETENTION_MONTHS
        }
    return None


@transaction.atomic
def retention_policy_set(*, actor: Viewer, request: Any = None, **months: int | None) -> RetentionPolicy:
    """An org admin sets their organisation's retention periods: `<rule>_months` for each rule of
    RetentionRule, a whole number of months (1 to MAX_RETENTION_MONTHS) or None to keep."""
    require_org_admin(actor)
    fields = {f"{rule}_months" for rule in RetentionRule.values}
    unknown = set(months) - fields
    if unknown:
        raise TypeError(f"retention_policy_set cannot set {', '.join(sorted(unknown))}")
    errors = {field: message for field in sorted(months) if (message := _months_error(months[field]))}
    if errors:
        raise ValidationError(errors, code="invalid")
    policy, _created = RetentionPolicy.objects.select_for_update().get_or_create(
        organisation_id=actor.organisation_id
    )
    before = {field: getattr(policy, field) for field in fields}
    for field, value in months.items():
        setattr(policy, field, value)
    policy.updated_by = actor.person
    policy.save()
    after = {field: getattr(policy, field) for field in fields}
    if before != after:
        record(
            action=Action.RETENTION_CHANGED,
            actor=actor,
            details={"before": before, "after": after},
            request=request,
        )
    return policy


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (the month's last day when shorter)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _ended_before(organisation_id: int, cutoff: datetime.datetime) -> Q:
    return Q(
        relationship__program__organisation_id=organisation_id,
        relationship__status=RelationshipStatus.ENDED,
        relationship__ended_at__lt=cutoff,
    )


def _private_notes(organisation_id: int, cutoff: datetime.datetime) -> int:
    return Note.objects.filter(
        _ended_before(organisation_id, cutoff), visibility=NoteVisibility.PRIVATE
    ).delete()[0]


def _closed_texts(organisation_id: int, cutoff: datetime.datetime) -> int:
    ended = _ended_before(organisation_id, cutoff)
    goals = Goal.objects.filter(ended)
    meetings = Meeting.objects.filter(ended)
    relationships = Relationship.objects.filter(
        program__organisation_id=organisation_id, status=RelationshipStatus.ENDED, ended_at__lt=cutoff
    )
    checkins = Checkin.objects.filter(ended)
    return (
        Note.objects.filter(ended, visibility=NoteVisibility.SHARED).delete()[0]
        + Reflection.objects.filter(ended).delete()[0]
        + GoalComment.objects.filter(goal__in=goals).delete()[0]
        + _blank(ProgressUpdate.objects.filter(goal__in=goals), "text")
        + _blank(goals, "measure", "plan", "relevance")
        + _blank(meetings, "topics")
        + _blank(MeetingPrep.objects.filter(meeting__in=meetings), "agenda", "questions")
        + _blank(Agreement.objects.filter(ended), "expectations", "confidentiality", "ending")
        + _blank(CheckinAnswer.objects.filter(checkin__in=checkins), "blockers")
        + _blank(EndSurveyAnswer.objects.filter(checkin__in=checkins), "what_helped", "what_to_change")
        + _blank(AdvocacyAction.objects.filter(ended), "description")
        + SurveyAnswer.objects.filter(
            instance__relationship__in=relationships, question__kind__in=TEXT_KINDS
        ).delete()[0]
        + _blank(relationships, "note", "end_reason")
    )


def _job_reports(organisation_id: int, cutoff: datetime.datetime) -> int:
    imports = PeopleImport.objects.filter(organisation_id=organisation_id, finished_at__lt=cutoff).filter(
        Q(report__isnull=False) | ~Q(filename="")
    )
    batches = InvitationBatch.objects.filter(
        program__organisation_id=organisation_id, finished_at__lt=cutoff
    ).filter(Q(report__isnull=False) | ~Q(addresses=[]))
    return imports.update(report=None, filename="", content=b"") + batches.update(report=None, addresses=[])


def _notifications(organisation_id: int, cutoff: datetime.datetime) -> int:
    """The sent-e-mail ledger's old rows. A check-in still waiting for its answer keeps its reminder
    rows, or the next sweep would remind again (docs/reminders.md)."""
    open_checkins = Checkin.objects.filter(status=CheckinStatus.PENDING).values("pk")
    return (
        SentNotification.objects.filter(recipient__organisation_id=organisation_id)
        .alias(at=Coalesce("sent_at", "claimed_at"))
        .filter(at__lt=cutoff)
        .exclude(kind=NotificationKind.CHECKIN_REMINDER, object_id__in=open_checkins)
        .delete()[0]
    )


RULES = {
    RetentionRule.PRIVATE_NOTES: _private_notes,
    RetentionRule.CLOSED_TEXTS: _closed_texts,
    RetentionRule.JOB_REPORTS: _job_reports,
    RetentionRule.NOTIFICATIONS: _notifications,
}


@transaction.atomic
def retention_apply(*, organisation: Organisation, now: datetime.datetime | None = None) -> RetentionRun:
    """Remove what is past the organisation's retention periods. Idempotent: a second run at the
    same time finds nothing left. Returns the run, with how many rows each rule removed or emptied
    (rules without a period are left out)."""
    now = now or timezone.now()
    policy = RetentionPolicy.objects.filter(organisation=organisation).first()
    removed: dict[str, int] = {}
    for rule, apply in RULES.items():
        months = policy.months(rule) if policy else None
        if months is not None:
            removed[rule.value] = apply(organisation.pk, months_before(now, months))
    run = RetentionRun.objects.create(organisation=organisation, ran_at=now, removed=removed)
    if any(removed.values()):
        record(action=Action.RETENTION_APPLIED, organisation=organisation, details={"removed": removed})
    return run


def retention_apply_all(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The scheduler's daily job: every organisation with retention periods, each in its own
    transaction; the totals per rule."""
    totals: dict[str, int] = {}
    organisations = Organisation.objects.filter(retention_policy__isnull=False).order_by("pk")
    for organisation in organisations:
        run = retention_apply(organisation=organisation, now=now)
        for rule, count in run.removed.items():
            totals[rule] = totals.get(rule, 0) + count
    return totals
