"""Background work for the results, run by the worker (``manage.py db_worker``, Django's Tasks
framework with django-tasks-db): answers exports too large to build within a web request."""

from __future__ import annotations

import os
import tempfile
import time
from datetime import datetime, timedelta
from uuid import UUID

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.tasks import TaskResultStatus, task
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from integration_mapping.routers import report_reads
from reports import exports
from reports.models import Export, ExportStatus

EXPORT_LIFETIME = timedelta(hours=24)
PROGRESS_EVERY = 500
# The task shows it is alive (Export.heartbeat_at) at least this often while it writes rows; an
# export without a sign of life for EXPORT_STALL_AFTER lost its worker (fail_stalled_exports).
HEARTBEAT_SECONDS = 10
EXPORT_STALL_AFTER = timedelta(minutes=2)


class WorkerStopped(Exception):
    """The worker stopped (killed, its machine restarted) in the middle of an export."""


@task()
def build_answers_xlsx(export_id: int) -> None:
    """Write the survey's answers to an XLSX file in the default storage, in constant memory,
    recording progress on the ``Export`` as it goes. A failure marks the export failed (the
    officer can try again) and is raised again, so the worker records it too."""
    export = Export.objects.select_related("survey__municipality").get(pk=export_id)
    with report_reads():  # counted where the rows are read: on the replica, when there is one
        total = exports.completed_count(export.survey)
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING,
        rows_total=total,
        rows_done=0,
        error="",
        heartbeat_at=timezone.now(),
    )
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        # The answers come from the replica when there is one; the export's own row is read and
        # written on the primary.
        with translation.override(export.language), report_reads():
            exports.xlsx_write(path, exports.answer_rows(export.survey), on_row=_progress(export))
        name = f"exports/{export.public_id}/{export.survey.public_id}-answers.xlsx"
        with open(path, "rb") as handle_:
            stored = default_storage.save(name, File(handle_))
        Export.objects.filter(pk=export.pk).update(
            status=ExportStatus.READY, file_name=stored, finished_at=timezone.now()
        )
        if expire_export.get_backend().supports_defer:
            expire_export.using(run_after=export.created_at + EXPORT_LIFETIME).enqueue(export.pk)
    except Exception as error:
        Export.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, error=type(error).__name__[:200], finished_at=timezone.now()
        )
        raise
    finally:
        os.unlink(path)


def _progress(export: Export):
    last = time.monotonic()

    def on_row(number: int) -> None:
        nonlocal last
        # Row 0 is the header. Slow rows (a busy database) still send a heartbeat in time.
        if (number and number % PROGRESS_EVERY == 0) or time.monotonic() - last >= HEARTBEAT_SECONDS:
            Export.objects.filter(pk=export.pk).update(rows_done=number, heartbeat_at=timezone.now())
            last = time.monotonic()

    return on_row


def fail_stalled_exports(now: datetime | None = None) -> int:
    """Mark exports whose worker stopped as failed, so that the officer can try again. Returns how many.

    A worker killed mid-export (``kill -9``, out of memory, a restarted machine) leaves its export
    "being built" and its task "running" for ever. Stalled: running without a heartbeat for
    ``EXPORT_STALL_AFTER``, or still queued while its task was claimed by a worker that long ago.
    Called where exports are listed and followed, and daily by the worker.
    """
    now = now or timezone.now()
    cutoff = now - EXPORT_STALL_AFTER
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    running = dict(Export.objects.filter(silent, status=ExportStatus.RUNNING).values_list("pk", "task_id"))
    queued = {
        _task_uuid(task_id): pk
        for pk, task_id in Export.objects.filter(silent, status=ExportStatus.QUEUED).values_list("pk", "task_id")
    }
    queued.pop(None, None)
    claimed = DBTaskResult.objects.filter(id__in=list(queued), status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    stalled = {**running, **{queued[task_id]: task_id for task_id in claimed.values_list("id", flat=True)}}
    if not stalled:
        return 0
    with transaction.atomic():
        # The conditions again, under lock: a heartbeat that came in meanwhile keeps the export going.
        failed = list(
            Export.objects.select_for_update()
            .filter(silent, pk__in=list(stalled), status__in=[ExportStatus.RUNNING, ExportStatus.QUEUED])
            .values_list("pk", flat=True)
        )
        Export.objects.filter(pk__in=failed).update(
            status=ExportStatus.FAILED, error=WorkerStopped.__name__, finished_at=now
        )
        tasks = {_task_uuid(stalled[pk]) for pk in failed} - {None}
        DBTaskResult.objects.filter(id__in=tasks, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{__name__}.{WorkerStopped.__name__}",
            traceback=f"{WorkerStopped.__name__}: {WorkerStopped.__doc__}",
        )
    return len(failed)


def _task_uuid(task_id: object) -> UUID | None:
    """The worker's task id as a UUID; None for none, or another backend's id (tests run tasks at once)."""
    try:
        return task_id if isinstance(task_id, UUID) else UUID(str(task_id))
    except ValueError:
        return None


@task()
def expire_export(export_id: int) -> None:
    """Delete one export and its file, a day after it was asked for (the worker runs it then)."""
    export = Export.objects.filter(pk=export_id).first()
    if export is not None:
        delete_exports([export])


def delete_old_exports(now=None) -> int:
    """Delete exports (and their files) older than ``EXPORT_LIFETIME``. Returns how many."""
    cutoff = (now or timezone.now()) - EXPORT_LIFETIME
    old = list(Export.objects.filter(created_at__lt=cutoff))
    delete_exports(old)
    return len(old)


def delete_exports(exports_: list[Export]) -> None:
    for export in exports_:
        if export.file_name:
            default_storage.delete(export.file_name)
    with transaction.atomic():
        Export.objects.filter(pk__in=[export.pk for export in exports_]).delete()
