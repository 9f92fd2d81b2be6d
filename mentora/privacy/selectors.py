"""Reads of the privacy app: everything Mentora holds about one person (the data export), an
organisation's retention periods and runs, and the people an org admin may erase.

The export reads each table once for the whole person (a fixed number of queries however long
their history), so it is built on request rather than by a background task (docs/privacy.md).
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mentora.advocacy.models import AdvocacyAction
from mentora.agreements.models import Agreement, Reflection
from mentora.api.models import ApiToken
from mentora.audit.models import AuditEvent
from mentora.checkins.models import Checkin
from mentora.core.roles import Viewer
from mentora.goals.models import Goal, GoalComment, Milestone, ProgressUpdate
from mentora.meetings.models import CalendarFeed, Meeting
from mentora.notes.models import Note
from mentora.notifications.models import NotificationPreference, SentNotification
from mentora.organisations.models import Role
from mentora.pairing.models import Proposal
from mentora.people.models import DemographicProfile, Person, PersonHrChange, SelfAssessment
from mentora.privacy.models import Erasure, RetentionPolicy, RetentionRun
from mentora.programs.models import Enrolment, IntakeAnswer, Invitation
from mentora.relationships.models import Relationship
from mentora.surveys.models import SurveyInstance

EXPORT_FORMAT = "mentora.personal-data/1"


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _profile(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "organisation": person.organisation.name,
        "full_name": person.full_name,
        "email": person.email,
        "employee_id": person.employee_id,
        "job_title": person.job_title,
        "job_family": person.job_family,
        "department": person.department.name if person.department else None,
        "manager": person.manager.full_name if person.manager else None,
        "seniority": person.seniority,
        "location": person.location,
        "time_zone": person.time_zone,
        "languages": [language.name for language in person.languages.all()],
        "availability_hours_per_month": person.availability_hours_per_month,
        "meeting_mode": person.meeting_mode,
        "goals": person.goals,
        "purpose": person.purpose,
        "is_active": person.is_active,
        "leaving_date": _when(person.leaving_date),
        "created_at": _when(person.created_at),
        "updated_at": _when(person.updated_at),
        "sign_in_name": person.user.get_username(),
        "last_sign_in": _when(person.user.last_login),
    }


def _hr_history(person: Person) -> list[dict]:
    return [
        {
            "field": change.field,
            "from": change.old_value,
            "to": change.new_value,
            "effective_date": _when(change.effective_date),
            "recorded_at": _when(change.recorded_at),
            "source": change.source,
        }
        for change in PersonHrChange.objects.filter(person=person).order_by(
            "effective_date", "recorded_at", "id"
        )
    ]


def _skills(person: Person) -> dict[str, list[dict]]:
    return {
        "offered": [
            {"skill": row.skill.name, "level": row.level}
            for row in person.offered_skills.select_related("skill").order_by("skill__name")
        ],
        "wanted": [
            {"skill": row.skill.name, "priority": row.priority}
            for row in person.wanted_skills.select_related("skill").order_by("skill__name")
        ],
    }


def _self_assessment(person: Person) -> dict | None:
    assessment = SelfAssessment.objects.filter(person=person).first()
    if assessment is None:
        return None
    return {
        "reflection": assessment.reflection,
        "ratings": [
            {"skill": rating.skill.name, "level": rating.level}
            for rating in assessment.ratings.select_related("skill").order_by("skill__name")
        ],
        "updated_at": _when(assessment.updated_at),
    }


def _demographics(person: Person) -> dict | None:
    profile = DemographicProfile.objects.filter(person=person).first()
    if profile is None:
        return None
    return {
        "consented_at": _when(profile.consented_at),
        "gender": profile.gender,
        "age_band": profile.age_band,
        "ethnicity": profile.ethnicity,
        "disability": profile.disability,
        "under_sponsored": profile.under_sponsored,
    }


def _enrolments(person: Person) -> list[dict]:
    answers: dict[int, list[dict]] = {}
    for answer in (
        IntakeAnswer.objects.filter(enrolment__person=person)
        .select_related("question")
        .order_by("question__position", "id")
    ):
        answers.setdefault(answer.enrolment_id, []).append(
            {"question": answer.question.prompt, "answer": answer.value}
        )
    return [
        {
            "program": enrolment.program.name,
            "role": enrolment.role,
            "status": enrolment.status,
            "capacity": enrolment.capacity,
            "paused_until": _when(enrolment.paused_until),
            "applied_at": _when(enrolment.created_at),
            "decided_at": _when(enrolment.decided_at),
            "intake_answers": answers.get(enrolment.pk, []),
        }
        for enrolment in Enrolment.objects.filter(person=person)
        .select_related("program")
        .order_by("created_at")
    ]


def _invitations(person: Person) -> list[dict]:
    return [
        {
            "program": invitation.program.name,
            "invited_by": invitation.invited_by.full_name if invitation.invited_by else None,
            "sent_at": _when(invitation.sent_at),
            "accepted_at": _when(invitation.accepted_at),
            "revoked_at": _when(invitation.revoked_at),
        }
        for invitation in Invitation.objects.filter(person=person)
        .select_related("program", "invited_by")
        .order_by("sent_at", "id")
    ]


def _proposals(person: Person) -> list[dict]:
    """Matching proposals about them. The partner of a run not yet published is not named: the
    managers may still change it, and the partner has not been told either."""
    rows = []
    for proposal in (
        Proposal.objects.filter(Q(mentor=person) | Q(mentee=person))
        .select_related("run__program", "mentor", "mentee")
        .order_by("run__created_at", "id")
    ):
        published = proposal.run.published_at is not None
        partner = proposal.mentee if proposal.mentor_id == person.pk else proposal.mentor
        rows.append(
            {
                "program": proposal.run.program.name,
                "run": proposal.run_id,
                "run_published_at": _when(proposal.run.published_at),
                "role": "mentor" if proposal.mentor_id == person.pk else "mentee",
                "partner": partner.full_name if published else None,
                "score": proposal.score,
                "state": proposal.state,
                "reasons": proposal.reasons if published else None,
            }
        )
    return rows


def _by_relationship(rows, key: str = "relationship_id") -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


def _goal(goal: Goal, milestones: list, updates: list, comments: list) -> dict:
    return {
        "title": goal.title,
        "measure": goal.measure,
        "plan": goal.plan,
        "relevance": goal.relevance,
        "target_date": _when(goal.target_date),
        "status": goal.status,
        "progress": goal.progress,
        "skills": [skill.name for skill in goal.skills.all()],
        "milestones": [{"title": m.title, "done_at": _when(m.done_at)} for m in milestones],
        "progress_updates": [
            {"author": u.author.full_name, "percent": u.percent, "text": u.text, "at": _when(u.created_at)}
            for u in updates
        ],
        "comments": [
            {"author": c.author.full_name, "text": c.text, "at": _when(c.created_at)} for c in comments
        ],
        "created_at": _when(goal.created_at),
    }


def _meeting(meeting: Meeting) -> dict:
    prep = getattr(meeting, "prep", None)
    return {
        "starts_at": _when(meeting.starts_at),
        "duration_minutes": meeting.duration_minutes,
        "place": meeting.place,
        "video_url": meeting.video_url,
        "status": meeting.status,
        "actual_duration_minutes": meeting.actual_duration_minutes,
        "topics": meeting.topics,
        "mentor_rating": meeting.mentor_rating,
        "mentee_rating": meeting.mentee_rating,
        "agenda": prep.agenda if prep else "",
        "questions": prep.questions if prep else "",
    }


def _survey(instance: SurveyInstance) -> dict:
    return {
        "survey": instance.template.kind,
        "due_on": _when(instance.due_on),
        "status": instance.status,
        "answered_at": _when(instance.answered_at),
        "rematch_offered": instance.rematch_offered,
        "answers": [
            {"question": a.question.prompt, "answer": a.score if a.score is not None else a.value}
            for a in sorted(instance.answers.all(), key=lambda a: a.question.position)
        ],
    }


def _checkin(checkin: Checkin) -> dict:
    row: dict[str, Any] = {
        "kind": checkin.kind,
        "due_on": _when(checkin.due_on),
        "status": checkin.status,
        "answered_at": _when(checkin.answered_at),
        "answer": None,
    }
    answer = getattr(checkin, "answer", None)
    if answer is not None:
        row["answer"] = {
            "usefulness": answer.usefulness,
            "meeting_frequency": answer.meeting_frequency,
            "blockers": answer.blockers,
            "tell_program_manager": answer.tell_program_manager,
        }
    end = getattr(checkin, "end_answer", None)
    if end is not None:
        row["answer"] = {
            "usefulness": end.usefulness,
            "goals_achieved": end.goals_achieved,
            "would_recommend": end.would_recommend,
            "what_helped": end.what_helped,
            "what_to_change": end.what_to_change,
        }
    return row


def _relationships(person: Person) -> list[dict]:
    relationships = list(
        Relationship.objects.filter(Q(mentor=person) | Q(mentee=person))
        .select_related("program", "mentor", "mentee")
        .order_by("created_at", "id")
    )
    ids = [r.pk for r in relationships]
    agreements = {a.relationship_id: a for a in Agreement.objects.filter(relationship_id__in=ids)}
    goals = _by_relationship(
        Goal.objects.filter(relationship_id__in=ids).prefetch_related("skills").order_by("id")
    )
    goal_ids = [g.pk for rows in goals.values() for g in rows]
    milestones = _by_relationship(
        Milestone.objects.filter(goal_id__in=goal_ids).order_by("position", "id"), "goal_id"
    )
    updates = _by_relationship(
        ProgressUpdate.objects.filter(goal_id__in=goal_ids)
        .select_related("author")
        .order_by("created_at", "id"),
        "goal_id",
    )
    comments = _by_relationship(
        GoalComment.objects.filter(goal_id__in=goal_ids)
        .select_related("author")
        .order_by("created_at", "id"),
        "goal_id",
    )
    meetings = _by_relationship(
        Meeting.objects.filter(relationship_id__in=ids).select_related("prep").order_by("starts_at", "id")
    )
    notes = _by_relationship(
        Note.objects.filter(relationship_id__in=ids, author=person).order_by("created_at", "id")
    )
    checkins = _by_relationship(
        Checkin.objects.filter(relationship_id__in=ids, respondent=person)
        .select_related("answer", "end_answer")
        .order_by("due_on", "id")
    )
    surveys = _by_relationship(
        SurveyInstance.objects.filter(relationship_id__in=ids, respondent=person)
        .select_related("template")
        .prefetch_related("answers__question")
        .order_by("due_on", "id")
    )
    advocacy = _by_relationship(
        AdvocacyAction.objects.filter(relationship_id__in=ids).order_by("occurred_on", "id")
    )
    reflections = _by_relationship(
        Reflection.objects.filter(relationship_id__in=ids, author=person).order_by("created_at", "id")
    )
    rows = []
    for relationship in relationships:
        agreement = agreements.get(relationship.pk)
        rows.append(
            {
                "id": relationship.pk,
                "program": relationship.program.name,
                "role": relationship.side_of(person),
                "partner": relationship.partner_of(person).full_name,
                "status": relationship.status,
                "origin": relationship.origin,
                "request_note": relationship.note,
                "created_at": _when(relationship.created_at),
                "started_at": _when(relationship.started_at),
                "ended_at": _when(relationship.ended_at),
                "ends_on": _when(relationship.ends_on),
                # The no-fault exit's reason is private to whoever gave it (and the managers).
                "end_reason": relationship.end_reason if relationship.ended_by_id == person.pk else None,
                "agreement": {
                    "expectations": agreement.expectations,
                    "confidentiality": agreement.confidentiality,
                    "cadence": agreement.cadence,
                    "channel": agreement.channel,
                    "ending": agreement.ending,
                    "mentor_confirmed_at": _when(agreement.mentor_confirmed_at),
                    "mentee_confirmed_at": _when(agreement.mentee_confirmed_at),
                }
                if agreement
                else None,
                "goals": [
                    _goal(g, milestones.get(g.pk, []), updates.get(g.pk, []), comments.get(g.pk, []))
                    for g in goals.get(relationship.pk, [])
                ],
                "meetings": [_meeting(m) for m in meetings.get(relationship.pk, [])],
                "my_notes": [
                    {
                        "visibility": n.visibility,
                        "title": n.title,
                        "body": n.body,
                        "created_at": _when(n.created_at),
                        "updated_at": _when(n.updated_at),
                    }
                    for n in notes.get(relationship.pk, [])
                ],
                "my_checkins": [_checkin(c) for c in checkins.get(relationship.pk, [])],
                "my_surveys": [_survey(s) for s in surveys.get(relationship.pk, [])],
                "advocacy": [
                    {
                        "kind": a.kind,
                        "occurred_on": _when(a.occurred_on),
                        "description": a.description,
                        "confirmed_at": _when(a.confirmed_at),
                    }
                    for a in advocacy.get(relationship.pk, [])
                ],
                "my_reflections": [
                    {"learned": r.learned, "created_at": _when(r.created_at)}
                    for r in reflections.get(relationship.pk, [])
                ],
            }
        )
    return rows


def _notifications(person: Person) -> dict:
    preference = NotificationPreference.objects.filter(person=person).first()
    return {
        "preferences": {
            "meeting_reminder": preference.meeting_reminder,
            "silent_pair_nudge": preference.silent_pair_nudge,
            "checkin_reminder": preference.checkin_reminder,
            "relationship_update": preference.relationship_update,
        }
        if preference
        else None,
        "sent": [
            {
                "kind": n.kind,
                "status": n.status,
                "claimed_at": _when(n.claimed_at),
                "sent_at": _when(n.sent_at),
            }
            for n in SentNotification.objects.filter(recipient=person).order_by("claimed_at", "id")
        ],
    }


def _audit_events(person: Person) -> list[dict]:
    """The audit log's events done by them or to them (their sign-ins, role changes, exports...)."""
    events = AuditEvent.objects.filter(
        Q(actor_person_id=person.pk)
        | Q(actor_user_id=person.user_id)
        | Q(target_type="people.person", target_id=str(person.pk))
    ).order_by("created_at", "id")
    return [
        {
            "at": _when(event.created_at),
            "action": event.action,
            "actor": event.actor_label,
            "target": event.target_label,
            "ip_address": event.ip_address,
            "details": event.details,
        }
        for event in events
    ]


