"""The people import as a background job: the upload is stored, a task checks and writes it, and the
page and the API follow its progress. The import itself is `mentora.people.importing.people_import`.
"""

import io
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mentora.audit.models import Action
from mentora.audit.services import record
from mentora.core.roles import Viewer
from mentora.core.text import one_line
from mentora.people.importing import ImportIssue, ImportReport, import_too_large_message, people_import
from mentora.people.models import IMPORT_LEASE, ImportStatus, PeopleImport, Person

logger = logging.getLogger(__name__)


class ImportTooLarge(Exception):
    """The upload is over PEOPLE_IMPORT_MAX_BYTES: refused before it is read."""

    def __init__(self, max_bytes: int):
        super().__init__(import_too_large_message(max_bytes))
        self.message = import_too_large_message(max_bytes)


def _require_manager(viewer: Viewer) -> None:
    if viewer.person is None or not viewer.manages_people:
        raise PermissionDenied(_("Only program managers and organisation admins can import people."))


def people_import_start(*, viewer: Viewer, upload, filename: str, dry_run: bool) -> PeopleImport:
    """Store the upload and queue its import into the viewer's organisation; it runs once this
    transaction commits. A file over the size limit is refused before it is read."""
    _require_manager(viewer)
    max_bytes = settings.PEOPLE_IMPORT_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ImportTooLarge(max_bytes)
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise ImportTooLarge(max_bytes)
    job = people_import_create(
        organisation=viewer.person.organisation,
        created_by=viewer.person,
        content=content,
        filename=filename,
        dry_run=dry_run,
    )
    record(
        action=Action.IMPORT_STARTED,
        actor=viewer,
        target=job,
        details={"dry_run": dry_run, "bytes": len(content)},
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def people_import_create(
    *, organisation, created_by: Person | None, content: bytes, filename: str, dry_run: bool = False
) -> PeopleImport:
    """A queued import job holding the file, for the caller to queue or run (`people_import_run`):
    the upload above, and the scheduled HR file sync (mentora.hrsync), which runs it on its worker."""
    return PeopleImport.objects.create(
        organisation=organisation,
        created_by=created_by,
        filename=one_line(filename or "")[:255],
        content=content,
        dry_run=dry_run,
        stage=_("Queued"),
    )


def _enqueue(import_id: int) -> None:
    from mentora.people.tasks import people_import_task

    people_import_task.enqueue(import_id)


def people_import_run(*, import_id: int) -> PeopleImport | None:
    """Check, then write (unless a dry run), recording progress and the report. Never raises for a
    bad file or an unexpected error: the job ends rejected or failed, and the file is dropped.
    Returns None when the job is not queued (another worker has it, or it already ran)."""
    now = timezone.now()
    claimed = PeopleImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=now, heartbeat_at=now, progress=5, stage=_("Reading the file")
    )
    if not claimed:
        return None
    job = PeopleImport.objects.select_related("organisation").get(pk=import_id)

    def progress(percent: int, stage: str) -> None:
        PeopleImport.objects.filter(pk=import_id).update(
            progress=percent, stage=stage, heartbeat_at=timezone.now()
        )

    try:
        report = people_import(
            organisation=job.organisation,
            file=io.BytesIO(bytes(job.content)),
            filename=job.filename,
            dry_run=job.dry_run,
            progress=progress,
            importer=job.created_by,
            people_import_id=job.pk,
        )
        status = ImportStatus.DONE if report.ok else ImportStatus.REJECTED
    except Exception:
        # people_import removed what its earlier write transactions committed: say so rather than hang.
        logger.exception("People import %s failed", import_id)
        report = _failure(job, _("The import failed unexpectedly and nothing was imported. Try again later."))
        status = ImportStatus.FAILED
    _finish(PeopleImport.objects.filter(pk=import_id), status=status, report=report)
    job.refresh_from_db()
    record(
        action=Action.IMPORT_FAILED if status == ImportStatus.FAILED else Action.IMPORT_FINISHED,
        actor=job.created_by,
        organisation=job.organisation_id,
        target=job,
        details={
            "status": status,
            "dry_run": job.dry_run,
            **{key: getattr(report, key) for key in ("rows", "created", "updated", "unchanged")},
            "errors": len(report.errors),
        },
    )
    return job


def _failure(job: PeopleImport, message: str) -> ImportReport:
    report = ImportReport(dry_run=job.dry_run)
    report.errors = [ImportIssue(1, "", "", message)]
    return report


def _finish(jobs, *, status: str, report: ImportReport) -> None:
    """End the job with its report; the uploaded file is dropped."""
    jobs.update(
        status=status,
        progress=100,
        stage="",
        report=report.as_dict(),
        content=b"",
        finished_at=timezone.now(),
    )


def _fail_if_worker_lost(job: PeopleImport) -> None:
    """A running import without a progress report for IMPORT_LEASE lost its worker (killed, out of
    memory, redeployed): say so instead of showing it running for ever."""
    report = _failure(
        job,
        _(
            "The import stopped: its background worker was interrupted. People written before it "
            "stopped stay; import the same file again to complete it (rows already imported count "
            "as unchanged)."
        ),
    )
    cutoff = timezone.now() - IMPORT_LEASE
    _finish(
        PeopleImport.objects.filter(pk=job.pk, status=ImportStatus.RUNNING, heartbeat_at__lt=cutoff),
        status=ImportStatus.FAILED,
        report=report,
    )


def people_import_get(*, viewer: Viewer, import_id: int) -> PeopleImport:
    """An import of the viewer's organisation, for someone who may import; 404 for anyone else's."""
    _require_manager(viewer)
    jobs = PeopleImport.objects.filter(pk=import_id, organisation=viewer.person.organisation).defer("content")
    job = jobs.first()
    if job is None:
        raise Http404
    if job.status == ImportStatus.RUNNING:
        _fail_if_worker_lost(job)
        job = jobs.get()
    return job
