"""Exports: asked for, built by a background task with progress, downloaded by their requester
until they expire, then their file deleted. And the monthly program report e-mailed to leaders.

Every request and every download is recorded in the audit log. See docs/reports.md.
"""

import logging
from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mentora.audit.models import Action
from mentora.audit.services import record
from mentora.core.links import site_url
from mentora.core.privacy import MIN_AGGREGATE_GROUP
from mentora.core.refusals import Refusal
from mentora.core.roles import Viewer, viewer_for
from mentora.core.tables import Table
from mentora.core.text import one_line
from mentora.evidence.figures import program_figures
from mentora.evidence.selectors import program_dashboard
from mentora.notifications.emails import as_recipient, local_time
from mentora.organisations.models import Role
from mentora.people.models import Person
from mentora.programs.models import Program
from mentora.reports import files
from mentora.reports.models import Export, ExportFormat, ExportStatus, ReportDelivery, ReportSchedule
from mentora.reports.selectors import (
    ExportRefused,
    export_kind,
    export_program,
    export_tables,
)

logger = logging.getLogger(__name__)

# How long a finished export can be downloaded; a monthly report's link lasts until the next is near.
DOWNLOAD_LIFETIME = timedelta(hours=24)
MAILED_REPORT_LIFETIME = timedelta(days=7)


class ExportGone(Exception):
    """The export's download time is over (or it failed): the API answers 410, the page says so."""


# ------------------------------------------------------------------------------------ asking


def export_request(*, viewer: Viewer, kind: str, file_format: str, program_id: int | None = None) -> Export:
    """Queue an export for the viewer; it is built once this transaction commits. Refused for an
    unknown kind or format; a kind the viewer may not export is a PermissionDenied, a program they
    do not manage a 404."""
    if viewer.person is None:
        raise PermissionDenied(_("Only people of an organisation can export."))
    found = export_kind(kind)
    if found is None:
        raise Refusal(_("There is no export of that kind."), code="bad_choice", field="kind")
    if file_format not in found.formats:
        raise Refusal(
            _("This export is offered as %(formats)s.") % {"formats": ", ".join(found.formats)},
            code="bad_choice",
            field="format",
        )
    if found.per_program and program_id is None:
        raise Refusal(_("Choose the program to export."), code="required", field="program_id")
    if not found.allowed(viewer):
        raise PermissionDenied(_("You may not export this."))
    program = export_program(viewer=viewer, kind=found, program_id=program_id)
    return _queue(
        organisation_id=viewer.organisation_id,
        requester=viewer.person,
        actor=viewer,
        kind=found.key,
        file_format=file_format,
        program=program,
    )


def _queue(
    *, organisation_id: int, requester: Person, actor, kind: str, file_format: str, program: Program | None
) -> Export:
    export = Export.objects.create(
        organisation_id=organisation_id,
        requested_by=requester,
        kind=kind,
        params={"program_id": program.pk} if program else {},
        file_format=file_format,
    )
    record(
        action=Action.EXPORT_REQUESTED,
        actor=actor,
        organisation=organisation_id,
        target=export,
        details={"kind": kind, "format": file_format, **export.params},
    )
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int) -> None:
    from mentora.reports.tasks import export_build_task

    export_build_task.enqueue(export_id)


# ------------------------------------------------------------------------------------ building


def export_build(*, export_id: int, now: datetime | None = None) -> Export | None:
    """Build a queued export's file, reporting progress. None when it is not queued (another worker
    has it, or it ran). Never raises: a refusal or a fault ends the export failed with an error code."""
    started = now or timezone.now()
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=started, progress=5
    )
    if not claimed:
        return None
    export = Export.objects.select_related("requested_by__user", "organisation").get(pk=export_id)
    try:
        file = _build_file(export)
    except ExportRefused as refused:
        _fail(export, refused.code)
    except Exception:
        logger.exception("Export %s failed", export_id)
        _fail(export, "server_error")
    else:
        finished = timezone.now()
        lifetime = MAILED_REPORT_LIFETIME if _delivery(export) else DOWNLOAD_LIFETIME
        Export.objects.filter(pk=export_id).update(
            status=ExportStatus.DONE,
            progress=100,
            content=file.content,
            content_type=file.content_type,
            size=len(file.content),
            filename=_filename(export, file.extension),
            finished_at=finished,
            expires_at=finished + lifetime,
        )
    export.refresh_from_db()
    delivery = _delivery(export)
    if delivery is not None and export.status == ExportStatus.DONE:
        _mail_report(delivery, export)
    return export


