"""From one ``ReportQuery`` to one suppressed ``ReportResult``: queries, then aggregation, then
suppression, in that order and only here. A fixed number of queries, whatever the number of
responses: the test suite counts them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db.models import Count, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators.models import Domain, Indicator
from integration_mapping.languages import survey_language_choices
from reports import aggregation, charts, queries
from reports.models import ReferenceValue, ReportQuote, ResultSnapshot
from reports.params import NO_ANSWER, NO_CHANNEL_LABEL, BadReportQuery, Dimension, ReportQuery
from reports.result import Cell, Group, ReportResult, everyone_label
from reports.suppression import ALL, Reason, suppress
from surveys.models import Question, Survey
from surveys.scales import DONT_KNOW_LABEL, NOT_APPLICABLE_LABEL, QuestionType, Section, scale_points


def build_report(query: ReportQuery) -> ReportResult:
    frame = suppressed_cells(query)
    compare_frame = None
    if query.compare is not None:
        other = query.for_wave(query.compare)
        # A wave without its raw answers cannot be filtered: then there is nothing to compare with.
        if other is not None and not (other.filter is not None and other.survey.raw_deleted_at is not None):
            compare_frame = suppressed_cells(other, keys_like=query)
    cells = _cells(frame, compare_frame)
    everyone = cells[(aggregation.RESPONDENTS, ALL)]
    groups = tuple(
        Group(
            key,
            everyone_label(query) if key == ALL else query.breakdown.label_for(key),
            cells[(aggregation.RESPONDENTS, key)],
        )
        for key in aggregation.group_keys(query.breakdown)
    )
    references = {
        reference.indicator_id: reference
        for reference in ReferenceValue.objects.filter(survey=query.survey, indicator__in=query.indicators)
    }
    return ReportResult(
        query=query,
        groups=groups,
        cells={key: cell for key, cell in cells.items() if key[0] != aggregation.RESPONDENTS},
        references=references,
        domains=_domains(query, cells, groups),
        changed_questions=changed_questions(query.survey, query.compare) if query.compare is not None else {},
        compared=compare_frame is not None,
        hidden_reason=everyone.reason,
    )


def suppressed_cells(query: ReportQuery, *, keys_like: ReportQuery | None = None) -> pd.DataFrame:
    """Every cell of the view (indicators and respondents) with its figures, suppressed: computed
    from the stored scores, or read from the frozen results once retention deleted them."""
    table = _frozen_cells(query) if query.survey.raw_deleted_at is not None else _live_cells(query)
    if keys_like is not None and query.breakdown is not None and query.breakdown.is_channel:
        # Channels are other rows in another wave: match them by name.
        current = {label: key for key, label in keys_like.breakdown.categories}
        table["group"] = [
            key if key == ALL else current.get(query.breakdown.label_for(key), key) for key in table["group"]
        ]
    return table


def _live_cells(query: ReportQuery) -> pd.DataFrame:
    filter_stored = query.filter.dimension.stored_for(query.filter.key) if query.filter else None
    counts = queries.respondent_counts(query)
    sums = pd.concat(
        [counts.assign(indicator_id=aggregation.RESPONDENTS, total=0.0, positive=0), queries.score_sums(query)],
        ignore_index=True,
    )
    lines = [aggregation.RESPONDENTS, *(indicator.pk for indicator in query.indicators)]
    table = aggregation.cells(
        sums, lines=lines, breakdown=query.breakdown, filter_stored=filter_stored, filtered=query.filter is not None
    )
    table = aggregation.with_figures(suppress(table, k=query.k))
    if query.filter is not None:
        # A filter that the form would not offer (too few inside, or outside, or hidden in its own
        # breakdown) shows nothing at all, whatever the URL asks.
        line = filter_line(counts, query.filter.dimension)
        reason = filter_reasons(line, query.k)[query.filter.dimension.code].get(query.filter.key)
        if reason is not None:
            table.loc[table["n"] > 0, ["hidden", "reason"]] = [True, reason]
    everyone = table[(table["line"] == aggregation.RESPONDENTS) & (table["group"] == ALL)]
    if everyone["hidden"].any():
        table.loc[table["n"] > 0, ["hidden", "reason"]] = [True, everyone["reason"].iloc[0]]
    return table


# What a frozen result keeps of a cell: a hidden cell keeps only its reason (see ``frozen_records``).
FROZEN_COLUMNS = ["line", "group", "n", "hidden", "reason", "mean", "share_positive"]


def frozen_records(table: pd.DataFrame) -> list[dict]:
    """The suppressed ``table`` as JSON data to freeze: the figures of hidden cells are left out,
    so the frozen result holds nothing below k."""
    records = []
    for row in table.itertuples():
        figures = (None, None, None) if row.hidden else (int(row.n), _number(row.mean), _number(row.share_positive))
        records.append(dict(zip(FROZEN_COLUMNS, (row.line, row.group, figures[0], bool(row.hidden), row.reason,
                                                  figures[1], figures[2]), strict=True)))  # fmt: skip
    return records


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _frozen_cells(query: ReportQuery) -> pd.DataFrame:
    """The cells of a survey whose raw answers retention deleted, from its frozen results. They
    were suppressed when frozen; a minimum group size raised since then hides every figure, since
    the hidden cells needed to suppress again are gone."""
    if query.filter is not None:
        raise BadReportQuery(_("The raw answers of this survey were deleted: its results can no longer be filtered."))
    snapshot = frozen_result(query.survey, query.breakdown.code if query.breakdown else "")
    if snapshot is None:
        raise BadReportQuery(_("This breakdown was not kept when the raw answers of this survey were deleted."))
    frozen = pd.DataFrame.from_records(snapshot.cells, columns=FROZEN_COLUMNS)
    lines = [aggregation.RESPONDENTS, *(indicator.pk for indicator in query.indicators)]
    every = pd.DataFrame(
        [(line, group) for line in lines for group in aggregation.group_keys(query.breakdown)],
        columns=["line", "group"],
    )
    # Every cell the view needs, in its order; one the frozen result lacks is empty.
    table = every.merge(frozen, on=["line", "group"], how="left")
    table = table.astype({"n": float, "mean": float, "share_positive": float})
    table["hidden"] = table["hidden"].astype("boolean").fillna(False).astype(bool)
    table["reason"] = table["reason"].astype(object).where(table["hidden"], None)
    table.loc[table["n"].isna() & ~table["hidden"], "n"] = 0
    if query.k > snapshot.k:
        table.loc[table["n"].isna() | (table["n"] > 0), ["hidden", "reason"]] = [True, Reason.FROZEN]
    return table


def frozen_result(survey: Survey, breakdown: str = "") -> ResultSnapshot | None:
    return ResultSnapshot.objects.filter(survey=survey, breakdown=breakdown).first()


def response_counts(survey: Survey) -> pd.DataFrame:
    """Started and completed responses per channel and language (``queries.response_counts``), or
    as they were frozen when retention deleted the responses."""
    if survey.raw_deleted_at is None:
        return queries.response_counts(survey)
    snapshot = frozen_result(survey)
    return pd.DataFrame.from_records(snapshot.counts if snapshot else [], columns=queries.RESPONSE_COUNT_COLUMNS)


def filter_line(counts: pd.DataFrame, dimension: Dimension) -> pd.DataFrame:
    """Respondents per category of ``dimension`` as one line (named after the dimension), from
    counts per stored value (columns ``filter_value`` and ``n``; other columns are summed over)."""
    by_value: dict[object, int] = {}
    for value, n in zip(counts["filter_value"], counts["n"], strict=True):
        key = None if value is None or (isinstance(value, float) and np.isnan(value)) else value
        by_value[key] = by_value.get(key, 0) + int(n)
    return aggregation.dimension_line(dimension, by_value)


def filter_reasons(lines: pd.DataFrame, k: int) -> dict[str, dict[str, str | None]]:
    """Per line (a dimension) and category: why a filter may not select it, or None when it may.
    It must be shown in the breakdown by the same question (so no combination of filters gives a
    hidden one away) and have at least k people inside and outside. One suppression for all lines."""
    shown = suppress(lines, k=k)
    totals = {row.line: row.n for row in shown.itertuples() if row.group == ALL}
    reasons: dict[str, dict[str, str | None]] = {line: {} for line in totals}
    for row in shown.itertuples():
        if row.group in (ALL, NO_ANSWER):
            continue
        if row.hidden:
            reason = row.reason
        elif row.n < k:
            reason = Reason.FEW
        elif totals[row.line] - row.n < k:
            reason = Reason.OUTSIDE
        else:
            reason = None
        reasons[row.line][row.group] = reason
    return reasons


def offered_keys(line: pd.DataFrame, k: int) -> list[str]:
    """The categories a filter may select in one dimension's line (see ``filter_reasons``)."""
    return [key for reasons in filter_reasons(line, k).values() for key, reason in reasons.items() if reason is None]


