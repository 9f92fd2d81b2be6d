"""The one source of exportable rows: every list a manager or admin sees, and every table of figures,
as `mentora.core.tables.Table`s. Each kind checks who may export it before reading a row; a kind's
tables hold only what its page shows a manager: no private notes, no self-assessments, no
individual check-in or survey answers, no demographics (tests/reports/test_what_exports_leave_out.py).

An export writes each Table as one CSV (several in a zip) or as one sheet of an XLSX workbook.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mentora.audit.selectors import EXPORT_COLUMNS as AUDIT_COLUMNS
from mentora.audit.selectors import audit_events
from mentora.audit.selectors import export_rows as audit_export_rows
from mentora.checkins.selectors import CheckinAggregates, program_checkin_aggregates
from mentora.core.roles import Viewer
from mentora.core.tables import Table, table
from mentora.evidence.permissions import can_read_rollup
from mentora.evidence.rollup import organisation_rollup
from mentora.evidence.selectors import program_dashboard
from mentora.evidence.services import leaders_reach_refresh
from mentora.pairing.models import MatchRun, Proposal, RunStatus
from mentora.people.exporting import people_export_rows
from mentora.people.importing import EXPORT_COLUMNS as PEOPLE_COLUMNS
from mentora.programs.models import Enrolment, EnrolmentRole, EnrolmentStatus, Program
from mentora.programs.selectors import program_get_managed
from mentora.relationships.models import Relationship, RelationshipStatus
from mentora.reports.models import Export, ExportFormat

SPREADSHEETS = (ExportFormat.CSV, ExportFormat.XLSX)


class ExportRefused(Exception):
    """The requester may not export this (any more): the job ends failed with `code`."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # lazy translation
    per_program: bool  # takes `program_id`; the requester must manage the program
    formats: tuple[str, ...]
    # (viewer, program or None, zone) -> the tables; `allowed` is checked first.
    build: Callable[[Viewer, Program | None, tzinfo], list[Table]]
    allowed: Callable[[Viewer], bool]


def _when(moment: datetime | None, zone: tzinfo) -> str:
    """A time in the requester's zone, ISO 8601 with its offset, so it reads right anywhere."""
    return timezone.localtime(moment, zone).isoformat(timespec="minutes") if moment else ""


def _manages(viewer: Viewer) -> bool:
    return viewer.person is not None and viewer.manages_people


def _org_admin(viewer: Viewer) -> bool:
    return viewer.person is not None and viewer.is_org_admin


# ----------------------------------------------------------------------------------- organisation


def people_tables(viewer: Viewer, _program: None, _zone: tzinfo) -> list[Table]:
    """The people list in the import's columns (people.exporting): no self-assessment, no demographics."""
    return [
        table(
            key="people",
            title=_("People"),
            columns=[(column, column) for column in PEOPLE_COLUMNS],
            rows=list(people_export_rows(viewer=viewer)),
        )
    ]


def audit_tables(viewer: Viewer, _program: None, _zone: tzinfo) -> list[Table]:
    """The audit log as its own export writes it (times in UTC, details as codes and ids)."""
    events = audit_events(organisation_id=viewer.organisation_id)
    return [
        table(
            key="audit_log",
            title=_("Audit log"),
            columns=[(column, column) for column in AUDIT_COLUMNS],
            rows=list(audit_export_rows(events)),
        )
    ]


# ----------------------------------------------------------------------------------- one program


def enrolment_tables(_viewer: Viewer, program: Program, zone: tzinfo) -> list[Table]:
    """Applications and enrolments: who, which side, where it stands. Intake answers stay out."""
    enrolments = (
        Enrolment.objects.filter(program=program)
        .select_related("person", "person__department")
        .order_by("role", "person__full_name", "pk")
    )
    roles, statuses = dict(EnrolmentRole.choices), dict(EnrolmentStatus.choices)
    return [
        table(
            key="enrolments",
            title=_("Enrolments"),
            columns=[
                ("person", _("Person")),
                ("employee_id", _("Employee id")),
                ("department", _("Department")),
                ("role", _("Role")),
                ("status", _("Status")),
                ("capacity", _("Mentees at most")),
                ("applied_at", _("Applied")),
                ("decided_at", _("Decided")),
            ],
            rows=[
                (
                    enrolment.person.full_name,
                    enrolment.person.employee_id,
                    enrolment.person.department.name if enrolment.person.department else "",
                    str(roles.get(enrolment.role, enrolment.role)),
                    str(statuses.get(enrolment.status, enrolment.status)),
                    enrolment.capacity if enrolment.role == EnrolmentRole.MENTOR else "",
                    _when(enrolment.created_at, zone),
                    _when(enrolment.decided_at, zone),
                )
                for enrolment in enrolments
            ],
        )
    ]