def _delivery(export: Export) -> ReportDelivery | None:
    return ReportDelivery.objects.filter(export=export).select_related("schedule__created_by").first()


def _authority(export: Export) -> Viewer:
    """Whose rights the export is built with: the requester's as they are now, or for a mailed
    monthly report the rights of the manager who scheduled it (a leader does not manage programs)."""
    delivery = _delivery(export)
    person = delivery.schedule.created_by if delivery else export.requested_by
    if person is None or person.user is None or not person.is_active:
        raise ExportRefused("not_allowed")
    viewer = viewer_for(person.user)
    if viewer.person is None or viewer.organisation_id != export.organisation_id:
        raise ExportRefused("not_allowed")
    return viewer


def _build_file(export: Export) -> files.File:
    kind = export_kind(export.kind)
    if kind is None:
        raise ExportRefused("unknown_kind")
    viewer = _authority(export)
    try:
        program = export_program(viewer=viewer, kind=kind, program_id=export.params.get("program_id"))
    except Http404 as missing:  # the program is gone or no longer theirs to manage
        raise ExportRefused("not_allowed") from missing
    zone = export.requested_by.zone
    tables = export_tables(viewer=viewer, kind=kind, program=program, zone=zone)
    _progress(export, 60)
    if export.file_format == ExportFormat.PDF:
        with as_recipient(export.requested_by):
            return files.pdf_file(context=_report_context(program=program, tables=tables))
    if export.file_format == ExportFormat.XLSX:
        return files.xlsx_file(tables)
    return files.csv_file(tables)


def _report_context(*, program: Program, tables: list[Table]) -> dict:
    """The PDF's figures: each dashboard table with the chart the dashboard draws beside it."""
    drawn = program_figures(program_dashboard(program=program))  # cached: the tables just read
    return {
        "program": program,
        "figures": [{"table": item, "html": drawn[item.key]} for item in tables],
        "generated_at": timezone.now(),
        "min_group": MIN_AGGREGATE_GROUP,
    }


def _progress(export: Export, percent: int) -> None:
    Export.objects.filter(pk=export.pk, status=ExportStatus.RUNNING).update(progress=percent)


def _fail(export: Export, code: str) -> None:
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.FAILED, progress=100, error_code=code, finished_at=timezone.now()
    )


def _filename(export: Export, extension: str) -> str:
    program_id = export.params.get("program_id")
    parts = [export.organisation.slug, export.kind.replace("_", "-")]
    if program_id:
        parts.append(f"program-{program_id}")
    return f"{slugify('-'.join(parts))}-{timezone.localdate():%Y-%m-%d}.{extension}"


# ------------------------------------------------------------------------------------ downloading


def export_download(*, viewer: Viewer, export: Export, now: datetime | None = None) -> Export:
    """The export with its file, for its requester (the caller found it with `selectors.export_get`).
    ExportGone once expired or failed; a Refusal (not_ready) while it is still being built."""
    now = now or timezone.now()
    if export.status in (ExportStatus.EXPIRED, ExportStatus.FAILED) or (
        export.expires_at is not None and export.expires_at <= now
    ):
        raise ExportGone
    if export.status != ExportStatus.DONE:
        raise Refusal(_("The export is not ready yet."), code="not_ready")
    export = Export.objects.get(pk=export.pk)
    record(
        action=Action.EXPORT_DOWNLOADED,
        actor=viewer,
        target=export,
        details={"kind": export.kind, "format": export.file_format, "bytes": export.size},
    )
    return export


