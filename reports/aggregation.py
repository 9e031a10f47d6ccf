"""Pure pandas on aggregated frames: no database and no k, so every rule here is unit-tested directly.

The rules are PRODUCT.md's "Scoring": a group's indicator score is the mean of its respondents'
scores, shown with n and the share positive (score >= 75). The frames come from
``reports.queries`` (sums per filter value, breakdown value and indicator) and leave as *cells*:
one row per line (an indicator, the respondents, a question) and group (``ALL`` or a category),
with ``n`` inside the filter and ``rest``, the same cell among everyone outside it, which is all
that ``reports.suppression`` needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from reports.params import Dimension
from reports.suppression import ALL

POSITIVE_FROM = 75.0
RESPONDENTS = "respondents"
CELL_COLUMNS = ["line", "group", "n", "rest", "total", "positive"]


def group_keys(breakdown: Dimension | None) -> list[str]:
    """The groups of a view: everyone, then the breakdown's fixed categories."""
    return [ALL, *(key for key, _label in breakdown.categories)] if breakdown is not None else [ALL]


def cells(
    sums: pd.DataFrame,
    *,
    lines: Sequence,
    breakdown: Dimension | None,
    filter_stored: object = None,
    filtered: bool = False,
    line_column: str = "indicator_id",
) -> pd.DataFrame:
    """Cells with ``n``, ``rest``, ``total`` and ``positive`` from sums per filter value, group
    value and line (``queries.score_sums``; for counts without scores, ``total`` and ``positive``
    are 0). ``lines`` fixes the rows, so an indicator nobody scored still has its (empty) cells."""
    groups = group_keys(breakdown)
    frame = sums.rename(columns={line_column: "line"})
    for column in ("total", "positive"):
        if column not in frame:
            frame[column] = 0
    keyed = frame.assign(
        group=[breakdown.key_for(value) for value in frame["group_value"]] if breakdown else ALL,
        inside=[_is(value, filter_stored) for value in frame["filter_value"]] if filtered else True,
    )
    summed = keyed.groupby(["inside", "line", "group"], sort=False)[["n", "total", "positive"]].sum()
    # One grouping in pandas; the rest are lookups in a table of a few hundred rows at most, which
    # plain dictionaries do far faster than further pandas calls.
    table = dict(zip(summed.index, summed.itertuples(index=False, name=None), strict=True))
    totals: dict[tuple, list] = {}
    for (inside, line, _group), values in table.items():
        total = totals.setdefault((inside, line), [0, 0.0, 0])
        for position, value in enumerate(values):
            total[position] += value

    def tally(inside: bool, line: object, group: str) -> tuple:
        found = totals.get((inside, line)) if group == ALL else table.get((inside, line, group))
        return tuple(found) if found is not None else (0, 0.0, 0)

    records = []
    for line in lines:
        for group in groups:
            n, total, positive = tally(True, line, group)
            rest = tally(False, line, group)[0] if filtered else np.nan
            records.append((line, group, int(n), rest, float(total), int(positive)))
    return pd.DataFrame.from_records(records, columns=CELL_COLUMNS)


def _is(value: object, stored: object) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value)) and value == stored


def dimension_line(dimension: Dimension, by_value: Mapping[object, int]) -> pd.DataFrame:
    """Respondents per category of one dimension, as a line named after its code: the total
    (``ALL``) and every fixed category; a stored value it does not know counts as "no answer"."""
    per_key: dict[str, int] = {key: 0 for key, _label in dimension.categories}
    for value, n in by_value.items():
        key = dimension.key_for(value)
        per_key[key] = per_key.get(key, 0) + int(n)
    records = [(dimension.code, ALL, sum(per_key.values()))]
    records.extend((dimension.code, key, n) for key, n in per_key.items())
    return pd.DataFrame.from_records(records, columns=["line", "group", "n"])


def with_figures(cells: pd.DataFrame) -> pd.DataFrame:
    """Add ``mean`` (0-100) and ``share_positive`` (0-100 %) to cells; NaN where nobody is in the cell."""
    n = cells["n"].where(cells["n"] > 0)
    return cells.assign(
        mean=cells["total"] / n,
        share_positive=100 * cells["positive"] / n,
    )


def domain_means(means: Mapping[int, float | None], domains: Mapping[int, Sequence[int]]) -> dict[int, float | None]:
    """A domain's score is the mean of its indicators' means (PRODUCT.md, "Scoring").

    ``means`` has the shown mean per indicator id (None when hidden or empty); ``domains`` the
    indicator ids per domain. A domain with a hidden indicator gets None: its score and the
    others' would give the hidden mean away.
    """
    result: dict[int, float | None] = {}
    for domain, indicators in domains.items():
        values = [means.get(indicator) for indicator in indicators]
        if not values or any(value is None or np.isnan(value) for value in values):
            result[domain] = None
        else:
            result[domain] = float(np.mean(values))
    return result


def distribution_cells(
    counts: pd.DataFrame,
    answering: pd.DataFrame,
    *,
    categories: Mapping[int, Sequence[str]],
    filter_stored: object = None,
    filtered: bool = False,
) -> pd.DataFrame:
    """Cells per question (line) and answer (group): how many chose each scale point or option,
    "don't know" (``dk``) and "does not apply" (``na``) apart; the line's total (``ALL``) counts
    everyone who answered it.

    ``counts`` and ``answering`` come from ``queries.answer_counts`` and ``queries.answering_counts``;
    ``categories`` fixes each question's answers in scale order.
    """
    frame = counts.copy()
    frame["group"] = [_answer_key(row) for row in frame.itertuples()]
    rows = []
    for question_id, keys in categories.items():
        for key in [ALL, *keys]:
            rows.append((question_id, key))
    grid = pd.MultiIndex.from_tuples(rows, names=["line", "group"])
    inside_mask = _inside(frame["filter_value"], filter_stored, filtered)
    answering_inside = _inside(answering["filter_value"], filter_stored, filtered)

    def tally(part: pd.DataFrame, totals: pd.DataFrame) -> pd.Series:
        by_answer = part.groupby(["question_id", "group"])["n"].sum()
        total = totals.groupby("question_id")["n"].sum()
        total.index = pd.MultiIndex.from_arrays([total.index, [ALL] * len(total)])
        combined = pd.concat([by_answer, total])
        combined.index.names = ["line", "group"]
        return combined.reindex(grid, fill_value=0)

    result = tally(frame[inside_mask], answering[answering_inside]).rename("n").reset_index()
    if filtered:
        result["rest"] = tally(frame[~inside_mask], answering[~answering_inside]).to_numpy()
    else:
        result["rest"] = np.nan
    result["n"] = result["n"].astype(int)
    return result


DONT_KNOW_KEY = "dk"
NOT_APPLICABLE_KEY = "na"


def _answer_key(row: object) -> str:
    if row.dont_know:
        return DONT_KNOW_KEY
    if getattr(row, "not_applicable", False):  # a frame without the column has no such answers
        return NOT_APPLICABLE_KEY
    if isinstance(row.choice, str) and row.choice:
        return row.choice
    return str(int(row.number)) if row.number is not None and not pd.isna(row.number) else DONT_KNOW_KEY


def _inside(values: pd.Series, stored: object, filtered: bool) -> pd.Series:
    if not filtered:
        return pd.Series(True, index=values.index)
    return pd.Series([_is(value, stored) for value in values], index=values.index, dtype=bool)
