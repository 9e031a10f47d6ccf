"""The questionnaire's POSTs under any input (hypothesis): never a server error, never a stored
value that is not valid for its question, and a final submit that completes a response once.

Each example is a new respondent (entry link, consent) on a survey with every question type, posting
the page's real field names and random ones with random values: any Unicode (right-to-left, emoji,
characters beyond the Basic Multilingual Plane), very long strings, numbers out of range, negative,
huge and fractional, the reserved "na" and "dk", option values of other questions, several values
for one-choice fields, nothing. Each example runs in a savepoint that is rolled back.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from indicators.models import Indicator
from integration_mapping.testing import World, bilingual
from surveys import services
from surveys.models import Answer, IndicatorScore, Question, Response, ResponseStatus
from surveys.respond import LONG_TEXT_MAX, SHORT_TEXT_MAX, asked_questions, field_name, stored_values
from surveys.scales import DONT_KNOW_VALUE, NOT_APPLICABLE_VALUE, QuestionType, Section, scale_points
from surveys.structure import structure_for

FORM = "application/x-www-form-urlencoded"
fuzz = settings(
    max_examples=60,
    deadline=None,
    database=None,  # nothing written into the working tree; a failure prints its example
    # The world is built once per test; every example runs in its own rolled-back savepoint.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def options(*values: str) -> list[dict]:
    return [{"value": value, "label": bilingual(value, value)} for value in values]


@pytest.fixture
def survey_world(world: World) -> World:
    """The test survey with every question type besides its own, opened for answers."""
    survey = world.survey
    work, bonds = Indicator.objects.get(code="work"), Indicator.objects.get(code="bonds")
    add = services.add_own_question
    add(
        survey=survey,
        section=Section.INDICATOR,
        indicator=work,
        type=QuestionType.SATISFACTION,
        text=bilingual("Tevreden met je werk?", "Happy with your work?"),
        allow_dont_know=False,
    )
    add(
        survey=survey,
        section=Section.INDICATOR,
        indicator=bonds,
        type=QuestionType.SCALE_10,
        text=bilingual("Hoe vaak zie je vrienden?", "How often do you see friends?"),
        allow_not_applicable=True,
    )
    add(
        survey=survey,
        section=Section.BACKGROUND,
        type=QuestionType.MULTIPLE,
        text=bilingual("Welke talen spreek je?", "Which languages do you speak?"),
        options=options("arabic", "dutch", "tigrinya"),
    )
    add(
        survey=survey,
        section=Section.BACKGROUND,
        type=QuestionType.NUMBER,
        text=bilingual("Hoeveel jaar ben je hier?", "How many years have you been here?"),
        min_value=0,
        max_value=80,
    )
    # Without bounds, as an officer may leave it.
    add(
        survey=survey,
        section=Section.BACKGROUND,
        type=QuestionType.NUMBER,
        text=bilingual("Met hoeveel mensen woon je?", "How many people do you live with?"),
    )
    add(
        survey=survey,
        section=Section.BACKGROUND,
        type=QuestionType.SHORT_TEXT,
        text=bilingual("Waar kom je vandaan?", "Where do you come from?"),
    )
    services.publish(survey=survey)
    return world


# Strategies.

ODD_VALUES = [
    "",
    " ",
    "na",
    "dk",
    "dont_know",
    DONT_KNOW_VALUE.upper(),
    NOT_APPLICABLE_VALUE + " ",
    "0",
    "-0",
    "1",
    "5",
    "6",
    "10",
    "11",
    "-1",
    "3.5",
    "1e3",
    "NaN",
    "inf",
    "-inf",
    "٣",  # ARABIC-INDIC DIGIT THREE
    "３",  # FULLWIDTH DIGIT THREE
    "1" * 5000,
    "مرحبا بالعالم",
    "שלום\u202eעולם",
    "👩🏽‍🏫🇳🇱",
    "𝕏𝔶𝔷",  # beyond the Basic Multilingual Plane: surrogate pairs in UTF-16
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "nul\x00",
]


def any_value(option_values: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(ODD_VALUES),
        st.sampled_from(option_values),
        # A NUL makes the whole POST a 400 (integration_mapping.middleware): rarely, or little else is tried.
        st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=50),
        st.integers(min_value=-(10**25), max_value=10**25).map(str),
        # Beyond what a float holds.
        st.integers(min_value=10**308, max_value=10**400).map(str),
        st.integers(min_value=10**308, max_value=10**400).map(lambda n: f"-{n}"),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.integers(min_value=SHORT_TEXT_MAX - 5, max_value=LONG_TEXT_MAX + 5).map(lambda n: "ж" * n),
    )


@st.composite
def page_post(draw: st.DrawFn, world: World, step: int | None = None) -> tuple[int, list[tuple[str, str]]]:
    """A step number (``step``, or any, also one that is no page) and the pairs of a POST to it."""
    structure = structure_for(world.survey)
    pages = structure.pages
    if step is None:
        step = draw(st.one_of(st.integers(1, len(pages)), st.sampled_from([0, len(pages) + 1, 10**6])))
    page = pages[step - 1] if 1 <= step <= len(pages) else pages[0]
    every_option = sorted({value for question in structure.questions for value in question.option_values()})
    values = any_value(every_option)
    pairs = []
    for question in page.questions:
        # None, one or more values: several choices, or a one-choice field sent twice.
        pairs += [(field_name(question), value) for value in draw(st.lists(values, max_size=2))]
    # The fields of other pages, and names no page has.
    others = st.sampled_from([field_name(question) for question in structure.questions])
    pairs += draw(st.lists(st.tuples(st.one_of(others, st.text(max_size=20)), values), max_size=4))
    codes = [question.code for question in page.questions]
    shown = draw(st.lists(st.one_of(st.sampled_from(codes), st.text(max_size=10)), max_size=len(codes) + 2))
    pairs += [("shown", code) for code in shown]
    action = draw(st.sampled_from(["next", "next", "back", "language:en", "language:xx", "language:", "jump"]))
    return step, [*pairs, ("action", action)]


def page_posts(world: World) -> st.SearchStrategy[list[tuple[int, list[tuple[str, str]]]]]:
    """Every page once, in order, as a respondent goes through them, then a few anywhere."""
    every_page = [page_post(world, step) for step in range(1, len(structure_for(world.survey).pages) + 1)]
    return st.tuples(*every_page, st.lists(page_post(world), max_size=3)).map(lambda t: [*t[:-1], *t[-1]])


# The respondent.


@contextmanager
def new_respondent(world: World) -> Iterator[tuple[Client, int]]:
    """A respondent who has opened the link and agreed, in a savepoint rolled back afterwards."""
    cache.clear()  # the throttles count per client address: every example starts afresh
    with transaction.atomic():
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        assert client.get(f"/s/{world.channel.token}/").status_code == 302
        key = secrets.token_urlsafe(24)
        assert client.post("/answer/", {"consent": "yes", "start_key": key}).status_code == 302
        yield client, client.session["respond"]["response"]
        transaction.set_rollback(True)


def post(client: Client, url: str, pairs: list[tuple[str, str]]):
    response = client.post(url, urlencode(pairs), content_type=FORM)
    # 400: a NUL character (integration_mapping.middleware); 422: answers with errors.
    assert response.status_code in (200, 302, 400, 422), (url, response.status_code)
    return response


# What a stored answer may be.


def problems(answer: Answer, question: Question) -> list[str]:
    """Why ``answer`` is not a valid answer to ``question`` (empty when it is)."""
    found = []
    if answer.survey_id != question.survey_id or answer.indicator_id != question.indicator_id:
        found.append("keys")
    if "\x00" in answer.text or "\x00" in answer.choice:
        found.append("NUL")
    if answer.dont_know or answer.not_applicable:
        allowed = question.allow_dont_know if answer.dont_know else question.allow_not_applicable
        offered = question.is_scored or question.type == QuestionType.SINGLE
        if (answer.dont_know and answer.not_applicable) or not (allowed and offered):
            found.append("reserved answer not offered")
        if (answer.number, answer.score, answer.choice, answer.text) != (None, None, "", ""):
            found.append("reserved answer with a value")
        return found
    if question.is_scored:
        points = {value for value, _label in scale_points(question.type)}
        if answer.number not in points or answer.score != question.score(int(answer.number)):
            found.append(f"scale point {answer.number!r} scored {answer.score!r}")
        if answer.choice or answer.text:
            found.append("scored answer with a choice or text")
    elif question.is_choice:
        if answer.choice not in question.option_values() or answer.number is not None or answer.text:
            found.append(f"choice {answer.choice!r}")
    elif question.type == QuestionType.NUMBER:
        number = answer.number
        low = question.min_value if question.min_value is not None else float("-inf")
        high = question.max_value if question.max_value is not None else float("inf")
        if number is None or not math.isfinite(number) or number != int(number) or not low <= number <= high:
            found.append(f"number {number!r}")
        if answer.choice or answer.text or answer.score is not None:
            found.append("number with a choice, text or score")
    else:
        limit = SHORT_TEXT_MAX if question.type == QuestionType.SHORT_TEXT else LONG_TEXT_MAX
        if not answer.text or len(answer.text) > limit or answer.number is not None or answer.choice:
            found.append(f"text of {len(answer.text)} characters")
    return found


def assert_stored_answers_are_valid(response_id: int) -> None:
    answers = list(Answer.objects.filter(response_id=response_id).select_related("question"))
    invalid = {answer.pk: problems(answer, answer.question) for answer in answers}
    assert not {pk: found for pk, found in invalid.items() if found}
    one_row = [answer.question_id for answer in answers if answer.question.type != QuestionType.MULTIPLE]
    assert len(one_row) == len(set(one_row)), "two answers to a question that takes one"


def snapshot(response_id: int) -> tuple:
    response = Response.objects.get(pk=response_id)
    answers = list(Answer.objects.filter(response_id=response_id).order_by("pk").values_list())
    scores = list(IndicatorScore.objects.filter(response_id=response_id).order_by("pk").values_list())
    return response.status, response.completed_at, answers, scores


# The properties.


@fuzz
@given(data=st.data())
def test_page_posts_never_fail_and_store_only_valid_answers(survey_world: World, data: st.DataObject) -> None:
    with new_respondent(survey_world) as (client, response_id):
        for step, pairs in data.draw(page_posts(survey_world)):
            post(client, f"/answer/{step}/", pairs)
        assert_stored_answers_are_valid(response_id)
        assert Response.objects.get(pk=response_id).status == ResponseStatus.IN_PROGRESS


@fuzz
@given(data=st.data())
def test_final_submit_completes_once_with_scores_from_0_to_100(survey_world: World, data: st.DataObject) -> None:
    structure = structure_for(survey_world.survey)
    required = [question for question in structure.questions if question.required]
    with new_respondent(survey_world) as (client, response_id):
        for step, pairs in data.draw(page_posts(survey_world)):
            post(client, f"/answer/{step}/", pairs)
        if data.draw(st.booleans()):
            # The required questions answered as a person would, so that most examples can be sent.
            for question in required:
                page = next(n for n, p in enumerate(structure.pages, 1) if question in p.questions)
                choice = data.draw(st.sampled_from(question.option_values()))
                post(client, f"/answer/{page}/", [(field_name(question), choice), ("action", "back")])
        # Fields the review does not read (a NUL among them is a 400 like on the pages, tried there).
        text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=10)
        stray = data.draw(st.lists(st.tuples(text, text), max_size=3))
        first = post(client, "/answer/check/", stray)
        after_first = snapshot(response_id)
        second = post(client, "/answer/check/", stray)  # a double tap
        assert_stored_answers_are_valid(response_id)
        response = Response.objects.get(pk=response_id)
        values = stored_values(response, list(structure.questions))
        asked = asked_questions(list(structure.questions), values)
        event(f"final submit: {first.status_code}")
        if first.status_code == 422:
            assert response.status == ResponseStatus.IN_PROGRESS
            assert any(question.required and values.get(question.pk) is None for question in asked)
            assert not IndicatorScore.objects.filter(response_id=response_id).exists()
            return
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"] == "/answer/thanks/"
        assert response.status == ResponseStatus.COMPLETED and response.completed_at is not None
        assert snapshot(response_id) == after_first, "the second submit changed something"
        # Nothing stored for a question that was not asked; the scores are the means of the answers'.
        asked_ids = {question.pk for question in asked}
        assert not Answer.objects.filter(response_id=response_id).exclude(question_id__in=asked_ids).exists()
        expected: dict[int, list[float]] = {}
        for indicator_id, score in Answer.objects.filter(
            response_id=response_id, score__isnull=False, indicator__isnull=False
        ).values_list("indicator_id", "score"):
            expected.setdefault(indicator_id, []).append(score)
        scores = dict(IndicatorScore.objects.filter(response_id=response_id).values_list("indicator_id", "score"))
        assert set(scores) == set(expected)
        for indicator_id, score in scores.items():
            assert 0 <= score <= 100
            assert score == pytest.approx(sum(expected[indicator_id]) / len(expected[indicator_id]))
        # A page posted after the submit stores nothing.
        post(client, "/answer/1/", [(field_name(required[0]), "no"), ("action", "next")])
        assert snapshot(response_id) == after_first


def test_a_number_beyond_what_is_stored_is_a_field_error_not_a_server_error(survey_world: World) -> None:
    """Found by the fuzz: a number question without bounds took 400 digits, which no float holds."""
    structure = structure_for(survey_world.survey)
    question = next(q for q in structure.questions if q.text_in("en") == "How many people do you live with?")
    step = next(n for n, page in enumerate(structure.pages, 1) if question in page.questions)
    with new_respondent(survey_world) as (client, response_id):
        for value, error in [("9" * 400, "too large"), ("-" + "9" * 400, "too small"), ("1000000000", "too large")]:
            page = post(client, f"/answer/{step}/", [(field_name(question), value), ("shown", question.code)])
            assert page.status_code == 422 and f"The number is {error}" in page.content.decode(), value
        assert not Answer.objects.filter(response_id=response_id).exists()
        seen = [("shown", other.code) for other in structure.pages[step - 1].questions]
        assert post(client, f"/answer/{step}/", [(field_name(question), "999999999"), *seen]).status_code == 302
        assert Answer.objects.get(response_id=response_id, question=question).number == 999_999_999


def test_bytes_that_are_not_utf8_are_not_a_server_error(survey_world: World) -> None:
    """A browser cannot send a lone surrogate; a hand-made request can send any bytes."""
    question = structure_for(survey_world.survey).pages[0].questions[0]
    with new_respondent(survey_world) as (client, response_id):
        body = f"{field_name(question)}=%ED%A0%80%FF&shown={question.code}&action=next"
        assert client.post("/answer/1/", body, content_type=FORM).status_code == 422
        assert not Answer.objects.filter(response_id=response_id).exists()


def test_the_checker_finds_invalid_answers(survey_world: World) -> None:
    """The properties above are only as good as ``problems``: it refuses what the rules refuse."""
    by_text = {question.text_in("en"): question for question in structure_for(survey_world.survey).questions}
    keys = {"survey_id": survey_world.survey.pk}

    def answer(question_text: str, **fields: object) -> tuple[Answer, Question]:
        question = by_text[question_text]
        return Answer(question=question, indicator_id=question.indicator_id, **keys, **fields), question

    valid = [
        answer("I often feel alone.", number=2, score=75.0),
        answer("Happy with your work?", number=5, score=100.0),
        answer("Do you have paid work?", choice="yes"),
        answer("Do you have paid work?", dont_know=True),
        answer("How often do you see friends?", not_applicable=True),
        answer("How many years have you been here?", number=80),
        answer("Where do you come from?", text="ж" * SHORT_TEXT_MAX),
    ]
    invalid = [
        answer("I often feel alone.", number=6, score=125.0),
        answer("I often feel alone.", number=2, score=25.0),  # the reverse scoring forgotten
        answer("How often do you see friends?", number=3.5, score=35.0),
        answer("Happy with your work?", dont_know=True),  # not offered on this question
        answer("Do you have paid work?", not_applicable=True),
        answer("Do you have paid work?", choice="18-35"),  # another question's option
        answer("Which languages do you speak?", dont_know=True),
        answer("How many years have you been here?", number=81),
        answer("How many years have you been here?", number=-1),
        answer("How many people do you live with?", number=float("inf")),
        answer("Where do you come from?", text="ж" * (SHORT_TEXT_MAX + 1)),
        answer("Where do you come from?", text="a\x00b"),
        answer("Where do you come from?", text=""),
    ]
    assert [problems(*pair) for pair in valid] == [[]] * len(valid)
    assert all(problems(*pair) for pair in invalid), [pair[0].__dict__ for pair in invalid if not problems(*pair)]