def relationship_tables(_viewer: Viewer, program: Program, zone: tzinfo) -> list[Table]:
    """The program's pairs and their dates. The pairing note and the closing reason are the pair's
    own words: they stay out, as do the pair's notes, meetings' content and check-in answers."""
    relationships = (
        Relationship.objects.filter(program=program)
        .select_related("mentor", "mentee")
        .order_by("mentor__full_name", "mentee__full_name", "pk")
    )
    statuses = dict(RelationshipStatus.choices)
    return [
        table(
            key="relationships",
            title=_("Pairs"),
            columns=[
                ("mentor", _("Mentor")),
                ("mentor_employee_id", _("Mentor's employee id")),
                ("mentee", _("Mentee")),
                ("mentee_employee_id", _("Mentee's employee id")),
                ("status", _("Status")),
                ("origin", _("Origin")),
                ("created_at", _("Proposed")),
                ("started_at", _("Started")),
                ("ends_on", _("Ends on")),
                ("ended_at", _("Ended")),
            ],
            rows=[
                (
                    relationship.mentor.full_name,
                    relationship.mentor.employee_id,
                    relationship.mentee.full_name,
                    relationship.mentee.employee_id,
                    str(statuses.get(relationship.status, relationship.status)),
                    relationship.origin,
                    _when(relationship.created_at, zone),
                    _when(relationship.started_at, zone),
                    relationship.ends_on.isoformat(),
                    _when(relationship.ended_at, zone),
                )
                for relationship in relationships.iterator(chunk_size=2000)
            ],
        )
    ]


def matching_tables(_viewer: Viewer, program: Program, _zone: tzinfo) -> list[Table]:
    """The latest finished matching run's proposals: the pair, its score and state (the run page's
    list). Intake answers and the score's private inputs stay out."""
    run = (
        MatchRun.objects.filter(program=program, status=RunStatus.SUCCEEDED)
        .order_by("-finished_at", "-pk")
        .first()
    )
    proposals = (
        Proposal.objects.filter(run=run).select_related("mentor", "mentee").order_by("-score", "pk")
        if run
        else Proposal.objects.none()
    )
    return [
        table(
            key="matching_results",
            title=_("Matching results"),
            columns=[
                ("run", _("Run")),
                ("mentor", _("Mentor")),
                ("mentee", _("Mentee")),
                ("score", _("Score")),
                ("state", _("State")),
                ("locked", _("Locked")),
            ],
            rows=[
                (
                    run.pk,
                    proposal.mentor.full_name,
                    proposal.mentee.full_name,
                    round(proposal.score, 3),
                    proposal.state,
                    _("yes") if proposal.locked else _("no"),
                )
                for proposal in proposals
            ],
            note="" if run else _("The program has no finished matching run."),
        )
    ]


def checkin_tables(_viewer: Viewer, program: Program, _zone: tzinfo) -> list[Table]:
    """The pulse figures the program page shows: published periods only, each group under the
    minimum size already withheld when the period was published (checkins.services, core.privacy)."""
    return _checkin_tables(program_checkin_aggregates(program=program))


