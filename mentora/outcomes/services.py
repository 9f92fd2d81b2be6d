"""Writes of the outcomes app: the outcome events import (all or nothing) and the outcome analysis,
started by a program's manager and run by a background task."""

import datetime
import logging
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.audit.models import Action
from mentora.audit.services import record
from mentora.core.refusals import Refusal
from mentora.core.roles import Viewer
from mentora.outcomes import analysis
from mentora.outcomes.models import AnalysisStatus, EventKind, LeavingReason, OutcomeAnalysis, OutcomeEvent
from mentora.outcomes.selectors import outcome_frame
from mentora.people.import_files import Unreadable, read_rows
from mentora.people.importing import ImportIssue, import_too_large_message
from mentora.people.models import Person
from mentora.programs.selectors import program_get_managed

logger = logging.getLogger(__name__)

COLUMNS = ("person", "type", "date", "leaving_reason", "performance_band")
REQUIRED = ("person", "type", "date")
MAX_ROWS = 50_000


@dataclass
class EventsImportReport:
    written: bool = False
    created: int = 0
    unchanged: int = 0
    problems: list[ImportIssue] = field(default_factory=list)


class EventsFileTooLarge(Exception):
    def __init__(self, max_bytes: int):
        super().__init__(import_too_large_message(max_bytes))
        self.message = import_too_large_message(max_bytes)


def _require_org_admin(viewer: Viewer) -> None:
    if viewer.person is None or not viewer.is_org_admin:
        raise PermissionDenied(_("Only organisation admins import HR outcome events."))


def _read_upload(upload) -> bytes:
    max_bytes = settings.PEOPLE_IMPORT_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise EventsFileTooLarge(max_bytes)
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise EventsFileTooLarge(max_bytes)
    return content


def outcome_events_import(*, viewer: Viewer, upload, filename: str) -> EventsImportReport:
    """Import a CSV or XLSX of outcome events (docs/outcomes.md): every row is checked first, and
    one problem anywhere writes nothing; the report names each problem's row, column and value.
    A row already imported (same person, type and date) is left as it is."""
    _require_org_admin(viewer)
    content = _read_upload(upload)
    report = EventsImportReport()
    organisation_id = viewer.organisation_id
    people = Person.objects.filter(organisation_id=organisation_id)
    by_employee_id = dict(people.exclude(employee_id="").values_list("employee_id", "pk"))
    by_email = {key.casefold(): pk for key, pk in people.values_list("email", "pk")}
    wanted: dict[tuple[int, str, datetime.date], tuple[int, str, str]] = {}

    def problem(line: int, column: str, value: str, message: str) -> None:
        report.problems.append(ImportIssue(line, column, value, message))

    try:
        rows = read_rows(content, filename, max_rows=MAX_ROWS)
        header = next(rows, None)
        if header is None:
            problem(1, "", "", _("The file is empty."))
            return report
        columns = [cell.strip().lower() for cell in header[1]]
        for name in REQUIRED:
            if name not in columns:
                problem(1, name, "", _("The header has no “%(column)s” column.") % {"column": name})
        unknown = [name for name in columns if name and name not in COLUMNS]
        for name in unknown:
            problem(1, name, name, _("Unknown column; the columns are: %s.") % ", ".join(COLUMNS))
        if report.problems:
            return report
        for line, cells in rows:
            if not any(cells):
                continue
            values = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(columns)}
            _check_row(line, values, by_employee_id, by_email, wanted, problem)
    except Unreadable as unreadable:
        problem(unreadable.line, "", unreadable.value, unreadable.message)
    if report.problems or not wanted:
        if not report.problems:
            problem(1, "", "", _("The file has no events."))
        return report
    report = _write_events(viewer, wanted, report)
    return report


