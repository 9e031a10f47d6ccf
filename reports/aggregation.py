"""Pure pandas on aggregated frames: no database, so every rule here is unit-tested directly.

The rules are PRODUCT.md's "Scoring" and "Small groups": a group's indicator score is the mean of
its respondents' scores, shown with n and the share positive (score >= 75), and nothing at all
is shown for fewer than k respondents.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

POSITIVE_FROM = 75.0
SUMMARY_COLUMNS = ["n", "mean", "share_positive", "suppressed"]


def indicator_summary(scores: pd.DataFrame, *, k: int, indicators: Sequence[int] = ()) -> pd.DataFrame:
    """One row per indicator (index ``indicator_id``): ``n``, ``mean``, ``share_positive``, ``suppressed``.

    ``scores`` has the columns ``indicator_id``, ``response_id`` and ``score`` (0-100), as
    ``reports.queries.respondent_indicator_scores`` returns them. Missing scores are left out,
    never counted as 0. An indicator with fewer than ``k`` respondents is suppressed: its n, mean
    and share are blanked here, so no later step can show or subtract them by mistake.
    ``indicators`` adds a row for every listed indicator, also one nobody scored (suppressed).
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    scored = scores.dropna(subset=["score"])
    # One score per respondent and indicator: n counts people, and nobody weighs twice in a mean.
    per_respondent = scored.groupby(["indicator_id", "response_id"], as_index=False)["score"].mean()
    # Rounding first: an average that is 75 on paper must not fall to 74.99999 in floating point.
    per_respondent["positive"] = per_respondent["score"].round(6) >= POSITIVE_FROM
    summary = per_respondent.groupby("indicator_id").agg(
        n=("response_id", "size"), mean=("score", "mean"), share_positive=("positive", "mean")
    )
    wanted = list(dict.fromkeys([*indicators, *summary.index]))
    summary = summary.reindex(wanted).rename_axis("indicator_id")
    summary["n"] = summary["n"].fillna(0).astype("Int64")
    summary["suppressed"] = (summary["n"] < k).astype(bool)
    hidden = summary["suppressed"]
    summary["mean"] = summary["mean"].astype(float).mask(hidden, np.nan)
    summary["share_positive"] = summary["share_positive"].astype(float).mask(hidden, np.nan)
    summary["n"] = summary["n"].mask(hidden, pd.NA)
    return summary[SUMMARY_COLUMNS]
