"""Retention (PRODUCT.md, "Privacy"): once a survey's retention period has passed, its results are
frozen and its raw answers deleted.

Freezing stores the one suppressed result of ``reports.build`` (the plain view and one breakdown per
background question and by channel) as ``ResultSnapshot`` rows; then, in the same transaction, the
responses go with their answers, open texts and indicator scores, the invitations' token hashes,
the quotes marked for the report and the answers exports. Dashboards, the JSON, figures exports,
the printed report and the public page read the frozen result from then on (``build.suppressed_cells``).

The worker runs ``apply_retention`` daily (the task enqueues its next run); ``manage.py
apply_retention`` runs it by hand.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from importlib import import_module

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports import tasks as export_tasks
from reports.build import frozen_records, suppressed_cells
from reports.models import Export, ReportQuote, ResultSnapshot
from reports.params import ReportQuery, list_dimensions
from reports.queries import response_counts
from surveys.models import Answer, IndicatorScore, Invitation, Response, Survey
from tenants.models import AuditAction
from tenants.services import record

logger = logging.getLogger(__name__)

RUN_EVERY = timedelta(days=1)


def due(today: date | None = None) -> list[Survey]:
    """Surveys whose raw answers are due for deletion on ``today``."""
    today = today or timezone.localdate()
    candidates = Survey.objects.filter(raw_deleted_at__isnull=True, published_at__isnull=False).select_related(
        "municipality"
    )
    return [survey for survey in candidates if (day := survey.raw_answers_due()) is not None and day <= today]


def freeze_and_delete(survey: Survey, *, by=None) -> None:
    """Freeze the survey's suppressed results, then delete its raw answers, in one transaction:
    a failure leaves both as they were."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().select_related("municipality").get(pk=survey.pk)
        if survey.raw_deleted_at is not None:
            return
        _freeze(survey)
        deleted = _delete_raw(survey)
        survey.raw_deleted_at = timezone.now()
        survey.save(update_fields=["raw_deleted_at"])
        record(
            municipality=survey.municipality,
            by=by,
            action=AuditAction.RAW_ANSWERS_DELETE,
            survey=survey.public_id,
            **deleted,
        )
    logger.info("Raw answers deleted, results frozen", extra={"survey": survey.public_id, **deleted})


def _freeze(survey: Survey) -> None:
    indicators = tuple(survey.indicators.in_circle_order())
    dimensions = tuple(list_dimensions(survey))
    counts = response_counts(survey)
    for breakdown in (None, *dimensions):
        query = ReportQuery(survey, indicators, breakdown=breakdown, dimensions=dimensions)
        ResultSnapshot.objects.create(
            survey=survey,
            breakdown=breakdown.code if breakdown else "",
            k=query.k,
            cells=frozen_records(suppressed_cells(query)),
            counts=counts.astype(object).where(counts.notna(), None).to_dict("records") if breakdown is None else [],
        )


def _delete_raw(survey: Survey) -> dict[str, int]:
    """Delete everything about single respondents; returns how many of each went."""
    # Answers exports hold raw answers too; their files go once the deletion is committed.
    files = [name for name in Export.objects.filter(survey=survey).values_list("file_name", flat=True) if name]
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    counts = {
        "exports": Export.objects.filter(survey=survey).delete()[0],
        "quotes": ReportQuote.objects.filter(survey=survey).delete()[0],
        "scores": IndicatorScore.objects.filter(survey=survey).delete()[0],
        "answers": Answer.objects.filter(survey=survey).delete()[0],
        "responses": Response.objects.filter(survey=survey).delete()[0],
        "invitations": Invitation.objects.filter(batch__survey=survey).delete()[0],
    }
    return counts


def apply_due(today: date | None = None) -> list[Survey]:
    """Freeze and delete every survey that is due; returns them. One survey failing does not stop
    the others: it is logged, and raised at the end so the task is recorded as failed."""
    done, failed = [], []
    for survey in due(today):
        try:
            freeze_and_delete(survey)
        except Exception:
            logger.exception("Retention failed", extra={"survey": survey.public_id})
            failed.append(survey.public_id)
        else:
            done.append(survey)
    if failed:
        raise RetentionFailed(f"Retention failed for {len(failed)} survey(s): {', '.join(failed)}")
    return done


class RetentionFailed(Exception):
    pass


@task()
def apply_retention() -> int:
    """The daily run: the day's housekeeping (old and stalled exports, expired sessions: a newcomer's
    session is what links their browser to their response), then retention. The next run is
    enqueued first, so a failure today does not stop tomorrow's."""
    schedule(after=timezone.now() + RUN_EVERY)
    export_tasks.delete_old_exports()
    export_tasks.fail_stalled_exports()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return len(apply_due())


def schedule(after=None) -> bool:
    """Make sure one run of ``apply_retention`` is waiting for the worker; True when one was added."""
    waiting = DBTaskResult.objects.filter(task_path=apply_retention.module_path, status=TaskResultStatus.READY)
    if waiting.exists():
        return False
    (apply_retention.using(run_after=after) if after else apply_retention).enqueue()
    return True
