"""The questionnaire's structure, built once per version of a survey and kept in the process.

Every page view and the final submit need the same pages, questions and conditions. Building them
costs two queries and some fifty model instances; the newcomer's views get them from here instead.

The key is the survey's id and its ``updated_at``, which every respondent's request reads, so a newer
version is seen at once: ``surveys.services`` moves ``updated_at`` on in the same transaction as every
change to a survey's questions (``_touch_survey``), and saving the survey itself does (``auto_now``).
A structure is never older than its key: ``updated_at`` is read before the questions, so a structure
built while an edit commits can only be newer than the key it is kept under.

The survey is kept the same way (``response_with_survey``): a respondent's request reads the response
and, with it, only the survey's ``updated_at``; the survey's row is read once per version.

Kept in plain dicts rather than Django's cache: the cache pickles on every read, which would cost
about what the queries do, and the key already says which version is current, so processes need
not share anything. Writes that bypass the services (the Django admin, a shell) show after ``MAX_AGE``.
Everything kept here is shared between requests and threads: read only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F

from surveys.models import Question, Response, Survey
from surveys.respond import Page, questionnaire_pages

MAX_ENTRIES = 16  # survey versions kept per process; the oldest kept goes first
MAX_AGE = 600  # seconds
MAX_FRAGMENTS = 4000  # rendered pieces kept per version, 0.5 to 2.5 KB each; beyond, they are rendered each time


@dataclass(frozen=True)
class Structure:
    """The pages with their questions, in order. Shared between requests: read only."""

    pages: tuple[Page, ...]
    questions: tuple[Question, ...]
    # The questions some other question depends on: whether a question is asked needs only their answers.
    condition_sources: frozenset[int]
    # Whether the answers may be sent depends on these alone: the required questions, those that
    # may not be asked, and those they depend on. Every other question is asked and may be empty.
    deciding: tuple[Question, ...]
    # Rendered pieces that look the same to every respondent who sees them (surveys.respond_views).
    fragments: dict[tuple, str] = field(default_factory=dict, compare=False, repr=False)

    def needed_for(self, page: Page) -> list[Question]:
        """The questions whose stored answers show ``page``: its own and every condition's source."""
        wanted = {question.pk for question in page.questions} | self.condition_sources
        return [question for question in self.questions if question.pk in wanted]

    def fragment(self, key: tuple, render: Callable[[], str]) -> str:
        """What ``render`` makes for ``key``, rendered once for this version of the survey. The key
        must hold everything the piece shows besides the survey's questions."""
        found = self.fragments.get(key)
        if found is None:
            found = render()
            if len(self.fragments) < MAX_FRAGMENTS:
                self.fragments[key] = found
        return found


Key = tuple[int, datetime]
_structures: dict[Key, tuple[float, Structure]] = {}
_surveys: dict[Key, tuple[float, Survey]] = {}
_lock = threading.Lock()


def _kept(store: dict, key: Key) -> object | None:
    found = store.get(key)
    if found is not None and time.monotonic() - found[0] < MAX_AGE:
        return found[1]
    return None


def _keep(store: dict, key: Key, value: object) -> None:
    with _lock:
        store.pop(key, None)
        store[key] = (time.monotonic(), value)
        while len(store) > MAX_ENTRIES:
            del store[next(iter(store))]


def structure_for(survey: Survey) -> Structure:
    key = (survey.pk, survey.updated_at)
    structure = _kept(_structures, key)
    if structure is None:
        structure = build(survey)
        _keep(_structures, key, structure)
    return structure


def response_with_survey(response_id: int, survey_id: int) -> Response | None:
    """The response, with the survey as this process keeps it for the survey's current version.

    Its query reads the response and the survey's ``updated_at`` only; the survey's own row is read
    once per version.
    """
    responses = Response.objects.annotate(survey_version=F("survey__updated_at"))
    try:
        response = responses.get(pk=response_id, survey_id=survey_id)
    except Response.DoesNotExist:
        return None
    key = (survey_id, response.survey_version)
    survey = _kept(_surveys, key)
    if survey is None:
        survey = Survey.objects.filter(pk=survey_id).first()
        if survey is None:
            return None
        if survey.updated_at == response.survey_version:
            _keep(_surveys, key, survey)
    response.survey = survey
    return response


def build(survey: Survey) -> Structure:
    pages = questionnaire_pages(survey)
    questions = tuple(question for page in pages for question in page.questions)
    by_id = {question.pk: question for question in questions}
    for question in questions:
        if question.condition_question_id in by_id:
            # The page names the question it depends on (data-condition): without a query.
            question.condition_question = by_id[question.condition_question_id]
    sources = frozenset(question.condition_question_id for question in questions if question.condition_question_id)
    deciding = tuple(q for q in questions if q.required or q.condition_question_id or q.pk in sources)
    return Structure(pages=tuple(pages), questions=questions, condition_sources=sources, deciding=deciding)