def _check_row(line, values, by_employee_id, by_email, wanted, problem) -> None:
    person_text = values.get("person", "")
    person_id = by_employee_id.get(person_text) or by_email.get(person_text.casefold())
    if not person_text:
        problem(line, "person", "", _("Give the person's employee id or e-mail."))
    elif person_id is None:
        problem(
            line, "person", person_text, _("No person of your organisation has this employee id or e-mail.")
        )
    kind = values.get("type", "").lower()
    if kind not in EventKind.values:
        problem(line, "type", values.get("type", ""), _("Choose one of: %s.") % ", ".join(EventKind.values))
    text = values.get("date", "")
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        problem(line, "date", text, _("Write the date as year-month-day, e.g. 2026-03-31."))
        day = None
    if day is not None and day > timezone.localdate(timezone.now(), timezone=datetime.UTC):
        problem(line, "date", text, _("An outcome event cannot be in the future."))
        day = None
    reason = values.get("leaving_reason", "").lower()
    if reason and kind != EventKind.LEFT:
        problem(line, "leaving_reason", reason, _("A leaving reason is given only for the type “left”."))
    elif reason and reason not in LeavingReason.values:
        problem(line, "leaving_reason", reason, _("Choose one of: %s.") % ", ".join(LeavingReason.values))
    band = values.get("performance_band", "")
    if kind == EventKind.PERFORMANCE and not band:
        problem(line, "performance_band", "", _("A performance review needs its band."))
    elif band and kind != EventKind.PERFORMANCE:
        problem(line, "performance_band", band, _("A band is given only for the type “performance”."))
    elif len(band) > OutcomeEvent._meta.get_field("performance_band").max_length:
        problem(line, "performance_band", band[:40], _("At most 32 characters, please."))
    if person_id is None or kind not in EventKind.values or day is None:
        return
    key = (person_id, kind, day)
    if key in wanted:
        problem(line, "date", text, _("The same event is on row %(row)d.") % {"row": wanted[key][0]})
        return
    wanted[key] = (line, reason, band)


@transaction.atomic
def _write_events(viewer: Viewer, wanted: dict, report: EventsImportReport) -> EventsImportReport:
    existing = set(
        OutcomeEvent.objects.filter(person_id__in={key[0] for key in wanted}).values_list(
            "person_id", "kind", "date"
        )
    )
    now = timezone.now()
    new = [
        OutcomeEvent(
            organisation_id=viewer.organisation_id,
            person_id=person_id,
            kind=kind,
            date=day,
            leaving_reason=reason,
            performance_band=band,
            imported_by=viewer.person,
            imported_at=now,
        )
        for (person_id, kind, day), (_line, reason, band) in wanted.items()
        if (person_id, kind, day) not in existing
    ]
    OutcomeEvent.objects.bulk_create(new)
    report.written, report.created, report.unchanged = True, len(new), len(wanted) - len(new)
    record(
        action=Action.OUTCOME_EVENTS_IMPORTED,
        actor=viewer,
        organisation=viewer.organisation_id,
        details={"created": report.created, "unchanged": report.unchanged},
    )
    return report


def analysis_start(*, viewer: Viewer, program_id: int, as_of: datetime.date | None = None) -> OutcomeAnalysis:
    """Queue an outcome analysis of the program's cycle as of a day (today, UTC, by default); it runs
    once this transaction commits. A program whose cycle has not started has nothing to analyse."""
    program = program_get_managed(viewer=viewer, program_id=program_id)
    today = timezone.localdate(timezone.now(), timezone=datetime.UTC)
    as_of = as_of or today
    if as_of > today:
        raise Refusal(_("The analysis date cannot be in the future."), code="in_future", field="as_of")
    if as_of <= program.starts_on:
        raise Refusal(
            _("The program's cycle starts on %(day)s: there are no outcomes to compare before it.")
            % {"day": program.starts_on.isoformat()},
            code="not_started",
            field="as_of",
        )
    job = OutcomeAnalysis.objects.create(
        organisation_id=program.organisation_id, program=program, requested_by=viewer.person, as_of=as_of
    )
    record(action=Action.OUTCOME_ANALYSIS_STARTED, actor=viewer, target=job, details={"program": program.pk})
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(analysis_id: int) -> None:
    from mentora.outcomes.tasks import outcome_analysis_task  # the task module imports this one

    outcome_analysis_task.enqueue(analysis_id)


def _plain(value: object) -> object:
    """The result as JSON: NaN and infinities (a side with no one matched) become null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def analysis_run(*, analysis_id: int) -> None:
    """Run a queued analysis. Claimed with a conditional update, so that two workers never both run it;
    an unexpected error marks it failed (and is logged) instead of leaving it running."""
    claimed = OutcomeAnalysis.objects.filter(pk=analysis_id, status=AnalysisStatus.QUEUED).update(
        status=AnalysisStatus.RUNNING
    )
    if not claimed:
        return
    job = OutcomeAnalysis.objects.select_related("program").get(pk=analysis_id)
    try:
        frame = outcome_frame(program=job.program, as_of=job.as_of)
        follow_up = (job.as_of - job.program.starts_on).days
        result = analysis.analyse(frame, follow_up_days=follow_up).as_dict()
    except Exception:
        logger.exception("outcome analysis %s failed", analysis_id)
        OutcomeAnalysis.objects.filter(pk=analysis_id).update(
            status=AnalysisStatus.FAILED, finished_at=timezone.now()
        )
        return
    OutcomeAnalysis.objects.filter(pk=analysis_id).update(
        status=AnalysisStatus.DONE, result=_plain(result), finished_at=timezone.now()
    )
