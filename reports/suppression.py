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
    # The raw answers are gone and the frozen figures were suppressed with a smaller k than today's.
    FROZEN = "frozen"


REASON_TEXTS = {
    Reason.FEW: _("Too few responses: fewer than %(k)s people."),
    Reason.OUTSIDE: _("Too few responses outside this selection: comparing with everyone would reveal them."),
    Reason.SECONDARY: _("Hidden so that a smaller hidden group cannot be worked out from the total."),
    Reason.FROZEN: _(
        "Hidden: these figures were frozen when the raw answers were deleted, with a smaller minimum group than "
        "the %(k)s people asked for now."
    ),
}


def reason_text(reason: str, k: int) -> str:
    return str(REASON_TEXTS[reason]) % {"k": k}


def suppress(cells: pd.DataFrame, *, k: int) -> pd.DataFrame:
    """``cells`` (columns ``line``, ``group``, ``n`` and optionally ``rest``) with two more columns:
    ``hidden`` (bool) and ``reason`` (a ``Reason`` value, or None for a shown cell)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    frame = cells.reset_index(drop=True).copy()
    # Plain lists: a table has a few hundred cells at most, and the rules walk them line by line.
    n = [int(value) for value in frame["n"]]
    rest = [float(value) if pd.notna(value) else None for value in frame["rest"]] if "rest" in frame else None
    reason: list[str | None] = [None] * len(n)
    for i, count in enumerate(n):
        if 0 < count < k:
            reason[i] = Reason.FEW
        elif count > 0 and rest is not None and rest[i] is not None and 0 < rest[i] < k:
            reason[i] = Reason.OUTSIDE
    lines: dict[object, list[int]] = {}
    for i, line in enumerate(frame["line"]):
        lines.setdefault(line, []).append(i)
    groups = frame["group"].tolist()
    for index in lines.values():
        _secondary(index, groups, n, reason, k)
    frame["hidden"] = [value is not None for value in reason]
    frame["reason"] = pd.Series(reason, index=frame.index, dtype=object)
    return frame


def _secondary(index: list[int], groups: list[str], n: list[int], reason: list[str | None], k: int) -> None:
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