def filter_choices(query: ReportQuery, completed: pd.DataFrame) -> list[tuple[Dimension, list[str]]]:
    """For the filter form: every dimension with the categories it may offer. One query, and the
    survey's ``queries.response_counts`` (the dashboard shows those too)."""
    dimensions, k = query.dimensions, query.k
    if query.survey.raw_deleted_at is not None:
        return [(dimension, []) for dimension in dimensions]  # a frozen result cannot be filtered
    options = queries.option_counts(query.survey, [d.question_id for d in dimensions if not d.is_channel])
    total = int(completed["completed"].sum()) if len(completed) else 0
    per_question: dict[int, dict[object, int]] = {}
    for question_id, choice, n in options.itertuples(index=False, name=None):
        per_question.setdefault(question_id, {})[choice] = int(n)
    per_channel: dict[object, int] = {}
    for channel_id, completed_n in zip(completed["channel_id"], completed["completed"], strict=True):
        key = None if pd.isna(channel_id) else int(channel_id)
        per_channel[key] = per_channel.get(key, 0) + int(completed_n)
    choices = []
    for dimension in dimensions:
        by_value = per_channel if dimension.is_channel else dict(per_question.get(dimension.question_id, {}))
        if not dimension.is_channel:
            by_value[None] = total - sum(by_value.values())
        choices.append((dimension, offered_keys(aggregation.dimension_line(dimension, by_value), k)))
    return choices


