"""Reads for reports: aggregated in the database (GROUP BY), returned as small pandas frames.

Raw answer rows never travel to Python: a survey can hold millions of them (see PRODUCT.md,
"Performance"), while the frames here have one row per respondent and indicator at most.
"""

from __future__ import annotations

import pandas as pd
from django.db.models import Avg

from surveys.models import Answer, ResponseStatus, Survey

SCORE_COLUMNS = ["indicator_id", "response_id", "score"]


def respondent_indicator_scores(survey: Survey) -> pd.DataFrame:
    """Each respondent's score per indicator: the mean of their scored items in it (0-100).

    Completed responses only. Answers without a score ("don't know", skipped, unscored types)
    are left out rather than counted as 0, so a respondent without any scored item in an
    indicator has no row for it.
    """
    rows = (
        Answer.objects.filter(
            survey=survey,
            response__status=ResponseStatus.COMPLETED,
            indicator__isnull=False,
            score__isnull=False,
        )
        .values("indicator_id", "response_id")
        # "score" is the field being averaged; an annotation may not take its name.
        .annotate(mean_score=Avg("score"))
        .order_by()
        .values_list("indicator_id", "response_id", "mean_score")
    )
    return pd.DataFrame.from_records(list(rows), columns=SCORE_COLUMNS)
