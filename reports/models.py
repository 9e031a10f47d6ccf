"""What officers add to the results: reference values for the wider population, and quotes
chosen for the printed report. The figures themselves are never stored here: they are computed
from ``surveys.models.IndicatorScore`` for every request (see ``reports.build``)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from surveys.models import Answer, Survey, new_public_id

FIRST_REFERENCE_YEAR = 1990
LAST_REFERENCE_YEAR = 2100


class ReferenceValue(models.Model):
    """The share of the wider population with a good experience on one indicator, e.g. from CBS.

    Compared with the newcomers' share positive, never with their mean score (PRODUCT.md,
    "Results"), and the gap is labelled indicative: the questions are rarely the same.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="reference_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator"))
    percent = models.FloatField(
        _("share with a good experience (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_(
            "For example a CBS StatLine table on employment, satisfaction with housing, feeling safe in the "
            "neighbourhood or social cohesion, or the municipality's own residents' survey."
        ),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_REFERENCE_YEAR), MaxValueValidator(LAST_REFERENCE_YEAR)]
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator__number"]
        verbose_name = _("reference value")
        verbose_name_plural = _("reference values")
        constraints = [
            models.UniqueConstraint(fields=["survey", "indicator"], name="reference_once_per_survey_indicator"),
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100), name="reference_percent_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.percent:g}% ({self.source}, {self.year})"


class ReportQuote(models.Model):
    """An open answer an officer marked "for the report" on an indicator page."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="report_quotes")
    # A respondent who deletes their answers takes the quote with them.
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["marked_at"]
        verbose_name = _("quote for the report")
        verbose_name_plural = _("quotes for the report")
        constraints = [
            models.UniqueConstraint(fields=["answer", "indicator"], name="quote_once_per_answer_and_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.answer.text[:40]}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("being built")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class Export(models.Model):
    """An answers export built in the background by the worker (``reports.tasks``).

    The file lives in the default storage for ``EXPORT_LIFETIME`` and is deleted after it.
    """

    public_id = models.CharField(max_length=20, unique=True, default=new_public_id, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="exports")
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    # In the officer's interface language, like the file itself.
    language = models.CharField(max_length=8)
    error = models.CharField(max_length=200, blank=True)
    # The worker's task (django-tasks-db), and when the worker last showed it was still at work:
    # a running export without a sign of life is marked failed (reports.tasks.fail_stalled_exports).
    task_id = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.survey} – {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.READY:
            return 100
        return min(99, round(100 * self.rows_done / self.rows_total)) if self.rows_total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.READY, ExportStatus.FAILED)


class ResultSnapshot(models.Model):
    """A survey's results frozen before retention deleted its raw answers (``reports.retention``).

    One row for the plain view (``breakdown`` empty) and one per background breakdown. ``cells`` is
    the suppressed table of ``reports.build``: hidden cells are stored without their figures, so
    nothing below k is kept. ``counts`` are the started and completed responses per channel and
    language, as the dashboard shows them.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="snapshots")
    breakdown = models.CharField(max_length=60, blank=True)
    k = models.PositiveSmallIntegerField()
    cells = models.JSONField(default=list)
    counts = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("frozen results")
        verbose_name_plural = _("frozen results")
        constraints = [
            models.UniqueConstraint(fields=["survey", "breakdown"], name="snapshot_once_per_survey_breakdown"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} – {self.breakdown or '-'}"