def personal_data_export(*, person: Person) -> dict[str, Any]:
    """Everything Mentora holds about `person`, as one JSON-ready document. Their partners' private
    notes and reflections, and other people's check-in answers, are not theirs and are left out."""
    person = Person.objects.select_related("organisation", "department", "manager", "user").get(pk=person.pk)
    return {
        "format": EXPORT_FORMAT,
        "generated_at": _when(timezone.now()),
        "person": _profile(person),
        "hr_history": _hr_history(person),
        "roles": sorted(person.role_memberships.values_list("role", flat=True)),
        "skills": _skills(person),
        "self_assessment": _self_assessment(person),
        "demographics": _demographics(person),
        "enrolments": _enrolments(person),
        "invitations": _invitations(person),
        "matching_proposals": _proposals(person),
        "relationships": _relationships(person),
        "notifications": _notifications(person),
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "scope": token.scope,
                "created_at": _when(token.created_at),
                "expires_at": _when(token.expires_at),
                "last_used_at": _when(token.last_used_at),
            }
            for token in ApiToken.objects.filter(user_id=person.user_id).order_by("created_at", "id")
        ],
        "calendar_feed": CalendarFeed.objects.filter(person=person).exists(),
        "audit_events": _audit_events(person),
    }


# ---- retention and erasure, for org admins ----------------------------------------------------


