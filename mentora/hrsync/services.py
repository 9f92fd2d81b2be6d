"""The HR file sync's writes: an org admin configures the source and asks for a run; the scheduler
starts the due runs (`hr_syncs_due`); a worker reads the source and imports it through the people
import (`hr_sync_run_execute`), all or nothing, keeping the import job's report as the run's."""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.core.roles import Viewer
from mentora.core.text import control_character_errors, too_long_error
from mentora.hrsync.models import MAX_EVERY_HOURS, HrSyncRun, HrSyncSource, RunStatus, SourceKind, Trigger
from mentora.hrsync.sources import (
    TIMEOUT_SECONDS,
    SourceError,
    folder_error,
    read_folder,
    read_url,
    url_error,
)
from mentora.organisations.models import Organisation
from mentora.people.import_jobs import people_import_create, people_import_run
from mentora.people.models import IMPORT_LEASE

logger = logging.getLogger(__name__)


def _require_org_admin(viewer: Viewer) -> None:
    if viewer.person is None or not viewer.is_org_admin:
        raise PermissionDenied(_("Only organisation admins can configure the HR file sync."))


def hr_sync_configure(
    *,
    viewer: Viewer,
    enabled: bool,
    kind: str,
    folder: str = "",
    url: str = "",
    bearer_token: str | None = None,
    every_hours: int = 24,
) -> HrSyncSource:
    """Save the organisation's source. `bearer_token` None keeps the saved one, "" removes it.
    Turning the schedule on (or changing its interval) schedules the next run for now."""
    _require_org_admin(viewer)
    folder, url = folder.strip(), url.strip()
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str | None) -> None:
        if message:
            errors.setdefault(field, []).append(message)

    if kind not in SourceKind.values:
        add("kind", _("Choose a folder or an address."))
    elif kind == SourceKind.FOLDER:
        add("folder", _("Enter the folder.") if not folder else folder_error(folder))
    else:
        add("url", _("Enter the address.") if not url else url_error(url))
    if not 1 <= every_hours <= MAX_EVERY_HOURS:
        message = ngettext(
            "Choose between 1 and %(max)d hour.", "Choose between 1 and %(max)d hours.", MAX_EVERY_HOURS
        )
        add("every_hours", message % {"max": MAX_EVERY_HOURS})
    for name, value, limit in (
        ("folder", folder, 500),
        ("url", url, 1000),
        ("bearer_token", bearer_token or "", 1000),
    ):
        add(name, too_long_error(value, limit=limit))
    for name, error in control_character_errors(
        single_line={"folder": folder, "url": url, "bearer_token": bearer_token or ""}
    ).items():
        add(name, error.message)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        source = HrSyncSource.objects.select_for_update().filter(
            organisation_id=viewer.organisation_id
        ).first() or HrSyncSource(organisation_id=viewer.organisation_id)
        reschedule = enabled and (not source.enabled or source.every_hours != every_hours)
        source.enabled = enabled
        source.kind = kind
        source.folder = folder if kind == SourceKind.FOLDER else ""
        source.url = url if kind == SourceKind.URL else ""
        if bearer_token is not None:
            source.bearer_token = bearer_token.strip()
        if kind != SourceKind.URL:
            source.bearer_token = ""
        source.every_hours = every_hours
        if reschedule or (enabled and source.next_run_at is None):
            source.next_run_at = timezone.now()
        source.updated_by = viewer.person
        source.save()
    return source


def _source_text(source: HrSyncSource) -> str:
    return source.folder if source.kind == SourceKind.FOLDER else source.url


