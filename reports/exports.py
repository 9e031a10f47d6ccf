"""Results and answers as files: CSV and XLSX, formula-safe.

The figures come from the one suppressed ``ReportResult`` (a hidden cell reads "too few responses",
never a number). The answers are one row per completed response, read in chunks so that any
number of responses streams (CSV) or is written (XLSX, by the worker) in constant memory. Nothing
in an answers row links it to a person: no token, no invitation, no time of day.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.result import ReportResult
from reports.suppression import ALL
from surveys.models import Answer, Question, Response, ResponseStatus, Survey
from surveys.respond import questionnaire_pages
from surveys.scales import DONT_KNOW_LABEL, NOT_APPLICABLE_LABEL, QuestionType

CHUNK = 2000
# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text that a spreadsheet would read as a formula, made plain text with a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Echo:
    """A file-like object whose write returns what it was given, for a streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[object]]) -> Iterator[str]:
    """CSV text, one line at a time, with every cell neutralised; starts with a byte-order mark so
    that Excel reads UTF-8 (Arabic, Tigrinya…) correctly."""
    writer = csv.writer(Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def xlsx_write(path_or_buffer: object, rows: Iterable[list[object]], *, on_row: Callable[[int], None] | None = None):
    """Write rows to one sheet in constant memory. Every text is a string cell, never a formula."""
    workbook = xlsxwriter.Workbook(
        path_or_buffer,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "in_memory": False},
    )
    sheet = workbook.add_worksheet()
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(number, column, value)
            else:
                sheet.write_number(number, column, value)
        if on_row is not None:
            on_row(number)
    workbook.close()


# The figures ------------------------------------------------------------------------------------


def figures_rows(result: ReportResult, *, exported_on: date | None = None) -> list[list[object]]:
    """The dashboard's current view as rows: a header block, then one row per group and indicator."""
    query = result.query
    survey = query.survey
    too_few = _("too few responses")
    rows: list[list[object]] = [
        [_("Municipality"), survey.municipality.name],
        [_("Survey"), survey.display_title],
        [_("Wave"), survey.wave_label],
        [_("Exported on"), (exported_on or timezone.localdate()).isoformat()],
        [_("Smallest group shown (k)"), result.k],
        [_("Respondents"), result.everyone.respondents.n if result.everyone.respondents.n is not None else too_few],
        [_("Filter"), query.filter.label if query.filter else _("none")],
        [_("Breakdown"), query.breakdown.label if query.breakdown else _("none")],
        [_("Compared with"), query.compare.wave_label if result.compared else _("none")],
        [],
        [
            _("Group"),
            _("Indicator code"),
            _("Indicator"),
            _("Respondents"),
            _("Average score (0-100)"),
            _("Good experience (%)"),
            _("Change in average score"),
            _("Reference, wider population (%)"),
            _("Gap (indicative, percentage points)"),
        ],
    ]
    for group in result.groups:
        for indicator in result.indicators:
            cell = result.cell(indicator, group.key)
            reference = result.references.get(indicator.pk)
            figures: list[object]
            if cell.suppressed:
                figures = [too_few, too_few, too_few, ""]
            else:
                figures = [cell.n, _rounded(cell.mean), _rounded(cell.share_positive), _rounded(cell.change)]
            rows.append(
                [
                    group.label,
                    indicator.code,
                    indicator.name,
                    *figures,
                    _rounded(reference.percent) if reference is not None else "",
                    _rounded(result.gap(indicator, group.key)) if group.key == ALL else "",
                ]
            )
    return rows


def _rounded(value: float | None) -> object:
    return "" if value is None else round(value, 1)


# The answers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerColumn:
    question: Question
    option: str | None  # a several-choices question has a column per option

    def header(self, language: str) -> str:
        text = self.question.text_in(language)
        if self.option is None:
            return f"{self.question.code}: {text}"
        return f"{self.question.code}={self.option}: {text} – {self.question.option_label(self.option, language)}"


def answer_columns(survey: Survey) -> list[AnswerColumn]:
    """The questions in questionnaire order (one numbering everywhere), several-choices spread out."""
    columns = []
    for page in questionnaire_pages(survey):
        for question in page.questions:
            if question.type == QuestionType.MULTIPLE:
                columns.extend(AnswerColumn(question, option) for option in question.option_values())
            else:
                columns.append(AnswerColumn(question, None))
    return columns


def completed_count(survey: Survey) -> int:
    return survey.responses.filter(status=ResponseStatus.COMPLETED).count()


def answer_rows(survey: Survey) -> Iterator[list[object]]:
    """The header, then one row per completed response, read CHUNK responses at a time."""
    language = survey.base_language
    columns = answer_columns(survey)
    position = {}
    for index, column in enumerate(columns):
        position[(column.question.pk, column.option)] = index
    multiple = {column.question.pk for column in columns if column.option is not None}
    questions = {column.question.pk: column.question for column in columns}
    channels = dict(survey.channels.values_list("pk", "name"))
    dont_know = str(DONT_KNOW_LABEL)
    not_applicable = str(NOT_APPLICABLE_LABEL)
    yield [_("Response"), _("Channel"), _("Language"), _("Completed on"), *(c.header(language) for c in columns)]
    responses = Response.objects.filter(survey=survey, status=ResponseStatus.COMPLETED).order_by("pk")
    number, last = 0, 0
    while True:
        chunk = list(responses.filter(pk__gt=last).values_list("pk", "channel_id", "language", "completed_at")[:CHUNK])
        if not chunk:
            return
        last = chunk[-1][0]
        rows = {pk: [""] * len(columns) for pk, *_rest in chunk}
        for response_id, question_id, number_value, choice, text, is_dk, is_na in (
            Answer.objects.filter(response_id__in=list(rows))
            .values_list("response_id", "question_id", "number", "choice", "text", "dont_know", "not_applicable")
            .iterator(chunk_size=CHUNK * 10)
        ):
            question = questions.get(question_id)
            if question is None:
                continue  # a removed (hidden) question
            row = rows[response_id]
            if question_id in multiple:
                for option in question.option_values():
                    index = position[(question_id, option)]
                    row[index] = 1 if option == choice or row[index] == 1 else 0
                continue
            index = position[(question_id, None)]
            if is_dk:
                row[index] = dont_know
            elif is_na:
                row[index] = not_applicable
            elif question.type == QuestionType.SINGLE:
                row[index] = question.option_label(choice, language) or choice
            elif number_value is not None:
                row[index] = int(number_value)
            else:
                row[index] = text
        for pk, channel_id, response_language, completed_at in chunk:
            number += 1
            when = timezone.localdate(completed_at).isoformat() if completed_at else ""
            yield [number, channels.get(channel_id, ""), response_language, when, *rows[pk]]
