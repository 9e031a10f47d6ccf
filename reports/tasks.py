"""Background work for the results, run by the worker (``manage.py db_worker``, Django's Tasks
framework with django-tasks-db): answers exports too large to build within a web request."""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation

from reports import exports
from reports.models import Export, ExportStatus

EXPORT_LIFETIME = timedelta(hours=24)
PROGRESS_EVERY = 500


@task()
def build_answers_xlsx(export_id: int) -> None:
    """Write the survey's answers to an XLSX file in the default storage, in constant memory,
    recording progress on the ``Export`` as it goes. A failure marks the export failed (the
    officer can try again) and is raised again, so the worker records it too."""
    export = Export.objects.select_related("survey__municipality").get(pk=export_id)
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING, rows_total=exports.completed_count(export.survey), rows_done=0, error=""
    )
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        with translation.override(export.language):
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
    def on_row(number: int) -> None:
        # Row 0 is the header.
        if number and number % PROGRESS_EVERY == 0:
            Export.objects.filter(pk=export.pk).update(rows_done=number)

    return on_row


@task()
def expire_export(export_id: int) -> None:
    """Delete one export and its file, a day after it was asked for (the worker runs it then)."""
    export = Export.objects.filter(pk=export_id).first()
    if export is not None:
        _delete([export])


def delete_old_exports(now=None) -> int:
    """Delete exports (and their files) older than ``EXPORT_LIFETIME``. Returns how many."""
    cutoff = (now or timezone.now()) - EXPORT_LIFETIME
    old = list(Export.objects.filter(created_at__lt=cutoff))
    _delete(old)
    return len(old)


def _delete(exports_: list[Export]) -> None:
    for export in exports_:
        if export.file_name:
            default_storage.delete(export.file_name)
    with transaction.atomic():
        Export.objects.filter(pk__in=[export.pk for export in exports_]).delete()
