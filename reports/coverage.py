"""The coverage map: who covers each indicator (``tenants.coverage``), and what the latest wave
says about it: whether it asked about the indicator, and whether enough people answered.

"Too few responses" comes from the one suppressed ``ReportResult``, so the map never tells more
than the dashboard shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from indicators.models import Indicator
from reports.build import build_report
from reports.charts import chart_text
from reports.params import ReportQuery
from surveys.models import Survey
from tenants.access import Access
from tenants.coverage import CoverageRow, CoverageState, coverage

# Okabe-Ito hues, darkened like the domain colours; a blind spot is a pale gap in the circle.
STATE_COLOURS = {
    CoverageState.MUNICIPALITY: "#0072B2",
    CoverageState.PARTNERS: "#B35000",
    CoverageState.BOTH: "#007A5E",
    CoverageState.BLIND_SPOT: "#d9d9d9",
}


@dataclass(frozen=True)
class CoverageLine:
    """One indicator: who covers it and, with a published wave, what that wave has on it."""

    coverage: CoverageRow
    # None without a published wave.
    has_questions: bool | None = None
    # Respondents in the latest wave, when the result shows that number.
    n: int | None = None
    too_few: bool = False

    @property
    def indicator(self) -> Indicator:
        return self.coverage.indicator


@dataclass(frozen=True)
class CoverageMap:
    lines: list[CoverageLine]
    # The municipality's most recently published survey, or None.
    survey: Survey | None

    @property
    def blind_spots(self) -> list[CoverageLine]:
        return [line for line in self.lines if line.coverage.is_blind_spot]

    @property
    def without_questions(self) -> list[CoverageLine]:
        return [line for line in self.lines if line.has_questions is False]

    @property
    def too_few(self) -> list[CoverageLine]:
        return [line for line in self.lines if line.too_few]


def latest_wave(access: Access) -> Survey | None:
    """The municipality's most recently published survey (closed or open)."""
    survey = access.municipality.surveys.published().first()
    if survey is not None:
        survey.municipality = access.municipality  # already read: its k applies
    return survey


def build_coverage_map(access: Access) -> CoverageMap:
    """A fixed number of queries, whatever the number of partners and responses."""
    rows = coverage(access)
    survey = latest_wave(access)
    if survey is None:
        return CoverageMap([CoverageLine(row) for row in rows], None)
    included = set(survey.indicators.values_list("pk", flat=True))
    asked = set(
        survey.visible_questions().filter(indicator__in=included).values_list("indicator_id", flat=True).distinct()
    )
    measured = tuple(row.indicator for row in rows if row.indicator.pk in asked)
    result = build_report(ReportQuery(survey, measured)) if measured else None
    lines = []
    for row in rows:
        if row.indicator.pk not in asked:
            lines.append(CoverageLine(row, has_questions=False))
            continue
        cell = result.cell(row.indicator)
        too_few = cell.suppressed or (cell.n or 0) < result.k
        lines.append(CoverageLine(row, has_questions=True, n=None if cell.suppressed else cell.n, too_few=too_few))
    return CoverageMap(lines, survey)


def coverage_circle(rows: list[CoverageRow], *, municipality_name: str) -> dict:
    """The integration circle with 14 equal segments coloured by who covers each indicator, as
    plain plotly JSON (like ``charts.results_circle``). One trace per state, so the legend names them."""
    step = 360 / max(len(rows), 1)
    theta = {row.indicator.pk: index * step for index, row in enumerate(rows)}
    data = []
    for state in CoverageState:
        part = [row for row in rows if row.state == state]
        if not part:
            continue
        data.append(
            {
                "type": "barpolar",
                "r": [1] * len(part),
                "theta": [theta[row.indicator.pk] for row in part],
                "width": [step] * len(part),
                "name": chart_text(capfirst(state.label)),
                "marker": {"color": STATE_COLOURS[state], "line": {"color": "#ffffff", "width": 2}},
                "hovertext": [_hover(row, municipality_name) for row in part],
                "hoverinfo": "text",
            }
        )
    layout = {
        "polar": {
            "radialaxis": {"visible": False, "range": [0, 1]},
            "angularaxis": {
                "direction": "clockwise",
                "rotation": 90,
                "tickmode": "array",
                "tickvals": [index * step for index in range(len(rows))],
                "ticktext": [chart_text(row.indicator.name) for row in rows],
                "showgrid": False,
            },
            "hole": 0.3,
            "bgcolor": "#ffffff",
        },
        "legend": {"orientation": "h", "y": -0.12},
        "margin": {"l": 150, "r": 150, "t": 40, "b": 40},
        "font": {"family": "system-ui, sans-serif", "size": 12},
        "paper_bgcolor": "#ffffff",
        "hoverlabel": {"align": "left"},
    }
    return {"data": data, "layout": layout}


def _hover(row: CoverageRow, municipality_name: str) -> str:
    lines = [f"<b>{chart_text(row.indicator.name)}</b>", chart_text(capfirst(row.state.label))]
    if row.by_municipality:
        lines.append(chart_text(municipality_name))
    lines.extend(chart_text(cover.name) for cover in row.covers)
    return "<br>".join(lines)


class OwnIndicatorsForm(forms.Form):
    """The indicators the municipality covers itself: 14 checkboxes."""

    indicators = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Indicators the municipality covers itself"),
        queryset=Indicator.objects.in_circle_order(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicators"].label_from_instance = lambda indicator: f"{indicator.number}. {indicator.name}"

    def codes(self) -> list[str]:
        return [indicator.code for indicator in self.cleaned_data["indicators"]]
