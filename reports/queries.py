"""Reads for reports: aggregated in the database (GROUP BY), returned as small pandas frames.

Raw rows never travel to Python: a survey can hold millions of answers (PRODUCT.md,
"Performance"). The figures come from the stored respondent scores (``IndicatorScore``: one row
per respondent and indicator), grouped by the breakdown's category and by whether the respondent
is inside the filter; every frame here has a row per category and indicator at most.
"""

from __future__ import annotations

import pandas as pd
from django.db import connections, router
from django.db.models import CharField, Count, F, FilteredRelation, Q, QuerySet, Value

from reports.aggregation import POSITIVE_FROM
from reports.params import Dimension, ReportQuery
from surveys.models import Answer, IndicatorScore, Question, Response, ResponseStatus, Survey
from surveys.scales import TEXT, Section

SUM_COLUMNS = ["filter_value", "group_value", "indicator_id", "n", "total", "positive"]
COUNT_COLUMNS = ["filter_value", "group_value", "n"]
# Scores are means of multiples of 10 and 25, exact in floating point; the margin only guards
# against a database that divides differently.
POSITIVE_SCORE = POSITIVE_FROM - 1e-6


def _dimension_value(rows: QuerySet, dimension: Dimension | None, name: str, prefix: str) -> QuerySet:
    """Annotate ``name``: what the respondent answered to the dimension's question (one join), or
    their channel. ``prefix`` leads from the rows to the response ("" for responses themselves)."""
    if dimension is None:
        return rows.annotate(**{name: Value(None, output_field=CharField())})
    if dimension.is_channel:
        return rows.annotate(**{name: F(f"{prefix}channel_id")})
    relation = f"{name}_answer"
    condition = Q(**{f"{prefix}answers__question_id": dimension.question_id})
    rows = rows.annotate(**{relation: FilteredRelation(f"{prefix}answers", condition=condition)})
    return rows.annotate(**{name: F(f"{relation}__choice")})


def _grouped(rows: QuerySet, query: ReportQuery, prefix: str) -> QuerySet:
    rows = _dimension_value(rows, query.filter.dimension if query.filter else None, "filter_value", prefix)
    return _dimension_value(rows, query.breakdown, "group_value", prefix)


def score_sums(query: ReportQuery) -> pd.DataFrame:
    """Per filter value, breakdown value and indicator: respondents with a score (n), the sum of
    their scores and how many have a good experience (score >= 75). One query.

    Written in SQL because the background answer is joined on the score row's own response_id:
    the ORM can only reach it through the response table, a join of every score row that costs
    about a third of the query over a million answers (benchmarks/reports.py).
    """
    params: list[object] = []
    joins: list[str] = []
    dimensions = {
        "filter_value": _dimension_sql(query.filter.dimension if query.filter else None, "f", joins, params),
        "group_value": _dimension_sql(query.breakdown, "g", joins, params),
    }
    # Only real columns are grouped by (a constant NULL still costs hashing on every row). One
    # indicator (its page) is read through the (survey, indicator) index; for more, every indicator
    # of the survey is read and a partner's are picked from the small result, which is cheaper
    # than an IN list tested on every row.
    grouped = [expression for expression in dimensions.values() if expression is not None]
    where, where_params = "s.survey_id = %s", [query.survey.pk]
    if len(query.indicators) == 1:
        where, where_params = f"{where} AND s.indicator_id = %s", [*where_params, query.indicators[0].pk]
    score = IndicatorScore._meta.db_table
    sql = (
        f"SELECT {''.join(f'{expression}, ' for expression in grouped)}s.indicator_id, COUNT(*),"  # noqa: S608 (table names and placeholders only)
        f" SUM(s.score), SUM(CASE WHEN s.score >= %s THEN 1 ELSE 0 END)"
        f" FROM {score} s {' '.join(joins)} WHERE {where}"
        f" GROUP BY {''.join(f'{expression}, ' for expression in grouped)}s.indicator_id"
    )
    # Raw SQL bypasses the router: ask it, so that a report reads from the replica when there is one.
    with connections[router.db_for_read(IndicatorScore)].cursor() as cursor:
        cursor.execute(sql, [POSITIVE_SCORE, *params, *where_params])
        rows = cursor.fetchall()
    names = [name for name, expression in dimensions.items() if expression is not None]
    frame = pd.DataFrame.from_records(rows, columns=[*names, "indicator_id", "n", "total", "positive"])
    for name, expression in dimensions.items():
        if expression is None:
            frame[name] = None
    wanted = {indicator.pk for indicator in query.indicators}
    return frame[frame["indicator_id"].isin(wanted)][SUM_COLUMNS].reset_index(drop=True)


