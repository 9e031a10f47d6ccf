"""Question types, and the words on every point of the fixed scales.

Scale labels are part of the product, translated in the catalogues into every newcomer language,
so an officer never has to translate "agree" again for each question.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class QuestionType(models.TextChoices):
    AGREEMENT = "agreement", _("5-point scale: agree or disagree")
    SATISFACTION = "satisfaction", _("5-point scale: satisfied or not")
    FREQUENCY = "frequency", _("5-point scale: how often")
    SCALE_10 = "scale10", _("scale from 0 to 10")
    SINGLE = "single", _("one choice")
    MULTIPLE = "multiple", _("several choices")
    NUMBER = "number", _("whole number")
    SHORT_TEXT = "short_text", _("short open answer")
    LONG_TEXT = "long_text", _("long open answer")


class Section(models.TextChoices):
    INDICATOR = "indicator", _("indicator question")
    BACKGROUND = "background", _("background question")
    OPEN = "open", _("open question")


FIVE_POINT = frozenset({QuestionType.AGREEMENT, QuestionType.SATISFACTION, QuestionType.FREQUENCY})
SCORED = FIVE_POINT | {QuestionType.SCALE_10}
CHOICE = frozenset({QuestionType.SINGLE, QuestionType.MULTIPLE})
TEXT = frozenset({QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT})

FIVE_POINT_LABELS = {
    QuestionType.AGREEMENT: [
        pgettext_lazy("agreement scale", "Not true at all"),
        pgettext_lazy("agreement scale", "Not true"),
        pgettext_lazy("agreement scale", "In between"),
        pgettext_lazy("agreement scale", "True"),
        pgettext_lazy("agreement scale", "Completely true"),
    ],
    QuestionType.SATISFACTION: [
        pgettext_lazy("satisfaction scale", "Very unhappy"),
        pgettext_lazy("satisfaction scale", "Unhappy"),
        pgettext_lazy("satisfaction scale", "In between"),
        pgettext_lazy("satisfaction scale", "Happy"),
        pgettext_lazy("satisfaction scale", "Very happy"),
    ],
    QuestionType.FREQUENCY: [
        pgettext_lazy("frequency scale", "Never"),
        pgettext_lazy("frequency scale", "Almost never"),
        pgettext_lazy("frequency scale", "Sometimes"),
        pgettext_lazy("frequency scale", "Often"),
        pgettext_lazy("frequency scale", "Always"),
    ],
}
SCALE_10_ENDS = (pgettext_lazy("0-10 scale", "0 = very bad"), pgettext_lazy("0-10 scale", "10 = very good"))
DONT_KNOW_LABEL = _("I don't know / I'd rather not say")
# The form value of that choice; option values never take it (see surveys.forms).
DONT_KNOW_VALUE = "dk"


class _DontKnow:
    """The stored meaning of "don't know / rather not say": an answer, but a missing value."""

    def __repr__(self) -> str:
        return "DONT_KNOW"


DONT_KNOW = _DontKnow()

NOT_APPLICABLE_LABEL = _("This does not apply to me")
# The form value of that choice; option values never take it either (see surveys.forms).
NOT_APPLICABLE_VALUE = "na"
# Values an officer's option can never take: they belong to the answers every question may offer.
RESERVED_VALUES = frozenset({DONT_KNOW_VALUE, NOT_APPLICABLE_VALUE})


class _NotApplicable:
    """The stored meaning of "this does not apply to me": an answer, but a missing value."""

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"


NOT_APPLICABLE = _NotApplicable()


def scale_points(question_type: str) -> list[tuple[int, str]]:
    """(value, label) for every point of a fixed scale, lowest first."""
    if question_type in FIVE_POINT:
        return [(value, str(label)) for value, label in enumerate(FIVE_POINT_LABELS[question_type], start=1)]
    if question_type == QuestionType.SCALE_10:
        return [(value, str(value)) for value in range(11)]
    return []