def retention_policy_for(*, organisation_id: int) -> RetentionPolicy:
    """The organisation's retention periods (an unsaved, empty policy when none were set)."""
    return RetentionPolicy.objects.filter(organisation_id=organisation_id).first() or RetentionPolicy(
        organisation_id=organisation_id
    )


def retention_runs_recent(*, organisation_id: int, limit: int = 10) -> QuerySet[RetentionRun]:
    return RetentionRun.objects.filter(organisation_id=organisation_id).order_by("-ran_at", "-id")[:limit]


def erasures_recent(*, organisation_id: int, limit: int = 20) -> QuerySet[Erasure]:
    return (
        Erasure.objects.filter(organisation_id=organisation_id)
        .select_related("erased_by")
        .order_by("-erased_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class ErasureCandidate:
    person: Person
    is_org_admin: bool


def erasure_candidate_get(*, viewer: Viewer, person_id: int) -> ErasureCandidate:
    """A person of the org admin's own organisation who has not been erased; 404 otherwise (another
    organisation's people do not exist for them)."""
    person = (
        Person.objects.filter(organisation_id=viewer.organisation_id, pk=person_id, erasure__isnull=True)
        .select_related("department", "user")
        .first()
    )
    if person is None:
        raise Http404
    return ErasureCandidate(
        person=person, is_org_admin=person.role_memberships.filter(role=Role.ORG_ADMIN).exists()
    )


def erasure_find(*, viewer: Viewer, query: str) -> Person | None:
    """The person of the viewer's organisation with this e-mail or employee id, not erased."""
    query = query.strip()
    if not query:
        return None
    return (
        Person.objects.filter(organisation_id=viewer.organisation_id, erasure__isnull=True)
        .filter(Q(email__iexact=query) | Q(employee_id=query))
        .first()
    )