def _dimension_sql(dimension: Dimension | None, alias: str, joins: list[str], params: list[object]) -> str | None:
    """The SELECT expression of a dimension's value for score row ``s``, adding its join."""
    if dimension is None:
        return None
    if dimension.is_channel:
        joins.append(f"INNER JOIN {Response._meta.db_table} {alias} ON {alias}.id = s.response_id")
        return f"{alias}.channel_id"
    joins.append(
        f"LEFT OUTER JOIN {Answer._meta.db_table} {alias}"
        f" ON {alias}.response_id = s.response_id AND {alias}.question_id = %s"
    )
    params.append(dimension.question_id)
    return f"{alias}.choice"


def respondent_counts(query: ReportQuery) -> pd.DataFrame:
    """Completed responses per filter value and breakdown value. One query."""
    rows = Response.objects.filter(survey=query.survey, status=ResponseStatus.COMPLETED)
    rows = (
        _grouped(rows, query, "")
        .values("filter_value", "group_value")
        .annotate(n=Count("id"))
        .order_by()
        .values_list(*COUNT_COLUMNS)
    )
    return pd.DataFrame.from_records(list(rows), columns=COUNT_COLUMNS)


RESPONSE_COUNT_COLUMNS = ["channel_id", "language", "started", "completed"]


def response_counts(survey: Survey) -> pd.DataFrame:
    """Started and completed responses per channel id (None: no channel) and language. One query."""
    columns = RESPONSE_COUNT_COLUMNS
    rows = (
        Response.objects.filter(survey=survey)
        .values("channel_id", "language")
        .annotate(started=Count("id"), completed=Count("id", filter=Q(status=ResponseStatus.COMPLETED)))
        .order_by()
        .values_list(*columns)
    )
    return pd.DataFrame.from_records(list(rows), columns=columns)


def option_counts(survey: Survey, question_ids: list[int]) -> pd.DataFrame:
    """Completed respondents per chosen option of the given one-choice questions. One query.

    "Don't know" and "does not apply" choose no option: those respondents count as not answering."""
    columns = ["question_id", "choice", "n"]
    rows = (
        Answer.objects.filter(
            survey=survey,
            question_id__in=question_ids,
            response__status=ResponseStatus.COMPLETED,
            dont_know=False,
            not_applicable=False,
        )
        .values("question_id", "choice")
        .annotate(n=Count("id"))
        .order_by()
        .values_list(*columns)
    )
    return pd.DataFrame.from_records(list(rows), columns=columns)


def _answers_in(query: ReportQuery, questions: list[Question]) -> QuerySet:
    rows = Answer.objects.filter(survey=query.survey, question__in=questions, response__status=ResponseStatus.COMPLETED)
    return _dimension_value(rows, query.filter.dimension if query.filter else None, "filter_value", "response__")


def answer_counts(query: ReportQuery, questions: list[Question]) -> pd.DataFrame:
    """Per question, filter value and answer (a scale point or option, "don't know" or "does not
    apply"): how many respondents gave it. One query."""
    columns = ["question_id", "filter_value", "number", "choice", "dont_know", "not_applicable", "n"]
    rows = (
        _answers_in(query, questions)
        .values("question_id", "filter_value", "number", "choice", "dont_know", "not_applicable")
        .annotate(n=Count("id"))
        .order_by()
        .values_list(*columns)
    )
    return pd.DataFrame.from_records(list(rows), columns=columns)


def answering_counts(query: ReportQuery, questions: list[Question]) -> pd.DataFrame:
    """Per question and filter value: how many respondents answered it at all. One query."""
    columns = ["question_id", "filter_value", "n"]
    rows = (
        _answers_in(query, questions)
        .values("question_id", "filter_value")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
        .values_list(*columns)
    )
    return pd.DataFrame.from_records(list(rows), columns=columns)


WHERE_NOW = "where-now-where-to"


def quote_questions(survey: Survey, indicator_id: int) -> QuerySet[Question]:
    """The questions whose written answers an indicator page shows (and whose answers can be
    marked for the report): the indicator's own open questions, and "Where are you now, and where
    do you want to go?" (the bank's question, by its code)."""
    return survey.visible_questions().filter(
        Q(indicator_id=indicator_id, section=Section.INDICATOR, type__in=TEXT)
        | Q(section=Section.OPEN, code=WHERE_NOW)
        | Q(section=Section.OPEN, bank_question__code=WHERE_NOW)
    )


def open_answers(query: ReportQuery, questions: list[Question]) -> QuerySet[Answer]:
    """The written answers to ``questions`` of completed respondents inside the filter, newest
    first. Only for a population that may be shown (see ``reports.build``); paginated by the view."""
    rows = Answer.objects.filter(
        survey=query.survey, question__in=questions, response__status=ResponseStatus.COMPLETED
    ).exclude(text="")
    if query.filter is not None:
        dimension, stored = query.filter.dimension, query.filter.dimension.stored_for(query.filter.key)
        if dimension.is_channel:
            rows = rows.filter(response__channel_id=stored)
        else:
            rows = rows.filter(response__answers__question_id=dimension.question_id, response__answers__choice=stored)
    return rows.order_by("-response__completed_at", "-pk")
