"""The newcomer's questionnaire: its pages and the form of each page.

The officer's preview renders exactly these pages, so what an officer checks is what a newcomer gets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from integration_mapping.languages import SURVEY_LANGUAGES
from surveys.models import BankQuestion, Question, Response, Survey, texts_in
from surveys.scales import (
    DONT_KNOW,
    DONT_KNOW_LABEL,
    DONT_KNOW_VALUE,
    NOT_APPLICABLE,
    NOT_APPLICABLE_LABEL,
    NOT_APPLICABLE_VALUE,
    SCALE_10_ENDS,
    QuestionType,
    Section,
    scale_points,
)

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 3000
# A number answer to a question without the officer's bounds stays within these: a much longer one
# does not fit the stored float (a server error), and no count a newcomer is asked for comes near.
NUMBER_LIMIT = 999_999_999


@dataclass
class Page:
    """One page of the questionnaire: an indicator's questions, the background or the open questions."""

    section: str
    indicator: Indicator | None
    questions: list[Question] = field(default_factory=list)
    # Only the builder fills this: the bank's questions an officer can still add to the page.
    bank: list[BankQuestion] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.indicator.code if self.indicator else self.section

    def title(self, language: str) -> str:
        with translation.override(language):
            if self.indicator is not None:
                return self.indicator.name if language in ("nl", "en") else str(INDICATOR_TITLES[self.indicator.code])
            return str(SECTION_TITLES[self.section])


SECTION_TITLES = {Section.BACKGROUND: _("About you"), Section.OPEN: _("In your own words")}
# Indicator names for newcomers in every survey language (the data holds Dutch and English only).
INDICATOR_TITLES = {
    "work": _("Work"),
    "housing": _("Housing"),
    "education": _("Education"),
    "health-and-social-care": _("Health and care"),
    "leisure": _("Free time"),
    "bonds": _("Family and friends"),
    "bridges": _("Contact with other people"),
    "links": _("Organisations and services"),
    "language-and-communication": _("Language"),
    "culture": _("Culture"),
    "digital-skills": _("Internet and computers"),
    "safety": _("Safety"),
    "stability": _("A stable life"),
    "rights-and-responsibilities": _("Rights and duties"),
}


def group_into_pages(indicators: Iterable[Indicator], questions: Iterable[Question], *, keep_empty: bool) -> list[Page]:
    """The questions on their pages: one page per indicator, in the order given (around the circle),
    then background, then open. Without ``keep_empty`` only the pages that have questions.

    A question whose indicator is not among ``indicators`` is on no page. Each question's
    ``indicator`` is set to its page's, so ``questions`` need no join to fetch it.
    """
    pages = {(Section.INDICATOR, indicator.pk): Page(Section.INDICATOR, indicator) for indicator in indicators}
    pages[(Section.BACKGROUND, None)] = Page(Section.BACKGROUND, None)
    pages[(Section.OPEN, None)] = Page(Section.OPEN, None)
    for question in questions:
        page = pages.get((question.section, question.indicator_id if question.section == Section.INDICATOR else None))
        if page is None:
            continue
        if page.indicator is not None:
            question.indicator = page.indicator
        page.questions.append(question)
    return [page for page in pages.values() if keep_empty or page.questions]


def number_questions(pages: Iterable[Page]) -> None:
    """Number the questions across the pages, from 1: the same numbers as ``Survey.numbered_questions``."""
    number = 0
    for page in pages:
        for question in page.questions:
            number += 1
            question.number = number


def questionnaire_pages(survey: Survey) -> list[Page]:
    """The pages that have questions, in order: indicators around the circle, background, open."""
    # Every page view and the final submit run this, so it builds as few objects as it can: the
    # questions' indicators come from the pages, not from a join that would make one per question.
    questions = survey.visible_questions().select_related(None)
    return group_into_pages(survey.indicators.order_by("number"), questions, keep_empty=False)


def field_name(question: Question) -> str:
    return f"q-{question.code}"