def _checkin_tables(aggregates: CheckinAggregates) -> list[Table]:
    note = ngettext(
        "Groups of fewer than %(n)d answer are withheld (empty cells).",
        "Groups of fewer than %(n)d answers are withheld (empty cells).",
        aggregates.min_group_size,
    ) % {"n": aggregates.min_group_size}
    periods = table(
        key="checkin_periods",
        title=_("Check-in answers by period"),
        columns=[
            ("starts_on", _("From")),
            ("ends_on", _("To")),
            ("answers", _("Answers")),
            ("usefulness_mean", _("Usefulness (mean, 1–5)")),
            ("with_blockers", _("Answers naming a blocker")),
        ],
        rows=[
            (
                period.starts_on.isoformat(),
                period.last_day.isoformat(),
                period.answers,
                round(period.usefulness_mean, 2),
                period.with_blockers,
            )
            for period in aggregates.periods
        ],
        note=note,
    )
    sides = table(
        key="checkin_sides",
        title=_("Check-in answers by side"),
        columns=[
            ("starts_on", _("From")),
            ("side", _("Side")),
            ("answers", _("Answers")),
            ("usefulness_mean", _("Usefulness (mean, 1–5)")),
        ],
        rows=[
            (
                period.starts_on.isoformat(),
                label,
                cell.answers if cell else None,
                round(cell.usefulness_mean, 2) if cell and cell.usefulness_mean is not None else None,
            )
            for period in aggregates.periods
            for label, cell in period.side_rows
        ],
        note=note,
    )
    return [periods, sides]


def report_tables(_viewer: Viewer, program: Program, _zone: tzinfo) -> list[Table]:
    """Every table of the program dashboard (mentora.evidence), suppression applied there: the PDF
    report, or a workbook of its tables."""
    return list(program_dashboard(program=program).tables)


def rollup_tables(viewer: Viewer, _program: None, _zone: tzinfo) -> list[Table]:
    """The organisation roll-up's tables, as org admins and leaders see them (mentora.evidence)."""
    leaders_reach_refresh(organisation_id=viewer.organisation_id)  # as the roll-up page does
    return list(organisation_rollup(organisation_id=viewer.organisation_id).tables)


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("people", gettext_lazy("People"), False, SPREADSHEETS, people_tables, _manages),
        Kind("audit_log", gettext_lazy("Audit log"), False, SPREADSHEETS, audit_tables, _org_admin),
        Kind("enrolments", gettext_lazy("Enrolments"), True, SPREADSHEETS, enrolment_tables, _manages),
        Kind("relationships", gettext_lazy("Pairs"), True, SPREADSHEETS, relationship_tables, _manages),
        Kind(
            "matching_results",
            gettext_lazy("Matching results"),
            True,
            SPREADSHEETS,
            matching_tables,
            _manages,
        ),
        Kind("checkins", gettext_lazy("Check-in figures"), True, SPREADSHEETS, checkin_tables, _manages),
        Kind(
            "rollup",
            gettext_lazy("Organisation roll-up"),
            False,
            SPREADSHEETS,
            rollup_tables,
            can_read_rollup,
        ),
        Kind(
            "program_report",
            gettext_lazy("Program report"),
            True,
            (ExportFormat.PDF, *SPREADSHEETS),
            report_tables,
            _manages,
        ),
    )
}


def export_kind(key: str) -> Kind | None:
    return KINDS.get(key)


def export_program(*, viewer: Viewer, kind: Kind, program_id: int | None) -> Program | None:
    """The program a per-program kind is about, if the viewer manages it (404 otherwise)."""
    if not kind.per_program:
        return None
    if program_id is None:
        raise Http404
    return program_get_managed(viewer=viewer, program_id=program_id)


def export_tables(*, viewer: Viewer, kind: Kind, program: Program | None, zone: tzinfo) -> list[Table]:
    """The kind's tables for this viewer; refused (not_allowed) when their role no longer allows it."""
    if not kind.allowed(viewer):
        raise ExportRefused("not_allowed")
    return kind.build(viewer, program, zone)


def exports_of(*, viewer: Viewer) -> QuerySet[Export]:
    """The viewer's own exports, newest first (the file itself is not read)."""
    if viewer.person is None:
        return Export.objects.none()
    return (
        Export.objects.filter(requested_by=viewer.person, organisation_id=viewer.organisation_id)
        .defer("content")
        .order_by("-created_at", "-pk")
    )


def export_get(*, viewer: Viewer, export_id: int) -> Export:
    """The viewer's own export; 404 for anyone else's, in any organisation, so nothing leaks."""
    export = (
        Export.objects.filter(
            pk=export_id, requested_by=viewer.person or -1, organisation_id=viewer.organisation_id or -1
        )
        .defer("content")
        .first()
    )
    if export is None:
        raise Http404
    return export