def exports_expire(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job: delete the files whose download time is over (the rows stay, as a record)."""
    now = now or timezone.now()
    expired = Export.objects.filter(status=ExportStatus.DONE, expires_at__lte=now).update(
        status=ExportStatus.EXPIRED, content=b"", size=0
    )
    return {"expired": expired}


# ------------------------------------------------------------------------------------ monthly report


def report_schedule_set(*, viewer: Viewer, program: Program, recipient_ids: list[int]) -> ReportSchedule:
    """Choose the leaders who get the program's PDF report every month (none: the mailing stops).
    The caller found the program with `programs.selectors.program_get_managed`."""
    leaders = list(
        Person.objects.filter(
            pk__in=recipient_ids,
            organisation_id=program.organisation_id,
            is_active=True,
            role_memberships__role=Role.LEADER,
        ).distinct()
    )
    if len(leaders) != len(set(recipient_ids)):
        raise Refusal(
            _("Choose leaders of your organisation only."), code="not_a_leader", field="recipient_ids"
        )
    with transaction.atomic():
        schedule, _created = ReportSchedule.objects.get_or_create(
            program=program, defaults={"created_by": viewer.person}
        )
        schedule.created_by = viewer.person  # the report is built with the rights of whoever set it last
        schedule.save(update_fields=["created_by", "updated_at"])
        schedule.recipients.set(leaders)
        record(
            action=Action.REPORT_SCHEDULE_CHANGED,
            actor=viewer,
            target=program,
            details={"recipient_ids": sorted(person.pk for person in leaders)},
        )
    return schedule


def month_start(day: date) -> date:
    return day.replace(day=1)


def scheduled_reports_send(*, now: datetime | None = None) -> dict[str, int]:
    """The daily job: for each schedule, each chosen leader gets this month's report once. Each
    (schedule, leader, month) is claimed by inserting its ReportDelivery: a second run, or a second
    worker, finds it taken and queues nothing."""
    now = now or timezone.now()
    month = month_start(now.astimezone(UTC).date())
    queued = 0
    schedules = ReportSchedule.objects.select_related("program", "created_by").prefetch_related("recipients")
    for schedule in schedules:
        for leader in schedule.recipients.all():
            if not leader.is_active:
                continue
            try:
                with transaction.atomic():
                    delivery = ReportDelivery.objects.create(schedule=schedule, recipient=leader, month=month)
                    delivery.export = _queue(
                        organisation_id=schedule.program.organisation_id,
                        requester=leader,
                        actor=None,
                        kind="program_report",
                        file_format=ExportFormat.PDF,
                        program=schedule.program,
                    )
                    delivery.save(update_fields=["export"])
            except IntegrityError:
                continue  # already claimed this month
            queued += 1
    return {"queued": queued}


def _mail_report(delivery: ReportDelivery, export: Export) -> None:
    """A link, not an attachment: the PDF stays behind the leader's sign-in, expires, and each
    download is audited; an attachment would live on in every mailbox it is forwarded to."""
    claimed = ReportDelivery.objects.filter(pk=delivery.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return
    leader = delivery.recipient
    program = delivery.schedule.program
    with as_recipient(leader):
        subject = _("Monthly report: %(program)s") % {"program": program.name}
        body = _(
            "Hello %(name)s,\n\nThe monthly report of the program %(program)s is ready. "
            "Sign in to download it (until %(until)s): %(link)s\n\n"
            "%(manager)s chose you to receive it; ask them to stop it.\n"
        ) % {
            "name": leader.full_name,
            "program": program.name,
            "until": local_time(export.expires_at, leader),
            "link": site_url("reports:exports"),
            "manager": delivery.schedule.created_by.full_name if delivery.schedule.created_by else "",
        }
    try:
        send_mail(one_line(subject), body, None, [leader.email], fail_silently=False)
    except Exception:
        # At most once, like the reminders' ledger: the leader still finds it on the Exports page.
        logger.exception("Mailing report %s to person %s failed", export.pk, leader.pk)
        return
    record(
        action=Action.REPORT_SENT,
        actor=None,
        organisation=program.organisation_id,
        target=export,
        details={"program_id": program.pk, "recipient_id": leader.pk, "month": delivery.month.isoformat()},
    )
