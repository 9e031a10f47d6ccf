"""Texts a survey takes from the product: the question bank's and the standard title, introduction
and consent text, in every newcomer language.

Only the Dutch texts were written and checked by native speakers. Every other language a survey
takes from here is marked "not checked by a native speaker" (``unchecked_languages`` on the
survey and on each question) until an officer confirms it or writes the text themselves. The
marks never stop a survey from being published: a survey in Tigrinya built from the bank can go
out without typing a word, and the officer sees which texts still want a native speaker's eye.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from surveys.models import BankQuestion, Question, Survey, texts_in

# The languages in which the bank and the standard texts are checked by native speakers.
CHECKED_LANGUAGES = frozenset({"nl"})

STANDARD_TEXTS = {
    "title": _("How is life in our municipality for you?"),
    "introduction": _(
        "This questionnaire is for people who are new in the Netherlands. We want to know how life in our "
        "municipality is for you. For example: work, housing, learning, health and contact with other people."
    ),
    "consent": _("The municipality only sees numbers about groups of people. Nobody sees who said what."),
}


def standard_text(field: str, language: str) -> str:
    with translation.override(language):
        return str(STANDARD_TEXTS[field])


def unchecked(languages: Iterable[str]) -> list[str]:
    return sorted(set(languages) - CHECKED_LANGUAGES)


def fill_standard_texts(survey: Survey, *, title: bool) -> None:
    """Give the survey the standard introduction and consent text (and, with ``title``, the
    standard title) in each of its languages that has none yet. Unsaved."""
    fields = ["introduction", "consent"] + (["title"] if title else [])
    filled = set()
    for field in fields:
        values = dict(getattr(survey, field) or {})
        for language in survey.languages:
            if not texts_in(values, language):
                values[language] = standard_text(field, language)
                filled.add(language)
        setattr(survey, field, values)
    survey.unchecked_languages = sorted(set(survey.unchecked_languages or []) | set(unchecked(filled)))


def uses_standard_title(survey: Survey) -> bool:
    return texts_in(survey.title, survey.base_language) == standard_text("title", survey.base_language)


def bank_texts_for(question: Question, bank_question: BankQuestion, languages: Iterable[str]) -> list[str]:
    """Copy the bank's texts into ``question`` in each of ``languages`` it has no text in yet
    (question, explanation and option labels). Unsaved; returns the languages filled."""
    filled = []
    for language in languages:
        if question.text_in(language) or not bank_question.text_in(language):
            continue
        question.text = {**question.text, language: bank_question.text[language]}
        if texts_in(bank_question.help, language):
            question.help = {**(question.help or {}), language: bank_question.help[language]}
        labels = {option["value"]: option.get("label", {}) for option in bank_question.options or []}
        question.options = [
            {**option, "label": {**option.get("label", {}), language: labels[option["value"]][language]}}
            if texts_in(labels.get(option["value"], {}), language)
            else option
            for option in question.options or []
        ]
        filled.append(language)
    question.unchecked_languages = sorted(set(question.unchecked_languages or []) | set(unchecked(filled)))
    return filled


def fill_languages(survey: Survey) -> list[Question]:
    """After languages were added to a survey: its bank questions and standard texts in them.
    Saves the survey; returns the questions that changed, for the caller to save."""
    fill_standard_texts(survey, title=uses_standard_title(survey))
    survey.save()
    changed = []
    for question in survey.questions.filter(bank_question__isnull=False).select_related("bank_question"):
        if bank_texts_for(question, question.bank_question, survey.languages):
            changed.append(question)
    return changed


def mark_checked(values: list[str], language: str) -> list[str]:
    return [code for code in values or [] if code != language]


def unchecked_texts(survey: Survey) -> dict[str, list[str]]:
    """For every survey language: the texts not yet checked by a native speaker, described for
    the officer ("question 3", "title, introduction and consent text")."""
    result: dict[str, list[str]] = {language: [] for language in survey.languages}
    for language in survey.unchecked_languages or []:
        if language in result:
            result[language].append(str(_("the standard title, introduction and consent text")))
    for number, question in enumerate(survey.numbered_questions(), start=1):
        for language in question.unchecked_languages or []:
            if language in result:
                result[language].append(f"{_('question')} {number}")
    return result
