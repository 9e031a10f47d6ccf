"""The one suppressed result every consumer reads: the dashboard's circle and table, the JSON,
the public page, the exports and the printed report. Hidden figures are None here, so nothing
downstream can show or subtract them by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import Domain, Indicator
from reports.params import ReportQuery
from reports.suppression import ALL, reason_text

PUBLIC_ALL = "all"


@dataclass(frozen=True)
class Cell:
    """One group's figures on one indicator (or the group's respondents): n, mean and share
    positive shown together or not at all."""

    n: int | None
    mean: float | None = None
    share_positive: float | None = None
    reason: str | None = None
    change: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.reason is not None

    @property
    def empty(self) -> bool:
        return self.n == 0


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    respondents: Cell

    @property
    def public_key(self) -> str:
        return PUBLIC_ALL if self.key == ALL else self.key


@dataclass(frozen=True)
class ReportResult:
    query: ReportQuery
    groups: tuple[Group, ...]
    cells: dict[tuple[int, str], Cell]
    references: dict[int, object] = field(default_factory=dict)
    domains: tuple[tuple[Domain, dict[str, float | None]], ...] = ()
    changed_questions: dict[int, tuple[str, ...]] = field(default_factory=dict)
    compared: bool = False
    # Why the whole view shows nothing (the selected group is too small), or None.
    hidden_reason: str | None = None

    @property
    def k(self) -> int:
        return self.query.k

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return self.query.indicators

    @property
    def everyone(self) -> Group:
        return self.groups[0]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_reason is not None

    @property
    def hidden_reason_text(self) -> str:
        return reason_text(self.hidden_reason, self.k) if self.hidden_reason else ""

    def cell(self, indicator: Indicator, group: str = ALL) -> Cell:
        return self.cells[(indicator.pk, group)]

    def reason(self, cell: Cell) -> str:
        return reason_text(cell.reason, self.k) if cell.reason else ""

    def gap(self, indicator: Indicator, group: str = ALL) -> float | None:
        """Share positive minus the reference, in percentage points: indicative only."""
        reference = self.references.get(indicator.pk)
        share = self.cell(indicator, group).share_positive
        return None if reference is None or share is None else share - reference.percent

    def rows(self) -> list[dict]:
        """One row per indicator for templates: its cells in group order, reference and gap."""
        return [
            {
                "indicator": indicator,
                "cells": [(group, self.cell(indicator, group.key)) for group in self.groups],
                "all": self.cell(indicator),
                "reference": self.references.get(indicator.pk),
                "gap": self.gap(indicator),
                "changed": self.changed_questions.get(indicator.pk, ()),
            }
            for indicator in self.indicators
        ]

    def records(self) -> dict:
        """The result as plain JSON data: null for everything hidden."""
        survey = self.query.survey
        return {
            "survey": {
                "id": survey.public_id,
                "title": survey.display_title,
                "wave": survey.wave_label,
                "municipality": survey.municipality.name,
            },
            "k": self.k,
            # The day retention deleted the raw answers (the figures are frozen since), or null.
            "raw_answers_deleted_on": (
                timezone.localdate(survey.raw_deleted_at).isoformat() if survey.raw_deleted_at else None
            ),
            "filter": _filter_record(self.query),
            "breakdown": self.query.breakdown.code if self.query.breakdown else None,
            "compare": (
                {"id": self.query.compare.public_id, "wave": self.query.compare.wave_label}
                if self.query.compare is not None
                else None
            ),
            "suppressed_reason": self.hidden_reason,
            "groups": [self._group_record(group) for group in self.groups],
        }

    def _group_record(self, group: Group) -> dict:
        return {
            "key": group.public_key,
            "label": group.label,
            "n": group.respondents.n,
            "suppressed": group.respondents.suppressed,
            "indicators": [
                {
                    "code": indicator.code,
                    "n": cell.n,
                    "mean": _rounded(cell.mean),
                    "share_positive": _rounded(cell.share_positive),
                    "suppressed": cell.suppressed,
                    "reference": _rounded(self.references[indicator.pk].percent)
                    if indicator.pk in self.references
                    else None,
                    "change": _rounded(cell.change),
                }
                for indicator in self.indicators
                for cell in [self.cell(indicator, group.key)]
            ],
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _filter_record(query: ReportQuery) -> dict | None:
    if query.filter is None:
        return None
    name, value = query.filter.param
    return {"parameter": f"{name}={value}", "label": query.filter.label}


def everyone_label(query: ReportQuery) -> str:
    return query.filter.label if query.filter is not None else _("Everyone")