def _cells(frame: pd.DataFrame, compare: pd.DataFrame | None) -> dict[tuple[object, str], Cell]:
    before = {}
    if compare is not None:
        shown = compare[~compare["hidden"]]
        before = {(row.line, row.group): row.mean for row in shown.itertuples()}
    cells = {}
    for row in frame.itertuples():
        if row.hidden:
            cells[(row.line, row.group)] = Cell(n=None, reason=row.reason)
            continue
        if row.line == aggregation.RESPONDENTS:
            cells[(row.line, row.group)] = Cell(n=int(row.n))
            continue
        mean = None if np.isnan(row.mean) else float(row.mean)
        previous = before.get((row.line, row.group))
        change = mean - previous if mean is not None and previous is not None and not np.isnan(previous) else None
        share = None if np.isnan(row.share_positive) else float(row.share_positive)
        cells[(row.line, row.group)] = Cell(n=int(row.n), mean=mean, share_positive=share, change=change)
    return cells


def _domains(query: ReportQuery, cells: dict, groups: tuple[Group, ...]) -> tuple:
    """Domain scores per group, for the domains whose indicators in the survey are all in view."""
    in_survey = defaultdict(set)
    for indicator_id, domain_id in query.survey.indicators.values_list("pk", "domain_id"):
        in_survey[domain_id].add(indicator_id)
    shown = defaultdict(list)
    for indicator in query.indicators:
        shown[indicator.domain_id].append(indicator.pk)
    result = []
    for domain in Domain.objects.filter(pk__in=list(shown)).order_by("position"):
        if set(shown[domain.pk]) != in_survey[domain.pk]:
            continue
        means = {
            group.key: aggregation.domain_means(
                {i: cells[(i, group.key)].mean for i in shown[domain.pk]}, {domain.pk: shown[domain.pk]}
            )[domain.pk]
            for group in groups
        }
        result.append((domain, means))
    return tuple(result)


