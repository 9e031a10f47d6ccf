"""The paper questionnaire: the screen's questions, in the screen's order and numbering, on A4.

Everything comes from the questionnaire itself (surveys.respond): the numbers, the words of every
choice (scale labels, "don't know", "does not apply") and when a question is asked. So a newcomer's
paper, the officer who reads it out and the interview screen the answers are entered on all agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django import forms
from django.utils import translation

from integration_mapping.languages import SURVEY_LANGUAGES
from surveys.models import Question, Survey, texts_in
from surveys.respond import build_field, number_questions, questionnaire_pages
from surveys.scales import SCALE_10_ENDS, QuestionType, scale_points

# Writing lines for an open answer: a few words, or a few sentences.
LINES = {QuestionType.SHORT_TEXT: 2, QuestionType.LONG_TEXT: 6}
# Boxes for a number when the question sets no limits: enough for an age or a count of years.
NUMBER_BOXES = 3


class Way(StrEnum):
    """How a question is answered on paper."""

    TICK_ONE = "one"
    TICK_MANY = "many"
    SCALE = "scale"  # 0-10: eleven boxes in a row
    NUMBER = "number"
    WRITE = "write"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Condition:
    """When a question is asked: its skip instruction, in words."""

    number: int  # the earlier question it depends on
    answers: str  # that question's answers that lead here, "Yes / Sometimes"


@dataclass(frozen=True)
class PaperQuestion:
    number: int
    text: str
    help: str
    way: Way
    # The question's own answers, then those set apart below them as on screen ("don't know",
    # "does not apply"): both straight from the screen's form field.
    choices: tuple[Choice, ...] = ()
    apart: tuple[Choice, ...] = ()
    lowest: int | None = None
    highest: int | None = None
    digits: int = 0
    lines: int = 0
    condition: Condition | None = None

    @property
    def boxes(self) -> tuple[Choice, ...]:
        """Every choice that gets a tick box."""
        return self.choices + self.apart

    @property
    def digit_boxes(self) -> range:
        return range(self.digits)

    @property
    def writing_lines(self) -> range:
        return range(self.lines)


@dataclass(frozen=True)
class PaperPage:
    title: str
    questions: tuple[PaperQuestion, ...]


@dataclass(frozen=True)
class Paper:
    language: str
    rtl: bool
    title: str
    municipality: str
    wave: str
    introduction: str
    consent: str
    scale_ends: tuple[str, str]
    pages: tuple[PaperPage, ...]

    @property
    def questions(self) -> list[PaperQuestion]:
        return [question for page in self.pages for question in page.questions]


def build_paper(survey: Survey, language: str) -> Paper:
    """The whole questionnaire in ``language``, numbered as on screen (``Survey.numbered_questions``)."""
    pages = questionnaire_pages(survey)
    number_questions(pages)
    made: dict[int, PaperQuestion] = {}
    paper_pages = []
    # Scale labels and "don't know" are product texts: translated when the choices are made.
    with translation.override(language):
        for page in pages:
            for question in page.questions:
                made[question.pk] = paper_question(question, language, earlier=made)
            paper_pages.append(PaperPage(page.title(language), tuple(made[question.pk] for question in page.questions)))
        scale_ends = (str(SCALE_10_ENDS[0]), str(SCALE_10_ENDS[1]))
    return Paper(
        language=language,
        rtl=SURVEY_LANGUAGES[language][1],
        title=survey.title_in(language),
        municipality=survey.municipality.name_in(language),
        wave=survey.wave_label_in(language),
        introduction=texts_in(survey.introduction, language),
        consent=texts_in(survey.consent, language),
        scale_ends=scale_ends,
        pages=tuple(paper_pages),
    )


def paper_question(question: Question, language: str, *, earlier: dict[int, PaperQuestion]) -> PaperQuestion:
    """One numbered question (``question.number`` set) on paper; ``earlier`` holds the questions
    before it, by id, to word its condition."""
    field = build_field(question, language)
    common = {
        "number": question.number,
        "text": str(field.label),
        "help": str(field.help_text or ""),
        "condition": _condition(question, earlier),
    }
    if isinstance(field, forms.ChoiceField):  # a MultipleChoiceField is one too
        own = set(question.option_values()) | {str(value) for value, _label in scale_points(question.type)}
        choices = [Choice(str(value), str(label)) for value, label in field.choices]
        if question.type == QuestionType.MULTIPLE:
            way = Way.TICK_MANY
        elif question.type == QuestionType.SCALE_10:
            way = Way.SCALE
        else:
            way = Way.TICK_ONE
        return PaperQuestion(
            way=way,
            choices=tuple(choice for choice in choices if choice.value in own),
            apart=tuple(choice for choice in choices if choice.value not in own),
            **common,
        )
    if isinstance(field, forms.IntegerField):
        return PaperQuestion(
            way=Way.NUMBER,
            lowest=question.min_value,
            highest=question.max_value,
            digits=_digits(question.min_value, question.max_value),
            **common,
        )
    return PaperQuestion(way=Way.WRITE, lines=LINES.get(question.type, LINES[QuestionType.SHORT_TEXT]), **common)


def _condition(question: Question, earlier: dict[int, PaperQuestion]) -> Condition | None:
    if question.condition_question_id is None:
        return None
    depends_on = earlier.get(question.condition_question_id)
    if depends_on is None:
        # The question it depends on is not in the questionnaire (removed with its indicator
        # page), so no number can be named; the screen never asks this question either.
        return None
    wanted = set(question.condition_values)
    # The answers in the order the earlier question shows them, in the words of its boxes.
    answers = [choice.label for choice in depends_on.choices if choice.value in wanted]
    return Condition(number=depends_on.number, answers=" / ".join(answers))


def _digits(lowest: int | None, highest: int | None) -> int:
    """Boxes enough for every allowed number (one more for a minus sign)."""
    limits = [limit for limit in (lowest, highest) if limit is not None]
    if not limits:
        return NUMBER_BOXES
    return max(len(str(abs(limit))) for limit in limits) + (1 if min(limits) < 0 else 0)


def paper_languages(survey: Survey) -> list[dict]:
    """The survey's languages for links to their paper: code, name in its own script, right-to-left."""
    return [
        {"code": code, "name": SURVEY_LANGUAGES[code][0], "rtl": SURVEY_LANGUAGES[code][1]}
        for code in survey.languages
        if code in SURVEY_LANGUAGES
    ]
