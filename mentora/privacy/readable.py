"""The data export as a page a person can read and print: the JSON document's sections and fields
under translated labels, its times in the reader's time zone."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

SECTIONS = {
    "person": _("Profile and HR record"),
    "hr_history": _("HR history"),
    "roles": _("Roles"),
    "skills": _("Skills"),
    "self_assessment": _("Private self-assessment"),
    "demographics": _("Demographic answers"),
    "enrolments": _("Enrolments and intake answers"),
    "invitations": _("Invitations"),
    "matching_proposals": _("Matching proposals about you"),
    "relationships": _("Mentoring relationships"),
    "notifications": _("E-mails and preferences"),
    "api_tokens": _("API tokens"),
    "calendar_feed": _("Calendar feed"),
    "audit_events": _("Audit events about you"),
}

LABELS = {
    "id": _("Id"),
    "organisation": _("Organisation"),
    "full_name": _("Name"),
    "email": _("E-mail"),
    "employee_id": _("Employee id"),
    "job_title": _("Job title"),
    "job_family": _("Job family"),
    "department": _("Department"),
    "manager": _("Manager"),
    "seniority": _("Seniority"),
    "location": _("Location"),
    "time_zone": _("Time zone"),
    "languages": _("Languages"),
    "availability_hours_per_month": _("Availability (hours per month)"),
    "meeting_mode": _("Preferred meeting mode"),
    "goals": _("Goals"),
    "purpose": _("Purpose"),
    "is_active": _("Active"),
    "leaving_date": _("Leaving date"),
    "field": _("What changed"),
    "from": _("From"),
    "to": _("To"),
    "effective_date": _("Effective"),
    "recorded_at": _("Recorded"),
    "source": _("Source"),
    "created_at": _("Created"),
    "updated_at": _("Last changed"),
    "sign_in_name": _("Sign-in name"),
    "last_sign_in": _("Last sign-in"),
    "offered": _("Skills I offer"),
    "wanted": _("Skills I want to grow"),
    "skill": _("Skill"),
    "level": _("Level"),
    "priority": _("Priority"),
    "reflection": _("What I find hard"),
    "ratings": _("My ratings"),
    "consented_at": _("Consent given"),
    "gender": _("Gender"),
    "age_band": _("Age band"),
    "ethnicity": _("Ethnicity"),
    "disability": _("Disability"),
    "under_sponsored": _("Under-sponsored"),
    "program": _("Program"),
    "role": _("Role"),
    "status": _("Status"),
    "capacity": _("Capacity"),
    "paused_until": _("Paused until"),
    "applied_at": _("Applied"),
    "decided_at": _("Decided"),
    "intake_answers": _("Intake answers"),
    "question": _("Question"),
    "answer": _("Answer"),
    "invited_by": _("Invited by"),
    "sent_at": _("Sent"),
    "accepted_at": _("Accepted"),
    "revoked_at": _("Revoked"),
    "run": _("Matching run"),
    "run_published_at": _("Run published"),
    "partner": _("Partner"),
    "score": _("Score"),
    "state": _("State"),
    "reasons": _("Reasons"),
    "origin": _("Origin"),
    "request_note": _("Request note"),
    "started_at": _("Started"),
    "ended_at": _("Ended"),
    "ends_on": _("Ends on"),
    "end_reason": _("My reason for ending"),
    "agreement": _("Agreement"),
    "expectations": _("Expectations"),
    "confidentiality": _("Confidentiality"),
    "cadence": _("Cadence"),
    "channel": _("Channel"),
    "ending": _("Ending"),
    "mentor_confirmed_at": _("Mentor confirmed"),
    "mentee_confirmed_at": _("Mentee confirmed"),
    "title": _("Title"),
    "measure": _("Measure"),
    "plan": _("Plan"),
    "relevance": _("Relevance"),
    "target_date": _("Target date"),
    "progress": _("Progress"),
    "skills": _("Skills"),
    "milestones": _("Milestones"),
    "done_at": _("Done"),
    "progress_updates": _("Progress updates"),
    "author": _("Author"),
    "percent": _("Percent"),
    "text": _("Text"),
    "at": _("Time"),
    "comments": _("Comments"),
    "meetings": _("Meetings"),
    "starts_at": _("Starts"),
    "duration_minutes": _("Duration (minutes)"),
    "place": _("Place"),
    "video_url": _("Video link"),
    "actual_duration_minutes": _("Actual duration (minutes)"),
    "topics": _("Topics"),
    "mentor_rating": _("Mentor's rating"),
    "mentee_rating": _("Mentee's rating"),
    "agenda": _("Agenda"),
    "questions": _("Questions"),
    "my_notes": _("My notes"),
    "visibility": _("Who can read it"),
    "body": _("Note"),
    "my_checkins": _("My check-ins"),
    "kind": _("Kind"),
    "due_on": _("Due on"),
    "answered_at": _("Answered"),
    "usefulness": _("Usefulness"),
    "meeting_frequency": _("Meeting frequency"),
    "blockers": _("Blockers"),
    "tell_program_manager": _("Tell the program manager"),
    "goals_achieved": _("Goals achieved"),
    "would_recommend": _("Would recommend"),
    "what_helped": _("What helped"),
    "what_to_change": _("What to change"),
    "advocacy": _("Advocacy"),
    "occurred_on": _("Happened on"),
    "description": _("Description"),
    "confirmed_at": _("Confirmed"),
    "my_reflections": _("My reflections"),
    "learned": _("What I learned"),
    "preferences": _("Preferences"),
    "meeting_reminder": _("Meeting reminders"),
    "silent_pair_nudge": _("Nudges when we have not met"),
    "checkin_reminder": _("Check-in reminders"),
    "relationship_update": _("Relationship updates"),
    "sent": _("E-mails sent to you"),
    "claimed_at": _("Queued"),
    "name": _("Name"),
    "prefix": _("Prefix"),
    "scope": _("Scope"),
    "expires_at": _("Expires"),
    "last_used_at": _("Last used"),
    "action": _("Action"),
    "actor": _("By"),
    "target": _("About"),
    "ip_address": _("IP address"),
    "details": _("Details"),
}


@dataclass(frozen=True)
class Field:
    label: str
    value: Any  # a text, a list of Field lists (rows), or a list of Fields (a nested record)
    kind: str  # "text", "record" or "rows"


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    if isinstance(value, list) and all(not isinstance(item, (dict, list)) for item in value):
        return ", ".join(_text(item) for item in value) or "—"
    if isinstance(value, dict) and all(not isinstance(item, (dict, list)) for item in value.values()):
        return "; ".join(f"{key}: {_text(item)}" for key, item in value.items()) or "—"
    return str(value)


def _field(key: str, value: Any) -> Field:
    label = str(LABELS.get(key, key))
    if isinstance(value, dict):
        return Field(label, record(value), "record")
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return Field(label, [record(item) for item in value], "rows")
    return Field(label, _text(value), "text")


def record(document: dict[str, Any]) -> list[Field]:
    return [_field(key, value) for key, value in document.items()]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    field: Field


def readable(document: dict[str, Any]) -> list[Section]:
    """The export's sections, in order, each as labelled fields (see templates/privacy/_field.html)."""
    return [
        Section(key=key, title=str(title), field=_field(key, document.get(key)))
        for key, title in SECTIONS.items()
    ]
