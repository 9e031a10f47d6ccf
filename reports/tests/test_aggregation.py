"""The scoring and small-group rules on plain frames, without a database."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from reports.aggregation import indicator_summary

WORK, HOUSING = 1, 2


def scores(rows: list[tuple[int, int, float | None]]) -> pd.DataFrame:
    return pd.DataFrame.from_records(rows, columns=["indicator_id", "response_id", "score"])


def test_mean_of_respondents_and_n_per_indicator() -> None:
    frame = scores([(WORK, 1, 0.0), (WORK, 2, 50.0), (WORK, 3, 100.0), (HOUSING, 1, 25.0), (HOUSING, 2, 75.0)])
    summary = indicator_summary(frame, k=2)
    assert summary.loc[WORK, "n"] == 3 and summary.loc[WORK, "mean"] == pytest.approx(50.0)
    assert summary.loc[HOUSING, "n"] == 2 and summary.loc[HOUSING, "mean"] == pytest.approx(50.0)
    assert not summary["suppressed"].any()


def test_share_positive_counts_exactly_75_as_positive() -> None:
    frame = scores([(WORK, 1, 74.99), (WORK, 2, 75.0), (WORK, 3, 100.0), (WORK, 4, 0.0)])
    assert indicator_summary(frame, k=1).loc[WORK, "share_positive"] == pytest.approx(0.5)


def test_an_average_of_75_in_floating_point_is_positive() -> None:
    # Three items that sum to 225, averaged the way SQL's AVG does (sum / count): a hair below 75.
    score = (64.1 + 61.3 + 99.59999999999997) / 3
    assert score < 75
    frame = scores([(WORK, 1, score), (WORK, 2, 74.9)])
    assert indicator_summary(frame, k=1).loc[WORK, "share_positive"] == pytest.approx(0.5)


def test_missing_scores_are_left_out_not_counted_as_zero() -> None:
    frame = scores([(WORK, 1, 80.0), (WORK, 2, None), (WORK, 3, 100.0)])
    summary = indicator_summary(frame, k=1)
    assert summary.loc[WORK, "n"] == 2
    assert summary.loc[WORK, "mean"] == pytest.approx(90.0)
    assert summary.loc[WORK, "share_positive"] == pytest.approx(1.0)


def test_item_rows_of_one_respondent_count_as_one_person_with_their_mean() -> None:
    frame = scores([(WORK, 1, 100.0), (WORK, 1, 50.0), (WORK, 2, 0.0)])
    summary = indicator_summary(frame, k=1)
    assert summary.loc[WORK, "n"] == 2
    assert summary.loc[WORK, "mean"] == pytest.approx(37.5)
    assert summary.loc[WORK, "share_positive"] == pytest.approx(0.5)


def test_indicator_below_k_is_suppressed_and_at_k_is_shown() -> None:
    frame = scores([(WORK, r, 80.0) for r in range(1, 6)] + [(HOUSING, r, 80.0) for r in range(1, 5)])
    summary = indicator_summary(frame, k=5)
    assert not summary.loc[WORK, "suppressed"]
    assert summary.loc[WORK, "n"] == 5 and summary.loc[WORK, "mean"] == pytest.approx(80.0)
    housing = summary.loc[HOUSING]
    assert housing["suppressed"]
    assert housing["n"] is pd.NA
    assert math.isnan(housing["mean"]) and math.isnan(housing["share_positive"])


def test_listed_indicators_without_any_score_are_suppressed_rows_in_the_given_order() -> None:
    frame = scores([(WORK, r, 60.0) for r in range(1, 4)])
    summary = indicator_summary(frame, k=3, indicators=[HOUSING, WORK])
    assert list(summary.index) == [HOUSING, WORK]
    assert summary.loc[HOUSING, "suppressed"] and summary.loc[HOUSING, "n"] is pd.NA
    assert not summary.loc[WORK, "suppressed"]


def test_empty_frame_gives_no_figures() -> None:
    summary = indicator_summary(scores([]), k=5, indicators=[WORK])
    assert summary.loc[WORK, "suppressed"] and math.isnan(summary.loc[WORK, "mean"])


def test_k_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        indicator_summary(scores([]), k=0)
