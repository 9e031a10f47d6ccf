"""PRODUCT.md, "Scoring": group scores, shares positive, domains and distributions, computed by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from reports.aggregation import (
    DONT_KNOW_KEY,
    RESPONDENTS,
    cells,
    distribution_cells,
    domain_means,
    with_figures,
)
from reports.params import NO_ANSWER, Dimension
from reports.suppression import ALL

SUM_COLUMNS = ["filter_value", "group_value", "indicator_id", "n", "total", "positive"]

AGE = Dimension(
    code="age",
    label="Age",
    question_id=1,
    categories=(("young", "Young"), ("old", "Old"), ("middle", "Middle"), (NO_ANSWER, "no answer")),
    values=(("young", "young"), ("old", "old"), ("middle", "middle")),
)


def sums(rows: list[tuple]) -> pd.DataFrame:
    """Sums per filter value, group value and indicator, as ``queries.score_sums`` returns them."""
    return pd.DataFrame.from_records(rows, columns=SUM_COLUMNS)


def by_cell(frame: pd.DataFrame, column: str) -> dict[tuple[object, str], float]:
    return {(row.line, row.group): getattr(row, column) for row in frame.itertuples()}


UNFILTERED = sums(
    [
        # Indicator 1: young 2 people (scores 75 and 75), old 3 (50, 75, 75), no answer 1 + 1.
        (None, "young", 1, 2, 150.0, 2),
        (None, "old", 1, 3, 200.0, 2),
        (None, None, 1, 1, 50.0, 0),
        (None, "", 1, 1, 100.0, 1),
        # Indicator 2: only young people scored it.
        (None, "young", 2, 4, 300.0, 3),
    ]
)


def test_means_and_shares_positive_per_group_and_for_everyone() -> None:
    result = with_figures(cells(UNFILTERED, lines=[1, 2], breakdown=AGE))
    n, mean, share = by_cell(result, "n"), by_cell(result, "mean"), by_cell(result, "share_positive")
    assert n[(1, ALL)] == 7
    assert mean[(1, ALL)] == pytest.approx(500 / 7)
    assert share[(1, ALL)] == pytest.approx(100 * 5 / 7)
    assert (n[(1, "young")], mean[(1, "young")], share[(1, "young")]) == (2, 75.0, 100.0)
    assert (n[(1, "old")], mean[(1, "old")]) == (3, pytest.approx(200 / 3))
    assert share[(1, "old")] == pytest.approx(200 / 3)
    assert (n[(2, ALL)], mean[(2, ALL)], share[(2, ALL)]) == (4, 75.0, 75.0)
    assert (n[(2, "young")], mean[(2, "young")]) == (4, 75.0)


def test_the_total_is_the_sum_over_the_groups() -> None:
    result = cells(UNFILTERED, lines=[1, 2], breakdown=AGE)
    for line, part in result.groupby("line"):
        everyone = part[part["group"] == ALL].iloc[0]
        groups = part[part["group"] != ALL]
        assert everyone["n"] == groups["n"].sum(), line
        assert everyone["total"] == groups["total"].sum(), line
        assert everyone["positive"] == groups["positive"].sum(), line


def test_every_fixed_category_is_present_even_when_nobody_is_in_it() -> None:
    result = with_figures(cells(UNFILTERED, lines=[1, 2, 3], breakdown=AGE))
    expected_groups = [ALL, "young", "old", "middle", NO_ANSWER]
    assert list(result["line"]) == [1] * 5 + [2] * 5 + [3] * 5
    assert list(result["group"]) == expected_groups * 3
    n, mean, share = by_cell(result, "n"), by_cell(result, "mean"), by_cell(result, "share_positive")
    assert n[(1, "middle")] == 0
    assert math.isnan(mean[(1, "middle")])
    assert math.isnan(share[(1, "middle")])
    # Indicator 3: nobody scored it, yet all its cells are there, empty.
    assert [n[(3, group)] for group in expected_groups] == [0] * 5
    assert all(math.isnan(mean[(3, group)]) for group in expected_groups)


def test_no_answer_collects_missing_and_empty_group_values() -> None:
    result = with_figures(cells(UNFILTERED, lines=[1], breakdown=AGE))
    assert by_cell(result, "n")[(1, NO_ANSWER)] == 2
    assert by_cell(result, "mean")[(1, NO_ANSWER)] == 75.0
    assert by_cell(result, "share_positive")[(1, NO_ANSWER)] == 50.0


def test_an_unknown_stored_value_counts_as_no_answer() -> None:
    result = cells(sums([(None, "retired option", 1, 3, 150.0, 1)]), lines=[1], breakdown=AGE)
    assert by_cell(result, "n")[(1, NO_ANSWER)] == 3


def test_without_a_breakdown_there_is_only_the_total_and_no_rest() -> None:
    result = with_figures(cells(UNFILTERED, lines=[1, 2], breakdown=None))
    assert list(zip(result["line"], result["group"], result["n"], strict=True)) == [(1, ALL, 7), (2, ALL, 4)]
    assert result["mean"].tolist() == pytest.approx([500 / 7, 75.0])
    assert result["rest"].isna().all()


FILTERED = sums(
    [
        # Filter "country": nl inside, sy and no answer (None) outside.
        ("nl", "young", 1, 10, 800.0, 6),
        ("nl", "old", 1, 5, 250.0, 1),
        ("sy", "young", 1, 7, 700.0, 7),
        (None, "old", 1, 4, 100.0, 0),
        ("sy", None, 1, 2, 200.0, 2),
    ]
)


def test_a_filter_counts_its_own_people_in_n_and_everyone_else_in_rest() -> None:
    result = with_figures(cells(FILTERED, lines=[1], breakdown=AGE, filtered=True, filter_stored="nl"))
    assert by_cell(result, "n") == {(1, ALL): 15, (1, "young"): 10, (1, "old"): 5, (1, "middle"): 0, (1, NO_ANSWER): 0}
    assert by_cell(result, "rest") == {
        (1, ALL): 13,
        (1, "young"): 7,
        (1, "old"): 4,
        (1, "middle"): 0,
        (1, NO_ANSWER): 2,
    }
    mean = by_cell(result, "mean")
    assert mean[(1, ALL)] == pytest.approx(1050 / 15)
    assert mean[(1, "young")] == 80.0
    assert by_cell(result, "share_positive")[(1, "old")] == 20.0


def test_a_filter_on_no_answer_never_takes_in_the_missing_values() -> None:
    result = cells(FILTERED, lines=[1], breakdown=None, filtered=True, filter_stored=None)
    assert by_cell(result, "n") == {(1, ALL): 0}
    assert by_cell(result, "rest") == {(1, ALL): 28}


def test_respondent_cells_count_people_per_group_inside_and_outside_the_filter() -> None:
    counts = pd.DataFrame.from_records(
        [("nl", "young", 12), ("nl", None, 3), ("sy", "young", 6), ("sy", "old", 9)],
        columns=["filter_value", "group_value", "n"],
    )
    # As reports.build reads them: the respondents are one more line among the indicators'.
    result = cells(
        counts.assign(line=RESPONDENTS),
        lines=[RESPONDENTS],
        breakdown=AGE,
        filter_stored="nl",
        filtered=True,
        line_column="line",
    )
    assert set(result["line"]) == {RESPONDENTS}
    assert dict(zip(result["group"], result["n"], strict=True)) == {
        ALL: 15,
        "young": 12,
        "old": 0,
        "middle": 0,
        NO_ANSWER: 3,
    }
    assert dict(zip(result["group"], result["rest"], strict=True)) == {
        ALL: 15,
        "young": 6,
        "old": 9,
        "middle": 0,
        NO_ANSWER: 0,
    }


def test_domain_score_is_the_mean_of_its_indicator_means() -> None:
    means = {1: 50.0, 2: 70.0, 3: 90.0, 4: None, 5: math.nan}
    result = domain_means(means, {10: [1, 2], 11: [1, 2, 3], 12: [1, 4], 13: [2, 5], 14: [1, 6], 15: []})
    assert result == {10: 60.0, 11: 70.0, 12: None, 13: None, 14: None, 15: None}


# As ``queries.answer_counts`` returns them: ``choice`` is "" (never None) when no option was chosen.
ANSWER_COLUMNS = ["question_id", "filter_value", "number", "choice", "dont_know", "n"]


def test_distribution_counts_each_answer_with_dont_know_apart() -> None:
    counts = pd.DataFrame.from_records(
        [
            # Question 5, a 5-point scale.
            (5, None, 1, "", False, 2),
            (5, None, 4, "", False, 3),
            (5, None, None, "", True, 1),
            # Question 6, a choice.
            (6, None, None, "bus", False, 4),
            (6, None, None, "car", False, 1),
            (6, None, None, "", True, 2),
        ],
        columns=ANSWER_COLUMNS,
    )
    answering = pd.DataFrame.from_records([(5, None, 6), (6, None, 7)], columns=["question_id", "filter_value", "n"])
    categories = {5: ["1", "2", "3", "4", "5", DONT_KNOW_KEY], 6: ["bus", "car", "bike", DONT_KNOW_KEY]}
    result = distribution_cells(counts, answering, categories=categories)
    assert DONT_KNOW_KEY == "dk"
    assert list(zip(result["line"], result["group"], result["n"], strict=True)) == [
        (5, ALL, 6),
        (5, "1", 2),
        (5, "2", 0),
        (5, "3", 0),
        (5, "4", 3),
        (5, "5", 0),
        (5, "dk", 1),
        (6, ALL, 7),
        (6, "bus", 4),
        (6, "car", 1),
        (6, "bike", 0),
        (6, "dk", 2),
    ]
    assert result["rest"].isna().all()


def test_distribution_with_a_filter_puts_everyone_else_in_rest() -> None:
    counts = pd.DataFrame.from_records(
        [
            (5, "nl", 2, "", False, 3),
            (5, "nl", None, "", True, 1),
            (5, "sy", 2, "", False, 5),
            (5, None, 3, "", False, 2),
            (5, "sy", None, "", True, 4),
        ],
        columns=ANSWER_COLUMNS,
    )
    answering = pd.DataFrame.from_records(
        [(5, "nl", 4), (5, "sy", 9), (5, None, 2)], columns=["question_id", "filter_value", "n"]
    )
    result = distribution_cells(
        counts, answering, categories={5: ["1", "2", "3", DONT_KNOW_KEY]}, filter_stored="nl", filtered=True
    )
    assert by_cell(result, "n") == {(5, ALL): 4, (5, "1"): 0, (5, "2"): 3, (5, "3"): 0, (5, "dk"): 1}
    assert by_cell(result, "rest") == {(5, ALL): 11, (5, "1"): 0, (5, "2"): 5, (5, "3"): 2, (5, "dk"): 4}
