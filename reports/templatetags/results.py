"""Small formatting helpers for the results pages."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reports.result import ReportResult
from reports.suppression import REASON_TEXTS, Reason

register = template.Library()

REASON_MARKS = {reason: str(number) for number, reason in enumerate(REASON_TEXTS, start=1)}


@register.filter
def signed(value: float | None) -> str:
    """A change or gap in points with its sign (a true minus sign for screen readers); a dash for none."""
    if value is None:
        return "–"
    rounded = round(value)
    if rounded > 0:
        return f"+{rounded}"
    if rounded < 0:
        return f"−{-rounded}"
    return "0"


@register.filter
def whole(value: float | None) -> str:
    return "–" if value is None else str(round(value))


@register.filter
def reason_mark(reason: str | None) -> str:
    return REASON_MARKS.get(reason, "")


@register.simple_tag
def reason_notes(result: ReportResult) -> list[tuple[str, str, str]]:
    """(reason, mark, text) for the footnotes under a table: "frozen" only for frozen results."""
    frozen = result.query.survey.raw_deleted_at is not None
    return [
        (reason, REASON_MARKS[reason], str(text) % {"k": result.k})
        for reason, text in REASON_TEXTS.items()
        if frozen or reason != Reason.FROZEN
    ]


@register.simple_tag
def too_few() -> str:
    return _("too few responses")


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key)


@register.filter
def reason_of(result: object, cell: object) -> str:
    return result.reason(cell)


@register.filter
def question_text(question: object, survey: object) -> str:
    """A question's text in the interface language when the survey has it, else its base language."""
    return question.text_in(get_language()) or question.text_in(survey.base_language)
