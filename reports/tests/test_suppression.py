"""PRODUCT.md, "Small groups": the rules of ``reports.suppression``, by hand and for every table."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.build import filter_line, offered_keys
from reports.params import NO_ANSWER, Dimension
from reports.suppression import ALL, Reason, suppress

K = 10


def line(counts: dict[str, int], *, name: object = 1, rests: dict[str, int] | None = None) -> list[dict]:
    """One line of cells: its total (the sum of ``counts``) first, then each category."""
    rows = [{"line": name, "group": ALL, "n": sum(counts.values())}]
    rows += [{"line": name, "group": group, "n": n} for group, n in counts.items()]
    if rests is not None:
        for row in rows:
            row["rest"] = sum(rests.values()) if row["group"] == ALL else rests[row["group"]]
    return rows


def shown(rows: list[dict], k: int = K) -> dict[tuple[object, str], str | None]:
    """(line, group) -> the reason a cell is hidden, or None when it is shown."""
    result = suppress(pd.DataFrame(rows), k=k)
    assert (result["hidden"] == result["reason"].notna()).all()
    return {(row.line, row.group): row.reason for row in result.itertuples()}


# Hand-computed cases.


def test_a_cell_at_k_minus_one_is_hidden_as_few_and_a_cell_at_k_is_shown() -> None:
    rows = [{"line": 1, "group": ALL, "n": K - 1}, {"line": 2, "group": ALL, "n": K}]
    assert shown(rows) == {(1, ALL): Reason.FEW, (2, ALL): None}
    # In a breakdown: the 9 is few, the first 10 covers it (secondary), the second 10 is shown.
    assert shown(line({"a": K - 1, "b": K, "c": K, "d": 30})) == {
        (1, ALL): None,
        (1, "a"): Reason.FEW,
        (1, "b"): Reason.SECONDARY,
        (1, "c"): None,
        (1, "d"): None,
    }


def test_an_empty_cell_is_shown_as_nobody() -> None:
    assert shown(line({"a": 0, "b": 20, "c": 15})) == {(1, ALL): None, (1, "a"): None, (1, "b"): None, (1, "c"): None}
    assert shown([{"line": 1, "group": ALL, "n": 0}]) == {(1, ALL): None}


def test_secondary_rule_hides_the_next_smallest_until_the_hidden_cells_reach_k() -> None:
    # 4 and 3 are too few; together 7 < 10, so 44 - 25 - 12 would give their sum away: 12 goes too.
    assert shown(line({"a": 25, "b": 12, "c": 4, "d": 3})) == {
        (1, ALL): None,
        (1, "a"): None,
        (1, "b"): Reason.SECONDARY,
        (1, "c"): Reason.FEW,
        (1, "d"): Reason.FEW,
    }


def test_secondary_rule_is_not_needed_when_the_small_cells_are_all_few() -> None:
    # 8, 4 and 3 are all below 10 and together 15: the 25 is shown.
    assert shown(line({"a": 25, "b": 8, "c": 4, "d": 3})) == {
        (1, ALL): None,
        (1, "a"): None,
        (1, "b"): Reason.FEW,
        (1, "c"): Reason.FEW,
        (1, "d"): Reason.FEW,
    }


def test_secondary_rule_breaks_ties_by_category_order() -> None:
    assert shown(line({"a": 30, "b": 12, "c": 12, "d": 4})) == {
        (1, ALL): None,
        (1, "a"): None,
        (1, "b"): Reason.SECONDARY,
        (1, "c"): None,
        (1, "d"): Reason.FEW,
    }


def test_nothing_more_is_hidden_when_the_hidden_cells_already_reach_k() -> None:
    # 6 + 5 = 11 >= 10: the total minus the shown cells gives only their sum.
    assert shown(line({"a": 25, "b": 12, "c": 6, "d": 5})) == {
        (1, ALL): None,
        (1, "a"): None,
        (1, "b"): None,
        (1, "c"): Reason.FEW,
        (1, "d"): Reason.FEW,
    }


def test_a_line_without_hidden_cells_hides_nothing() -> None:
    assert set(shown(line({"a": 25, "b": 12, "c": 0})).values()) == {None}


def test_a_hidden_total_hides_every_non_empty_cell_of_its_line() -> None:
    # Total 8 < 10 (its cells are smaller still).
    assert shown(line({"a": 5, "b": 3, "c": 0})) == {
        (1, ALL): Reason.FEW,
        (1, "a"): Reason.FEW,
        (1, "b"): Reason.FEW,
        (1, "c"): None,
    }
    # The total is hidden because only 3 people are outside the filter; its cells of 12 and 15,
    # safe on their own, go with it, and the empty cell still says "nobody".
    assert shown(line({"a": 12, "b": 15, "c": 0}, rests={"a": 0, "b": 0, "c": 3})) == {
        (1, ALL): Reason.OUTSIDE,
        (1, "a"): Reason.OUTSIDE,
        (1, "b"): Reason.OUTSIDE,
        (1, "c"): None,
    }


def test_outside_rule_hides_a_cell_whose_counterpart_outside_the_filter_is_too_few() -> None:
    result = shown(line({"a": 20, "b": 20, "c": 20, "d": 20}, rests={"a": 0, "b": 1, "c": K - 1, "d": K}))
    assert result[(1, "a")] is None  # nobody outside: nothing to work out
    assert result[(1, "b")] == Reason.OUTSIDE
    assert result[(1, "c")] == Reason.OUTSIDE
    assert result[(1, "d")] is None
    assert result[(1, ALL)] is None  # rest 20 outside


def test_outside_rule_ignores_cells_without_a_filter() -> None:
    rows = [{"line": 1, "group": ALL, "n": 20, "rest": math.nan}]
    assert shown(rows) == {(1, ALL): None}


def test_lines_are_suppressed_independently() -> None:
    rows = line({"a": 25, "b": 12, "c": 4, "d": 3}, name="x") + line({"a": 25, "b": 8, "c": 12, "d": 10}, name="y")
    result = shown(rows)
    assert result[("x", "b")] == Reason.SECONDARY
    assert {group: result[("y", group)] for group in (ALL, "a", "b", "c", "d")} == {
        ALL: None,
        "a": None,
        "b": Reason.FEW,
        "c": None,
        "d": Reason.SECONDARY,
    }


@pytest.mark.parametrize("k", [0, -1])
def test_k_below_one_is_refused(k: int) -> None:
    with pytest.raises(ValueError, match="k must be at least 1"):
        suppress(pd.DataFrame(line({"a": 20})), k=k)


# Properties over random tables: several lines, each a total and its categories.

GROUPS = ["a", "b", "c", "d", NO_ANSWER]
counts = st.one_of(st.integers(0, 15), st.integers(0, 60))
# Per line, everyone outside the filter is either a handful (so the total itself can be too few) or many.
rest_scales = st.sampled_from([3, 60])


@st.composite
def tables(draw: st.DrawFn, *, rest: str) -> pd.DataFrame:
    """``rest``: "none" (no column), "nan" (no filter) or "counts" (everyone outside a filter)."""
    rows = []
    for name in range(draw(st.integers(1, 4))):
        groups = GROUPS[: draw(st.integers(1, len(GROUPS)))]
        ns = {group: draw(counts) for group in groups}
        rests = None
        if rest == "counts":
            scale = draw(rest_scales)
            rests = {group: draw(st.integers(0, scale)) for group in groups}
        rows += line(ns, name=name, rests=rests)
    if rest == "nan":
        for row in rows:
            row["rest"] = math.nan
    # Rows arrive in any order: lines interleaved, the total not necessarily first.
    return pd.DataFrame(draw(st.permutations(rows)))


any_table = st.sampled_from(["none", "nan", "counts"]).flatmap(lambda rest: tables(rest=rest))
ks = st.integers(5, 15)
fast = settings(max_examples=200, deadline=None)


def suppressed_lines(table: pd.DataFrame, k: int) -> dict[object, dict[str, dict]]:
    """line -> group -> the suppressed row as a dict (plain Python keeps 200 examples quick)."""
    result: dict[object, dict[str, dict]] = {}
    for row in suppress(table, k=k).to_dict("records"):
        result.setdefault(row["line"], {})[row["group"]] = row
    return result


@fast
@given(any_table, ks)
def test_no_shown_cell_has_between_one_and_k_minus_one_people(table: pd.DataFrame, k: int) -> None:
    for groups in suppressed_lines(table, k).values():
        for row in groups.values():
            assert row["hidden"] or not 0 < row["n"] < k, row


@fast
@given(any_table, ks)
def test_hidden_cells_of_a_shown_total_cannot_be_worked_out(table: pd.DataFrame, k: int) -> None:
    for groups in suppressed_lines(table, k).values():
        if groups[ALL]["hidden"]:
            continue
        categories = [row for group, row in groups.items() if group != ALL]
        unaccounted = groups[ALL]["n"] - sum(row["n"] for row in categories if not row["hidden"])
        assert unaccounted == sum(row["n"] for row in categories if row["hidden"])
        assert unaccounted == 0 or unaccounted >= k, groups
        assert (unaccounted == 0) == (not any(row["hidden"] for row in categories)), groups


@fast
@given(tables(rest="counts"), ks)
def test_no_shown_cell_has_between_one_and_k_minus_one_people_outside_the_filter(table: pd.DataFrame, k: int) -> None:
    # An empty cell stays "nobody": the unfiltered cell is then the rest itself, hidden there as few.
    for groups in suppressed_lines(table, k).values():
        for row in groups.values():
            assert row["hidden"] or row["n"] == 0 or not 0 < row["rest"] < k, row


@fast
@given(any_table, ks)
def test_a_hidden_total_shows_no_non_empty_cell_of_its_line(table: pd.DataFrame, k: int) -> None:
    for groups in suppressed_lines(table, k).values():
        if groups[ALL]["hidden"]:
            assert all(row["hidden"] or row["n"] == 0 for row in groups.values()), groups


@fast
@given(any_table, ks)
def test_suppress_is_deterministic_and_keeps_every_row_in_place(table: pd.DataFrame, k: int) -> None:
    before = table.copy()
    first = suppress(table, k=k)
    assert table.equals(before), "the input is left alone"
    assert list(first.columns) == [*table.columns, "hidden", "reason"]
    assert first[list(table.columns)].equals(table)
    assert first.equals(suppress(table, k=k))


@settings(max_examples=50, deadline=None)
@given(any_table, ks)
def test_each_line_is_suppressed_as_if_it_were_alone(table: pd.DataFrame, k: int) -> None:
    together = suppress(table, k=k)
    for name, part in table.groupby("line"):
        assert suppress(part, k=k).equals(together[together["line"] == name].reset_index(drop=True))


# Which filter values may be offered.

DIMENSION = Dimension(
    code="q",
    label="Q",
    question_id=1,
    categories=(("a", "A"), ("b", "B"), ("c", "C"), (NO_ANSWER, "no answer")),
    values=(("a", "a"), ("b", "b"), ("c", "c")),
)


def respondents(by_value: dict[object, int]) -> pd.DataFrame:
    """The respondents per category as one line, built the way the filter form builds it."""
    counts = pd.DataFrame({"filter_value": list(by_value), "n": list(by_value.values())})
    return filter_line(counts, DIMENSION)


def test_filter_line_is_the_respondents_per_category_with_a_total() -> None:
    result = respondents({"a": 12, "c": 3, None: 5})
    assert list(result["line"]) == [DIMENSION.code] * 5  # one line per dimension, named after it
    assert dict(zip(result["group"], result["n"], strict=True)) == {ALL: 20, "a": 12, "b": 0, "c": 3, NO_ANSWER: 5}


def test_offered_keys_need_k_inside_and_outside_and_a_shown_cell() -> None:
    # b: 12 hidden by the secondary rule (it covers the 3); c: 3 too few; "no answer" is never a filter.
    assert offered_keys(respondents({"a": 30, "b": 12, "c": 3, None: 20}), K) == ["a"]
    # Everyone is in a: nobody outside it to compare with.
    assert offered_keys(respondents({"a": 40, "b": 0, "c": 0, None: 0}), K) == []
    assert offered_keys(respondents({"a": 15, "b": 15, "c": 0, None: 0}), K) == ["a", "b"]


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "c", None]), counts, min_size=1), ks)
def test_every_offered_key_is_safe_inside_and_outside(by_value: dict[object, int], k: int) -> None:
    line_ = respondents(by_value)
    offered = offered_keys(line_, k)
    alone = suppress(line_, k=k).set_index("group")
    total = alone.loc[ALL, "n"]
    for key in offered:
        assert key != NO_ANSWER
        assert alone.loc[key, "n"] >= k
        assert total - alone.loc[key, "n"] >= k
        assert not alone.loc[key, "hidden"]
