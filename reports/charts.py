"""Plotly figures from aggregated frames. Figures travel to the page as JSON (see ``figure_json``)."""

from __future__ import annotations

import html
import json

import pandas as pd
import plotly.graph_objects as go

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


def figure_json(figure: go.Figure) -> dict:
    """Plain JSON data for ``json_script``, which escapes it safely into the page."""
    return json.loads(figure.to_json())