def _release_lost_runs(*, organisation_id: int) -> None:
    """A run still running after the download's time-out whose import has not reported for
    IMPORT_LEASE lost its worker (killed, redeployed): end it failed, so it does not hold the
    organisation's one active run for ever."""
    now = timezone.now()
    lost = (
        HrSyncRun.objects.filter(
            organisation_id=organisation_id,
            status=RunStatus.RUNNING,
            started_at__lt=now - IMPORT_LEASE - datetime.timedelta(seconds=TIMEOUT_SECONDS),
        )
        .filter(Q(people_import__isnull=True) | Q(people_import__heartbeat_at__lt=now - IMPORT_LEASE))
        .values_list("pk", flat=True)
    )
    HrSyncRun.objects.filter(pk__in=list(lost), status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED,
        finished_at=now,
        reason=_("The sync stopped: its background worker was interrupted. Run it again."),
    )


def _start(*, source: HrSyncSource, trigger: str, requested_by=None) -> HrSyncRun | None:
    """A queued run, enqueued once the transaction commits; None while another run is queued or running."""
    from mentora.hrsync.tasks import hr_sync_run_task

    _release_lost_runs(organisation_id=source.organisation_id)
    try:
        with transaction.atomic():
            run = HrSyncRun.objects.create(
                organisation_id=source.organisation_id,
                trigger=trigger,
                requested_by=requested_by,
                source=_source_text(source),
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: hr_sync_run_task.enqueue(run_id=run.pk))
    return run


def hr_sync_request(*, viewer: Viewer) -> HrSyncRun:
    """ "Run now": an org admin starts a run of the saved source at once."""
    _require_org_admin(viewer)
    source = HrSyncSource.objects.filter(organisation_id=viewer.organisation_id).first()
    if source is None:
        raise ValidationError(_("Save a source first."), code="no_source")
    run = _start(source=source, trigger=Trigger.MANUAL, requested_by=viewer.person)
    if run is None:
        raise ValidationError(
            _("A sync is already queued or running: wait for it to finish."), code="running"
        )
    return run


def hr_syncs_due(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The scheduled job: start a run for each enabled source whose time has come. Each source's
    next time is moved on by a conditional update first, so two schedulers start it once."""
    now = now or timezone.now()
    started = skipped = 0
    for source in HrSyncSource.objects.filter(enabled=True, next_run_at__lte=now):
        next_run_at = now + datetime.timedelta(hours=source.every_hours)
        claimed = HrSyncSource.objects.filter(pk=source.pk, next_run_at=source.next_run_at).update(
            next_run_at=next_run_at
        )
        if not claimed:
            continue
        if _start(source=source, trigger=Trigger.SCHEDULE) is None:
            skipped += 1
        else:
            started += 1
    return {"started": started, "skipped_while_running": skipped}


def _finish(run: HrSyncRun, **fields) -> HrSyncRun:
    for name, value in {**fields, "finished_at": timezone.now()}.items():
        setattr(run, name, value)
    run.save(update_fields=[*fields, "finished_at"])
    return run


def hr_sync_run_execute(*, run_id: int) -> HrSyncRun | None:
    """Read the source and import it (on a worker). A source that cannot be read ends the run failed
    with the reason, nothing changed; otherwise the run ends as its import does (imported, rejected
    with every problem by row, or failed). None when the run is not queued (already taken)."""
    if not HrSyncRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    ):
        return None
    run = HrSyncRun.objects.select_related("organisation").get(pk=run_id)
    source = HrSyncSource.objects.filter(organisation_id=run.organisation_id).first()
    if source is None:
        return _finish(run, status=RunStatus.FAILED, reason=_("The sync's source was removed."))
    try:
        if source.kind == SourceKind.FOLDER:
            export = read_folder(source.folder)
        else:
            export = read_url(source.url, bearer_token=source.bearer_token)
    except SourceError as error:
        return _finish(run, status=RunStatus.FAILED, reason=error.message, source=_source_text(source))
    job = people_import_create(
        organisation=run.organisation, created_by=None, content=export.content, filename=export.filename
    )
    run.people_import = job
    run.source = export.source
    run.save(update_fields=["people_import", "source"])
    job = people_import_run(import_id=job.pk)
    return _finish(run, status=job.status)


def hr_sync_source_for(organisation: Organisation) -> HrSyncSource | None:
    return HrSyncSource.objects.filter(organisation=organisation).first()
