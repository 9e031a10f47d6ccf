"""The only place k is applied (PRODUCT.md, "Small groups"). Pure pandas: unit- and property-tested.

A table arrives as cells: one row per ``line`` (an indicator, the respondents, a question's
answers) and ``group`` (a category of the breakdown, or ``ALL`` for the line's total), with ``n``
the number of people in the cell and ``rest`` the number of people in the same cell among
everyone outside the filter (missing when there is no filter). Three rules hide cells:

- *few*: a cell with 0 < n < k;
- *outside*: with a filter, a cell whose counterpart outside the filter has 0 < rest < k, since
  the unfiltered figure minus the filtered one would show those few people;
- *secondary*: within a line whose total is shown, once a cell is hidden the next-smallest is
  hidden too, until the hidden cells together reach k; a line whose total is hidden shows none
  of its cells (they would add up to it).

An empty cell (n = 0) is not hidden: it says "nobody", which gives away no one's answers.
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext_lazy as _

ALL = "_all"


class Reason:
    FEW = "few"
    OUTSIDE = "outside"
    SECONDARY = "secondary"


REASON_TEXTS = {
    Reason.FEW: _("Too few responses: fewer than %(k)s people."),
    Reason.OUTSIDE: _("Too few responses outside this selection: comparing with everyone would reveal them."),
    Reason.SECONDARY: _("Hidden so that a smaller hidden group cannot be worked out from the total."),
}


def reason_text(reason: str, k: int) -> str:
    return str(REASON_TEXTS[reason]) % {"k": k}


def suppress(cells: pd.DataFrame, *, k: int) -> pd.DataFrame:
    """``cells`` (columns ``line``, ``group``, ``n`` and optionally ``rest``) with two more columns:
    ``hidden`` (bool) and ``reason`` (a ``Reason`` value, or None for a shown cell)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    frame = cells.reset_index(drop=True).copy()
    n = frame["n"].astype(int)
    reason = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    reason[(n > 0) & (n < k)] = Reason.FEW
    if "rest" in frame:
        rest = pd.to_numeric(frame["rest"], errors="coerce")
        outside = reason.isna() & (n > 0) & rest.notna() & (rest > 0) & (rest < k)
        reason[outside] = Reason.OUTSIDE
    for _line, part in frame.groupby("line", sort=False):
        _secondary(part.index, frame["group"], n, reason, k)
    frame["hidden"] = reason.notna()
    frame["reason"] = reason
    return frame


def _secondary(index: pd.Index, groups: pd.Series, n: pd.Series, reason: pd.Series, k: int) -> None:
    totals = [i for i in index if groups[i] == ALL]
    cells = [i for i in index if groups[i] != ALL]
    if not cells:
        return
    if totals and reason[totals[0]] is not None:
        for i in cells:
            if reason[i] is None and n[i] > 0:
                reason[i] = reason[totals[0]]
        return
    # Smallest first; ties keep the categories' own order, so the same table hides the same cells.
    order = sorted((i for i in cells if n[i] > 0), key=lambda i: n[i])
    while True:
        hidden = sum(n[i] for i in cells if reason[i] is not None)
        if hidden == 0 or hidden >= k:
            return
        candidates = [i for i in order if reason[i] is None]
        if not candidates:
            return
        reason[candidates[0]] = Reason.SECONDARY
