"""Plotly figures from aggregated frames. Figures travel to the page as JSON (see ``figure_json``)."""

from __future__ import annotations

import html
import json

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

from indicators.models import Indicator
from reports.result import ReportResult
from tenants.access import Access

CIRCLE_COLUMNS = ["number", "indicator", "domain", "colour"]


def chart_text(text: object) -> str:
    """Escape text for plotly, which reads a subset of HTML (links, line breaks) in its labels."""
    return html.escape(str(text))


def integration_circle(segments: pd.DataFrame, *, title: str = "") -> go.Figure:
    """The integration circle: one equal segment per indicator, coloured by domain.

    ``segments`` has the columns of ``CIRCLE_COLUMNS``, one row per indicator in circle order.
    Each domain becomes one trace, so the legend names the domains.
    """
    missing = set(CIRCLE_COLUMNS) - set(segments.columns)
    if missing:
        raise ValueError(f"integration_circle needs the columns {sorted(missing)}")
    step = 360 / max(len(segments), 1)
    frame = segments.reset_index(drop=True).assign(
        theta=lambda f: f.index * step,
        indicator=lambda f: f["indicator"].map(chart_text),
        domain=lambda f: f["domain"].map(chart_text),
    )
    figure = go.Figure()
    for domain, part in frame.groupby("domain", sort=False):
        figure.add_trace(
            go.Barpolar(
                r=[1] * len(part),
                theta=part["theta"].tolist(),
                width=[step] * len(part),
                name=str(domain),
                marker={"color": part["colour"].tolist(), "line": {"color": "#ffffff", "width": 2}},
                customdata=part["indicator"].tolist(),
                hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    figure.update_layout(
        title={"text": chart_text(title)} if title else None,
        polar={
            "radialaxis": {"visible": False, "range": [0, 1]},
            "angularaxis": {
                "direction": "clockwise",
                "rotation": 90,
                "tickmode": "array",
                "tickvals": frame["theta"].tolist(),
                "ticktext": frame["indicator"].tolist(),
                "showgrid": False,
            },
            "hole": 0.35,
        },
        legend={"orientation": "h", "y": -0.1},
        margin={"l": 90, "r": 90, "t": 40, "b": 40},
        font={"family": "system-ui, sans-serif", "size": 12},
    )
    return figure


def figure_json(figure: go.Figure | dict) -> dict:
    """Plain JSON data for ``json_script``, which escapes it safely into the page."""
    return figure if isinstance(figure, dict) else json.loads(figure.to_json())


SEGMENT_COLUMNS = ["number", "indicator", "domain", "colour", "group", "mean", "share", "n", "reference", "state"]
SUPPRESSED_GREY = "#c8c8c8"
# Okabe-Ito blue and vermilion, darkened like the domain colours: two groups side by side.
GROUP_COLOURS = ["#0072B2", "#B35000"]


class SegmentState:
    SHOWN = "shown"
    SUPPRESSED = "suppressed"
    # Not measured in this survey, or an indicator a partner does not work on: an empty segment.
    ABSENT = "absent"


def results_circle(segments: pd.DataFrame, *, texts: dict[str, str]) -> dict:
    """The integration circle with results: per indicator a bar whose length is the mean score
    (0-100), a tick at the share with a good experience and a diamond at the reference value for
    the wider population (both percentages, so they compare with each other, never with the mean).

    ``segments`` has ``SEGMENT_COLUMNS``, one row per indicator and group, indicators in circle
    order. With two groups their bars stand side by side in each segment. A suppressed segment is
    drawn grey at full length and says so. ``texts`` holds the translated words of the legend and
    hover boxes (keys: mean, share, n, reference, suppressed, absent).

    Returns the figure as plain JSON data, built without plotly's Python objects: their
    validation costs more than the rest of a dashboard request, and plotly.js reads the same data.
    """
    missing = set(SEGMENT_COLUMNS) - set(segments.columns)
    if missing:
        raise ValueError(f"results_circle needs the columns {sorted(missing)}")
    # Segments are told apart by number: a partner's unlabelled segments all have an empty name.
    labels = segments.drop_duplicates("number")["indicator"].tolist()
    names = list(dict.fromkeys(segments["group"]))
    step = 360 / max(len(labels), 1)
    width = step / max(len(names), 1)
    data: list[dict] = []
    for position, group in enumerate(names):
        part = segments[segments["group"] == group].reset_index(drop=True)
        theta = [index * step + (position - (len(names) - 1) / 2) * width for index in range(len(part))]
        part = part.assign(
            theta=theta, hover=[_hover(row, texts, group if len(names) > 1 else "") for row in part.itertuples()]
        )
        shown = part[part["state"] == SegmentState.SHOWN]
        if len(names) > 1:
            traces = [(chart_text(group), shown, [GROUP_COLOURS[position % len(GROUP_COLOURS)]] * len(shown))]
        else:
            traces = [
                (chart_text(domain), rows, rows["colour"].tolist())
                for domain, rows in shown.groupby("domain", sort=False)
            ]
        for name, rows, colours in traces:
            data.append(_bars(rows, rows["mean"].tolist(), width, colours, name))
        hidden = part[part["state"] == SegmentState.SUPPRESSED]
        if len(hidden):
            name = chart_text(texts["suppressed"]) + (f" ({chart_text(group)})" if len(names) > 1 else "")
            data.append(_bars(hidden, [100] * len(hidden), width, [SUPPRESSED_GREY] * len(hidden), name))
        for column, symbol, key in (("share", "line-ew", "share"), ("reference", "diamond-open", "reference")):
            marked = shown[shown[column].notna()]
            if column == "reference" and position > 0:
                continue  # one reference per indicator, whatever the number of groups
            if len(marked):
                data.append(
                    {
                        "type": "scatterpolar",
                        "r": marked[column].tolist(),
                        "theta": marked["theta"].tolist(),
                        "mode": "markers",
                        "name": chart_text(texts[key])
                        + (f" ({chart_text(group)})" if len(names) > 1 and key == "share" else ""),
                        "marker": {
                            "symbol": symbol,
                            "size": 14,
                            "color": "#1a1a1a",
                            "line": {"width": 2.5, "color": "#1a1a1a"},
                        },
                        "hovertext": marked["hover"].tolist(),
                        "hoverinfo": "text",
                    }
                )
    ticks = [index * step for index in range(len(labels))]
    layout = {
        "polar": {
            "radialaxis": {
                "range": [0, 100],
                "tickvals": [25, 50, 75],
                "showline": False,
                "gridcolor": "#9a9a9a",
                "tickfont": {"size": 10},
                # Between the first and the last segment, so the numbers stand on no bar.
                "angle": 90 + step / 2,
            },
            "angularaxis": {
                "direction": "clockwise",
                "rotation": 90,
                "tickmode": "array",
                "tickvals": ticks,
                "ticktext": [chart_text(name) for name in labels],
                "showgrid": False,
            },
            "hole": 0.12,
            "bargap": 0.06,
            "bgcolor": "#ffffff",
        },
        "legend": {"orientation": "h", "y": -0.12},
        "margin": {"l": 150, "r": 150, "t": 40, "b": 40},
        "font": {"family": "system-ui, sans-serif", "size": 12},
        "barmode": "overlay",
        "paper_bgcolor": "#ffffff",
        "hoverlabel": {"align": "left"},
    }
    return {"data": data, "layout": layout}


def _bars(rows: pd.DataFrame, r: list, width: float, colours: list[str], name: str) -> dict:
    return {
        "type": "barpolar",
        "r": r,
        "theta": rows["theta"].tolist(),
        "width": [width] * len(rows),
        "name": name,
        "marker": {"color": colours, "line": {"color": "#ffffff", "width": 1}},
        "hovertext": rows["hover"].tolist(),
        "hoverinfo": "text",
    }


def _hover(row: object, texts: dict[str, str], group: str) -> str:
    lines = [f"<b>{chart_text(row.indicator)}</b>"]
    if group:
        lines.append(chart_text(group))
    if row.state == SegmentState.SUPPRESSED:
        lines.append(chart_text(texts["suppressed"]))
    elif row.state == SegmentState.SHOWN:
        lines.append(f"{chart_text(texts['mean'])}: {row.mean:.0f}")
        if not pd.isna(row.share):
            lines.append(f"{chart_text(texts['share'])}: {row.share:.0f}%")
        lines.append(f"{chart_text(texts['n'])}: {int(row.n)}")
        if not pd.isna(row.reference):
            lines.append(f"{chart_text(texts['reference'])}: {row.reference:.0f}%")
    return "<br>".join(lines)


def result_circle(result: ReportResult, *, access: Access, show: list[str]) -> dict:
    """The circle of one ``ReportResult``: everyone, or two groups of its breakdown side by side.

    All 14 segments are drawn; one the survey does not measure stays empty, and a partner's
    segments of indicators it does not work on stay empty and unlabelled.
    """
    keys = [group.key for group in result.groups]
    chosen = [key for key in dict.fromkeys(show) if key in keys[1:]][:2] if len(keys) > 1 else []
    groups = [group for group in result.groups if group.key in chosen] or [result.everyone]
    measured = {indicator.pk for indicator in result.indicators}
    rows = []
    for indicator in Indicator.objects.in_circle_order():
        label = indicator.name if access.sees_indicator(indicator) else ""
        reference = result.references.get(indicator.pk)
        for group in groups:
            cell = result.cell(indicator, group.key) if indicator.pk in measured else None
            state = SegmentState.ABSENT
            if cell is not None and cell.suppressed:
                state = SegmentState.SUPPRESSED
            elif cell is not None and cell.n:
                state = SegmentState.SHOWN
            rows.append(
                {
                    "number": indicator.number,
                    "indicator": label,
                    "domain": indicator.domain.name,
                    "colour": indicator.domain.colour,
                    "group": group.label,
                    "mean": cell.mean if state == SegmentState.SHOWN else None,
                    "share": cell.share_positive if state == SegmentState.SHOWN else None,
                    "n": cell.n if state == SegmentState.SHOWN else None,
                    "reference": reference.percent if reference is not None and state == SegmentState.SHOWN else None,
                    "state": state,
                }
            )
    texts = {
        "mean": _("Average score (0-100)"),
        "share": _("Good experience (%)"),
        "n": _("Respondents"),
        "reference": _("Reference, wider population (%)"),
        "suppressed": _("Too few responses"),
    }
    return results_circle(pd.DataFrame(rows, columns=SEGMENT_COLUMNS), texts=texts)


def answer_colours(count: int) -> list[str]:
    """Colours for the answers of a scale, lowest to highest: from vermilion through grey to blue
    (colour-blind safe), so the negative and positive ends read apart without red and green."""
    low, middle, high = (179, 80, 0), (170, 170, 170), (0, 114, 178)
    colours = []
    for index in range(count):
        t = index / (count - 1) if count > 1 else 1.0
        start, end, part = (low, middle, t * 2) if t <= 0.5 else (middle, high, (t - 0.5) * 2)
        rgb = [round(a + (b - a) * part) for a, b in zip(start, end, strict=True)]
        colours.append("#{:02x}{:02x}{:02x}".format(*rgb))
    return colours


def option_colours(count: int) -> list[str]:
    """Colours for the options of a choice question: Okabe-Ito hues, darkened like the domain
    colours; no order of good and bad is implied."""
    hues = ["#0072B2", "#B35000", "#007A5E", "#A8497F", "#8A6D00", "#4D4D4D", "#56B4E9", "#CC79A7"]
    return [hues[index % len(hues)] for index in range(count)]