def changed_questions(survey: Survey, other: Survey) -> dict[int, tuple[str, ...]]:
    """Per indicator: the codes of questions that differ between the two waves, so a comparison
    is read with care: asked in one wave only, worded differently, or edited after publishing."""

    def texts(wave: Survey) -> dict[str, tuple[int | None, str, int]]:
        rows = (
            Question.objects.filter(survey=wave, hidden=False, section=Section.INDICATOR)
            .annotate(edit_count=Count("edits"))
            .values_list("code", "indicator_id", "text", "edit_count")
        )
        return {
            code: (indicator, (text or {}).get(wave.base_language, ""), edits) for code, indicator, text, edits in rows
        }

    now, before = texts(survey), texts(other)
    changed: dict[int, list[str]] = defaultdict(list)
    for code in sorted(set(now) | set(before)):
        a, b = now.get(code), before.get(code)
        if a is None or b is None or a[1] != b[1] or a[2] or b[2]:
            changed[(a or b)[0]].append(code)
    return {indicator: tuple(codes) for indicator, codes in changed.items()}


def response_table(query: ReportQuery, counts: pd.DataFrame) -> dict:
    """Responses started and completed per channel and per language (from ``queries.response_counts``);
    each adds up to the total. Channel names come from the query's channel dimension."""
    channels: dict[object, str] = {}
    for dimension in query.dimensions:
        if dimension.is_channel:
            channels = {stored: dimension.label_for(key) for stored, key in dimension.values}
    languages = dict(survey_language_choices())

    def table(column: str, name: Callable[[object], str]) -> list[dict]:
        if counts.empty:
            return []
        grouped = counts.groupby(column, dropna=False)[["started", "completed"]].sum().reset_index()
        rows = [
            {"name": name(row[column]), "started": int(row["started"]), "completed": int(row["completed"])}
            for _i, row in grouped.iterrows()
        ]
        return sorted(rows, key=lambda row: row["name"])

    no_channel = str(NO_CHANNEL_LABEL)
    return {
        "tables": [
            (_("Per channel"), table("channel_id", lambda pk: no_channel if pd.isna(pk) else channels[int(pk)])),
            (_("Per language"), table("language", lambda code: str(languages.get(code, code)))),
        ],
        "started": int(counts["started"].sum()) if len(counts) else 0,
        "completed": int(counts["completed"].sum()) if len(counts) else 0,
    }


@dataclass(frozen=True)
class Distribution:
    question: Question
    label: str
    total: int | None
    # (key, label, n, percent, colour) for the answers that may be shown; hidden ones are summed in ``hidden``.
    answers: tuple[tuple[str, str, int, float, str], ...]
    hidden: float | None
    reason: str | None


@dataclass(frozen=True)
class IndicatorDetails:
    distributions: tuple[Distribution, ...]
    # Written answers on this indicator's questions and to "Where are you now...", or None when
    # the group shown is below k (PRODUCT.md: open answers are never shown for smaller groups).
    quotes: QuerySet | None
    reason: str | None


