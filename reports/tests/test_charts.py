from __future__ import annotations

import pandas as pd
import pytest

from reports.charts import figure_json, integration_circle


def segments(names: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "number": range(1, len(names) + 1),
            "indicator": names,
            "domain": ["D1"] * (len(names) - 1) + ["D2"],
            "colour": ["#0072B2"] * (len(names) - 1) + ["#B35000"],
        }
    )


def test_one_equal_segment_per_indicator_and_one_trace_per_domain() -> None:
    figure = figure_json(integration_circle(segments([f"I{i}" for i in range(14)])))
    assert [trace["name"] for trace in figure["data"]] == ["D1", "D2"]
    thetas = [theta for trace in figure["data"] for theta in trace["theta"]]
    assert thetas == pytest.approx([i * 360 / 14 for i in range(14)])
    assert figure["layout"]["polar"]["angularaxis"]["ticktext"][0] == "I0"


def test_labels_are_escaped_for_plotly() -> None:
    figure = figure_json(integration_circle(segments(['<a href="javascript:x">click</a>', "B"])))
    assert (
        figure["layout"]["polar"]["angularaxis"]["ticktext"][0]
        == "&lt;a href=&quot;javascript:x&quot;&gt;click&lt;/a&gt;"
    )


def test_missing_columns_are_refused() -> None:
    with pytest.raises(ValueError, match="colour"):
        integration_circle(pd.DataFrame({"number": [1], "indicator": ["x"], "domain": ["d"]}))


def test_an_empty_frame_draws_an_empty_circle() -> None:
    figure = figure_json(integration_circle(pd.DataFrame(columns=["number", "indicator", "domain", "colour"])))
    assert figure["data"] == []
