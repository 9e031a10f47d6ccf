"""Downloads: the dashboard's figures (CSV, XLSX) and the anonymised answers (CSV streamed; XLSX
built by the worker, with a page that follows its progress). Every download is recorded in the
municipality's audit log."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integration_mapping.routers import report_reads
from reports import exports
from reports.build import build_report
from reports.models import Export, ExportStatus
from reports.params import RawAnswersDeleted
from reports.tasks import EXPORT_LIFETIME, build_answers_xlsx, delete_old_exports, fail_stalled_exports
from reports.views import _report, answers_bad_query
from surveys.access import get_survey
from surveys.models import Survey
from tenants.access import Access, Level
from tenants.models import AuditAction
from tenants.services import record

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(response: HttpResponse, survey: Survey, what: str, extension: str) -> HttpResponse:
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{survey.public_id}-{what}-{day}.{extension}"'
    return response


def _record(request: HttpRequest, access: Access, survey: Survey, what: str, file_format: str) -> None:
    record(
        municipality=access.municipality,
        by=request.user,
        action=AuditAction.EXPORT,
        survey=survey.public_id,
        export=what,
        format=file_format,
        query=request.GET.urlencode(),
    )


@login_required
@answers_bad_query
@report_reads()
def results_file(request: HttpRequest, slug: str, public_id: str, file_format: str) -> HttpResponse:
    """The dashboard's current view (filter, breakdown, comparison) as CSV or XLSX."""
    access, query = _report(request, slug, public_id)
    rows = exports.figures_rows(build_report(query))
    _record(request, access, query.survey, "figures", file_format)
    if file_format == "csv":
        return _attachment(
            HttpResponse("".join(exports.csv_lines(rows)), content_type=CSV), query.survey, "figures", "csv"
        )
    buffer = io.BytesIO()
    exports.xlsx_write(buffer, rows)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX), query.survey, "figures", "xlsx")


def _answers_access(request: HttpRequest, slug: str, public_id: str) -> tuple[Access, Survey]:
    """Administrators and editors; a viewer gets 403, and a partner 404: the answers hold every
    indicator's data, also the ones it does not work on."""
    access, survey = get_survey(request, slug, public_id, need=Level.PARTNER)
    if access.is_partner:
        raise Http404("No such export.")
    if not access.allows(Level.EDITOR):
        raise PermissionDenied
    if survey.raw_deleted_at is not None:
        raise RawAnswersDeleted(
            _(
                "The raw answers of this survey were deleted on %(date)s, at the end of its retention period. "
                "Its figures were kept: see the results."
            )
            % {"date": date_format(timezone.localdate(survey.raw_deleted_at), "j F Y")}
        )
    return access, survey


@login_required
@answers_bad_query
def answers_csv(request: HttpRequest, slug: str, public_id: str) -> StreamingHttpResponse:
    access, survey = _answers_access(request, slug, public_id)
    _record(request, access, survey, "answers", "csv")
    language = translation.get_language()

    def lines():
        # The stream is read after the view returns: keep the officer's language for the headers.
        with translation.override(language), report_reads():
            yield from exports.csv_lines(exports.answer_rows(survey))

    return _attachment(StreamingHttpResponse(lines(), content_type=CSV), survey, "answers", "csv")


@login_required
@answers_bad_query
def export_list(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    """The answers exports of the last 24 hours, and the button that starts a new XLSX export."""
    access, survey = _answers_access(request, slug, public_id)
    delete_old_exports()
    fail_stalled_exports()
    context = {"municipality": access.municipality, "survey": survey, "exports": survey.exports.all()}
    return render(request, "reports/exports.html", context)


@login_required
@answers_bad_query
@require_POST
def export_start(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    access, survey = _answers_access(request, slug, public_id)
    with transaction.atomic():
        export = Export.objects.create(survey=survey, created_by=request.user, language=translation.get_language())
        _record(request, access, survey, "answers", "xlsx")
    _enqueue(export)
    return redirect("export_detail", slug=slug, public_id=public_id, export_id=export.public_id)


@login_required
@answers_bad_query
@require_POST
def export_retry(request: HttpRequest, slug: str, public_id: str, export_id: str) -> HttpResponse:
    _access, survey = _answers_access(request, slug, public_id)
    export = get_object_or_404(Export, survey=survey, public_id=export_id)
    updated = Export.objects.filter(pk=export.pk, status=ExportStatus.FAILED).update(
        status=ExportStatus.QUEUED, rows_done=0, error="", finished_at=None
    )
    if updated:
        _enqueue(export)
    else:
        messages.info(request, _("Only a failed export can be tried again."))
    return redirect("export_detail", slug=slug, public_id=public_id, export_id=export.public_id)


def _enqueue(export: Export) -> None:
    def enqueue() -> None:
        result = build_answers_xlsx.enqueue(export.pk)
        # The task's id, so that a worker that stops mid-export can be told apart from a busy one
        # (reports.tasks.fail_stalled_exports).
        Export.objects.filter(pk=export.pk).update(task_id=result.id)

    # After the commit: a worker must find the export row when it picks up the task.
    transaction.on_commit(enqueue)


@login_required
@answers_bad_query
def export_detail(request: HttpRequest, slug: str, public_id: str, export_id: str) -> HttpResponse:
    """The export's progress: JSON for the page's script, or the page (which reloads itself when
    JavaScript is off)."""
    access, survey = _answers_access(request, slug, public_id)
    # A worker that stopped mid-export shows here as "failed", with the button to try again.
    fail_stalled_exports()
    export = get_object_or_404(Export, survey=survey, public_id=export_id)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"status": export.status, "label": export.get_status_display(), "percent": export.percent,
             "finished": export.is_finished}
        )  # fmt: skip
    context = {"municipality": access.municipality, "survey": survey, "export": export}
    return render(request, "reports/export_detail.html", context)


@login_required
@answers_bad_query
def export_download(request: HttpRequest, slug: str, public_id: str, export_id: str) -> FileResponse:
    _access, survey = _answers_access(request, slug, public_id)
    export = get_object_or_404(Export, survey=survey, public_id=export_id, status=ExportStatus.READY)
    if timezone.now() - export.created_at > EXPORT_LIFETIME:
        raise Http404("This export has expired.")
    try:
        file = default_storage.open(export.file_name, "rb")
    except FileNotFoundError:
        # E.g. after a restore on another machine: the row came back, its file (a day's worth) not.
        raise Http404("This export's file is gone.") from None
    return _attachment(FileResponse(file, content_type=XLSX), survey, "answers", "xlsx")


@login_required
@answers_bad_query
def answers_xlsx(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    """The XLSX is built in the background: this address leads to the page that starts it."""
    _answers_access(request, slug, public_id)
    return redirect("export_list", slug=slug, public_id=public_id)