def _choices(question: Question, language: str) -> list[tuple[str, str]]:
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        choices = [(value, question.option_label(value, language)) for value in question.option_values()]
    else:
        choices = [(str(value), label) for value, label in scale_points(question.type)]
    if question.allow_not_applicable and question.type != QuestionType.MULTIPLE:
        choices.append((NOT_APPLICABLE_VALUE, str(NOT_APPLICABLE_LABEL)))
    if question.allow_dont_know and question.type != QuestionType.MULTIPLE:
        choices.append((DONT_KNOW_VALUE, str(DONT_KNOW_LABEL)))
    return choices


# Our own wording for every error a respondent can meet, so each is translated into every
# questionnaire language (Django's own messages do not exist in all of them).
ERRORS = {
    "required": _("Please answer this question."),
    "invalid_choice": _("Please choose one of the answers shown."),
    "invalid_list": _("Please choose one of the answers shown."),
    "invalid": _("Please write a whole number, for example 3."),
    "min_value": _("The number is too small. The smallest possible number is %(limit_value)s."),
    "max_value": _("The number is too large. The largest possible number is %(limit_value)s."),
    "max_length": _("Your answer is too long. Please use at most %(limit_value)d characters."),
}


def build_field(question: Question, language: str) -> forms.Field:
    label = question.text_in(language) or question.text_in(question.survey.base_language)
    options = {
        "label": label,
        "required": question.required,
        "help_text": texts_in(question.help, language),
        "error_messages": ERRORS,
    }
    if question.type in (QuestionType.MULTIPLE,):
        return forms.MultipleChoiceField(
            choices=_choices(question, language), widget=forms.CheckboxSelectMultiple, **options
        )
    if question.type == QuestionType.NUMBER:
        field = forms.IntegerField(min_value=question.min_value, max_value=question.max_value, **options)
        if question.min_value is None:
            field.validators.append(MinValueValidator(-NUMBER_LIMIT))
        if question.max_value is None:
            field.validators.append(MaxValueValidator(NUMBER_LIMIT))
        return field
    if question.type == QuestionType.SHORT_TEXT:
        return forms.CharField(max_length=SHORT_TEXT_MAX, **options)
    if question.type == QuestionType.LONG_TEXT:
        return forms.CharField(max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}), **options)
    return forms.ChoiceField(choices=_choices(question, language), widget=forms.RadioSelect, **options)


