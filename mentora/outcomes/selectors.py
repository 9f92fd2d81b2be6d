"""Reads for the outcome analysis: the people eligible at a cycle's start as one plain row each
(mentora.outcomes.analysis.COLUMNS), rebuilt from the effective-dated people history and the imported
outcome events; and the stored analyses a viewer may read."""

import datetime
import math
from collections import defaultdict

import pandas as pd
from django.db.models import Count, Q
from django.http import Http404

from mentora.core.roles import Viewer
from mentora.meetings.models import MeetingStatus
from mentora.outcomes.analysis import COLUMNS
from mentora.outcomes.models import EventKind, OutcomeAnalysis, OutcomeEvent
from mentora.people.models import HrField, Person, PersonHrChange
from mentora.programs.models import Program
from mentora.programs.selectors import location_is_eligible, program_get_managed
from mentora.relationships.models import Relationship

MEETINGS_FOR_QUALITY = 3


def cohort_label(day: datetime.date) -> str:
    """The cohort of a pair: the calendar quarter its pair started in."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _as_of_start(
    current: object, changes: list[tuple[datetime.date, object]], start: datetime.date
) -> object:
    """The value on the start date: today's value with every later change undone (newest first)."""
    value = current
    for effective, old in sorted(changes, key=lambda change: change[0], reverse=True):
        if effective > start:
            value = old
    return value


def _seniority(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def outcome_frame(*, program: Program, as_of: datetime.date) -> pd.DataFrame:
    """One row per person eligible at the cycle's start: active on that day, of the program's
    organisation and within its eligibility (department, seniority, location as they were then), and
    never a mentor of the program. Participants are the mentees of its pairs that started. Six queries,
    whatever the organisation's size."""
    start = program.starts_on
    organisation_id = program.organisation_id
    pairs = list(
        Relationship.objects.filter(program=program, started_at__isnull=False)
        .annotate(held=Count("meetings", filter=Q(meetings__status=MeetingStatus.HAPPENED)))
        .values_list("mentor_id", "mentee_id", "started_at", "held")
    )
    mentors = {mentor for mentor, _mentee, _started, _held in pairs}
    entries: dict[int, tuple[datetime.date, int]] = {}
    for _mentor, mentee, started, held in pairs:
        day = started.astimezone(datetime.UTC).date()
        first, most = entries.get(mentee, (day, 0))
        entries[mentee] = (min(first, day), max(most, held))
    departments = set(program.eligible_departments.values_list("pk", flat=True))

    history: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for person_id, field, old_value, new_value, old_ref, new_ref, effective in PersonHrChange.objects.filter(
        organisation_id=organisation_id,
        field__in=[HrField.DEPARTMENT, HrField.SENIORITY, HrField.LEAVING_DATE],
    ).values_list("person_id", "field", "old_value", "new_value", "old_ref", "new_ref", "effective_date"):
        history[person_id][field].append((effective, old_value, new_value, old_ref, new_ref))
    events: dict[int, dict[str, list[datetime.date]]] = defaultdict(lambda: defaultdict(list))
    for person_id, kind, day in OutcomeEvent.objects.filter(organisation_id=organisation_id).values_list(
        "person_id", "kind", "date"
    ):
        events[person_id][kind].append(day)

    rows = []
    people = Person.objects.filter(organisation_id=organisation_id).exclude(pk__in=mentors)
    for person in people.values(
        "pk", "department_id", "seniority", "location", "is_active", "leaving_date", "created_at"
    ):
        pk = person["pk"]
        changes = history.get(pk, {})
        own = events.get(pk, {})
        leaving = [day for day in (person["leaving_date"], *own.get(EventKind.LEFT, [])) if day]
        leave_day = min(leaving) if leaving else None
        joined = min(
            own.get(EventKind.JOINED, []), default=person["created_at"].astimezone(datetime.UTC).date()
        )
        if joined > start or (leave_day is not None and leave_day < start):
            continue
        if leave_day is None and not person["is_active"]:
            continue  # deactivated on a day nobody recorded: whether they were there at the start is unknown
        department = _as_of_start(
            person["department_id"],
            [(effective, old_ref) for effective, _o, _n, old_ref, _r in changes.get(HrField.DEPARTMENT, [])],
            start,
        )
        seniority = _as_of_start(
            person["seniority"],
            [
                (effective, _seniority(old))
                for effective, old, _n, _o, _r in changes.get(HrField.SENIORITY, [])
            ],
            start,
        )
        participant = pk in entries
        if not participant and not (
            program.min_seniority <= (seniority or 0) <= program.max_seniority
            and (not departments or department in departments)
            and location_is_eligible(program=program, location=person["location"])
        ):
            continue
        promotions = {
            effective
            for effective, old, new, _o, _r in changes.get(HrField.SENIORITY, [])
            if (_seniority(new) or 0) > (_seniority(old) or math.inf)
        } | set(own.get(EventKind.PROMOTED, []))
        moves = {
            effective
            for effective, _old, _new, old_ref, new_ref in changes.get(HrField.DEPARTMENT, [])
            if old_ref is not None and new_ref is not None
        } | set(own.get(EventKind.MOVED, []))
        entry = entries.get(pk)
        rows.append(
            {
                "person_id": pk,
                "participant": participant,
                "department": str(department or ""),
                "location": person["location"],
                "seniority": float(seniority or 1),
                "tenure_years": max((start - joined).days, 0) / 365.25,
                "promotion_days": tuple(sorted((day - start).days for day in promotions)),
                "move_days": tuple(sorted((day - start).days for day in moves)),
                "leave_day": float((leave_day - start).days)
                if leave_day and leave_day <= as_of
                else math.nan,
                "entry_day": float((entry[0] - start).days) if entry else math.nan,
                "cohort": cohort_label(entry[0]) if entry else "",
                "met_3": bool(entry and entry[1] >= MEETINGS_FOR_QUALITY),
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def analysis_list(*, program: Program) -> list[OutcomeAnalysis]:
    return list(OutcomeAnalysis.objects.filter(program=program).select_related("requested_by")[:10])


def analysis_get(*, viewer: Viewer, analysis_id: int) -> OutcomeAnalysis:
    """An analysis of a program the viewer manages (org admins: any of their organisation's); 404 else."""
    analysis = (
        OutcomeAnalysis.objects.filter(pk=analysis_id, organisation_id=viewer.organisation_id or -1)
        .select_related("program")
        .first()
    )
    if analysis is None:
        raise Http404
    program_get_managed(viewer=viewer, program_id=analysis.program_id)
    return analysis