def indicator_details(query: ReportQuery, indicator: Indicator, *, hidden_reason: str | None) -> IndicatorDetails:
    """The indicator page's distributions per question and its open answers. Three queries (four
    with a several-choices question). With ``hidden_reason`` the group shown is too small: every
    figure says so, and no open answer is shown."""
    questions = list(query.survey.visible_questions().filter(indicator=indicator))
    counted = [q for q in questions if q.is_scored or q.is_choice]
    language = get_language() if get_language() in query.survey.languages else query.survey.base_language
    filter_stored = query.filter.dimension.stored_for(query.filter.key) if query.filter else None
    counts = queries.answer_counts(query, counted)
    # "Does not apply" gets its column where the question offers it, or offered it before (anyone's
    # answers in the survey, not the filtered group's, decide).
    with_na = set(counts.loc[counts["not_applicable"].astype(bool), "question_id"])
    categories = {
        q.pk: _answer_categories(q, language, not_applicable=q.allow_not_applicable or q.pk in with_na) for q in counted
    }
    # Who answered a question at all: the sum of its answers, except where one person can choose
    # several options; only those need counting apart (distinct respondents).
    multiple = [q for q in counted if q.type == QuestionType.MULTIPLE]
    single = counts[~counts["question_id"].isin([q.pk for q in multiple])]
    answering = single.groupby(["question_id", "filter_value"], dropna=False)["n"].sum().reset_index()
    if multiple:
        answering = pd.concat([answering, queries.answering_counts(query, multiple)], ignore_index=True)
    table = aggregation.distribution_cells(
        counts,
        answering,
        categories={pk: [key for key, _label in values] for pk, values in categories.items()},
        filter_stored=filter_stored,
        filtered=query.filter is not None,
    )
    table = suppress(table, k=query.k)
    if hidden_reason is not None:
        table.loc[table["n"] > 0, ["hidden", "reason"]] = [True, hidden_reason]
    distributions = tuple(
        _distribution(q, language, table[table["line"] == q.pk], dict(categories[q.pk])) for q in counted
    )
    quotes = None
    if hidden_reason is None:
        texts = list(queries.quote_questions(query.survey, indicator.pk))
        quotes = queries.open_answers(query, texts).select_related("question")
    return IndicatorDetails(distributions, quotes, None)


DONT_KNOW_COLOUR = "#e4e4e4"
NOT_APPLICABLE_COLOUR = "#d6c9a4"
MISSING_KEYS = (aggregation.NOT_APPLICABLE_KEY, aggregation.DONT_KNOW_KEY)


def _answer_categories(question: Question, language: str, *, not_applicable: bool) -> list[tuple[str, str]]:
    if question.is_scored:
        values = [(str(value), label) for value, label in scale_points(question.type)]
    else:
        values = [(value, question.option_label(value, language) or value) for value in question.option_values()]
    if not_applicable and question.type != QuestionType.MULTIPLE:
        values.append((aggregation.NOT_APPLICABLE_KEY, str(NOT_APPLICABLE_LABEL)))
    return [*values, (aggregation.DONT_KNOW_KEY, str(DONT_KNOW_LABEL))]


def _distribution(question: Question, language: str, rows: pd.DataFrame, labels: dict[str, str]) -> Distribution:
    label = question.text_in(language) or question.text_in(question.survey.base_language)
    total = rows[rows["group"] == ALL].iloc[0]
    if total["hidden"] or total["n"] == 0:
        return Distribution(question, label, None, (), None, total["reason"])
    n = int(total["n"])
    answers = rows[(rows["group"] != ALL)]
    keys = [key for key in labels if key not in MISSING_KEYS]
    # A scale runs from negative to positive; the options of a choice question are just different.
    palette = charts.answer_colours(len(keys)) if question.is_scored else charts.option_colours(len(keys))
    colours = dict(zip(keys, palette, strict=True)) | {
        aggregation.DONT_KNOW_KEY: DONT_KNOW_COLOUR,
        aggregation.NOT_APPLICABLE_KEY: NOT_APPLICABLE_COLOUR,
    }
    shown = tuple(
        (row.group, labels[row.group], int(row.n), 100 * row.n / n, colours[row.group])
        for row in answers.itertuples()
        if not row.hidden
    )
    hidden_n = int(answers.loc[answers["hidden"], "n"].sum())
    return Distribution(question, label, n, shown, 100 * hidden_n / n if hidden_n else None, None)


def marked_answer_ids(survey: Survey, indicator: Indicator) -> set[int]:
    return set(ReportQuote.objects.filter(survey=survey, indicator=indicator).values_list("answer_id", flat=True))