class PageForm(forms.Form):
    """The fields of one page, named after the questions' codes.

    Every field is optional while the form cleans: whether a question is asked (and so whether it
    is required) depends on answers, which are only known after cleaning. ``check`` does the rest.
    """

    def __init__(self, *args: object, questions: list[Question], language: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.language = language
        self.shown: set[int] = {question.pk for question in questions}
        for question in questions:
            field = build_field(question, language)
            field.show_required = field.required
            field.required = False
            self.fields[field_name(question)] = field

    def items(self) -> list[tuple[Question, forms.BoundField]]:
        return [(question, self[field_name(question)]) for question in self.questions]

    def values(self) -> dict[Question, object]:
        """The cleaned answers of the fields without errors."""
        return {
            question: to_value(question, self.cleaned_data.get(field_name(question)))
            for question in self.questions
            if field_name(question) in self.cleaned_data
        }

    def check(self, *, asked: set[int], required: set[int]) -> dict[Question, object]:
        """Keep the errors of asked questions only, add "please answer" to the ``required`` ones
        left empty, and return the values to store: None for questions not asked."""
        values = self.values()
        for question in self.questions:
            name = field_name(question)
            if question.pk not in asked:
                self.errors.pop(name, None)
                values[question] = None
            elif (
                question.pk in required
                and question.required
                and values.get(question) is None
                and name not in self.errors
            ):
                self.add_error(name, ERRORS["required"])
        return {question: value for question, value in values.items() if field_name(question) not in self.errors}


def language_context(survey: Survey, language: str) -> dict:
    name, rtl = SURVEY_LANGUAGES[language]
    return {
        "language": language,
        "language_name": name,
        "rtl": rtl,
        "languages": [(code, SURVEY_LANGUAGES[code][0]) for code in survey.languages],
        "scale_ends": [str(end) for end in SCALE_10_ENDS],
    }


def preview_context(survey: Survey, language: str) -> dict:
    """Every page of the questionnaire at once, unanswered, as the newcomer will see them."""
    pages = questionnaire_pages(survey)
    number_questions(pages)  # so the officer can find "question 9" of the translations page
    with translation.override(language):
        forms_by_page = [
            (page, page.title(language), PageForm(questions=page.questions, language=language)) for page in pages
        ]
        context = {
            "survey": survey,
            "pages": forms_by_page,
            "title": survey.title_in(language),
            "introduction": texts_in(survey.introduction, language),
            "preview": True,
            **language_context(survey, language),
        }
    return context


def to_value(question: Question, cleaned: object) -> object:
    """A page form's cleaned value as the value services.save_answers stores (None: no answer)."""
    if cleaned in (None, "", []):
        return None
    # Only the radio buttons offer these two: an open answer "na" is the text "na".
    if question.is_scored or question.type == QuestionType.SINGLE:
        if cleaned == DONT_KNOW_VALUE:
            return DONT_KNOW
        if cleaned == NOT_APPLICABLE_VALUE:
            return NOT_APPLICABLE
    if question.is_scored:
        return int(cleaned)
    return cleaned


FEW_QUESTIONS = 10


def stored_values(response: Response, questions: list[Question]) -> dict[int, object]:
    """The response's answers to ``questions`` so far, per question id, as values (see ``to_value``)."""
    by_id = {question.pk: question for question in questions}
    values: dict[int, object] = {}
    rows = response.answers.order_by("pk")
    if len(by_id) <= FEW_QUESTIONS:
        # Only a page's rows. For the whole questionnaire, a long IN list costs more than the few
        # rows it would leave out (answers to removed questions, skipped below).
        rows = rows.filter(question_id__in=by_id)
    # Plain tuples: this runs on every page and on the final submit, where model instances cost most.
    for question_id, dont_know, not_applicable, choice, number, text in rows.values_list(
        "question_id", "dont_know", "not_applicable", "choice", "number", "text"
    ):
        question = by_id.get(question_id)
        if question is None:
            continue
        if dont_know:
            values[question_id] = DONT_KNOW
        elif not_applicable:
            values[question_id] = NOT_APPLICABLE
        elif question.type == QuestionType.MULTIPLE:
            values.setdefault(question_id, []).append(choice)
        elif question.type == QuestionType.SINGLE:
            values[question_id] = choice
        elif question.is_scored or question.type == QuestionType.NUMBER:
            values[question_id] = int(number)
        else:
            values[question_id] = text
    return values


def asked_questions(questions: list[Question], values: dict[int, object]) -> list[Question]:
    """The questions that are asked, given the answers: a condition only looks at earlier questions,
    so one pass in questionnaire order decides (an unasked question has no answer)."""
    asked = []
    answered = {}
    for question in questions:
        if question.condition_holds(answered):
            asked.append(question)
            if question.pk in values:
                answered[question.pk] = values[question.pk]
    return asked


def initial_for(questions: list[Question], values: dict[int, object]) -> dict[str, object]:
    """Form initial data from stored values."""
    initial = {}
    for question in questions:
        if question.pk not in values:
            continue
        value = values[question.pk]
        if value is DONT_KNOW:
            value = DONT_KNOW_VALUE
        elif value is NOT_APPLICABLE:
            value = NOT_APPLICABLE_VALUE
        initial[field_name(question)] = value
    return initial


def display_value(question: Question, value: object, language: str) -> str:
    """An answer as the respondent reads it on the review page."""
    if value is DONT_KNOW:
        return str(DONT_KNOW_LABEL)
    if value is NOT_APPLICABLE:
        return str(NOT_APPLICABLE_LABEL)
    if question.type == QuestionType.MULTIPLE:
        return ", ".join(question.option_label(choice, language) for choice in value)
    if question.type == QuestionType.SINGLE:
        return question.option_label(value, language)
    if question.is_scored:
        return dict(scale_points(question.type)).get(value, str(value))
    return str(value)
