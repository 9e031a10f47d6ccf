"""'This does not apply to me' in the results: its own category in the distributions and the
answers export, apart from "don't know"; missing in the scores; small counts hidden like any other."""

from __future__ import annotations

import csv
import io
import secrets

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from indicators.models import Indicator
from integration_mapping.testing import World, question
from reports import queries
from reports.build import DONT_KNOW_COLOUR, NOT_APPLICABLE_COLOUR, Distribution, indicator_details
from reports.params import ReportQuery
from surveys import services
from surveys.models import Question, Survey
from surveys.scales import DONT_KNOW, NOT_APPLICABLE

LABEL = "This does not apply to me"
DONT_KNOW_LABEL = "I don't know / I'd rather not say"
FITS = "My work fits what I can do."


@pytest.fixture
def survey(world: World) -> Survey:
    """The world's survey (k = 10), where "my work fits" and the age question offer "does not apply"."""
    world.survey.questions.filter(text__en__in=[FITS, "How old are you?"]).update(allow_not_applicable=True)
    services.publish(survey=world.survey)
    return world.survey


def respond(survey: Survey, count: int, *, fits: object, age: object = "18-35") -> None:
    has_work, alone = question(survey, "Do you have paid work?"), question(survey, "I often feel alone.")
    values = {has_work: "yes", question(survey, FITS): fits, alone: 2, question(survey, "How old are you?"): age}
    for _ in range(count):
        response = services.start_response(survey=survey, language="nl", start_key=secrets.token_urlsafe(24))
        services.save_answers(response=response, answers=values)
        services.submit_response(response=response, asked={q.pk for q in values})


def distribution(survey: Survey, text_en: str) -> Distribution:
    query = ReportQuery(survey, (Indicator.objects.get(code="work"),))
    with translation.override("en"):
        details = indicator_details(query, query.indicators[0], hidden_reason=None)
    return next(d for d in details.distributions if d.question.text_in("en") == text_en)


def shown(result: Distribution) -> dict[str, tuple[str, int]]:
    return {key: (label, n) for key, label, n, _percent, _colour in result.answers}


def client_for(world: World, user: object) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def url(name: str, survey: Survey, **extra: str) -> str:
    return reverse(name, kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id, **extra})


def test_the_distribution_counts_does_not_apply_apart_from_dont_know(survey: Survey, world: World) -> None:
    respond(survey, 12, fits=4)
    respond(survey, 10, fits=NOT_APPLICABLE)
    respond(survey, 11, fits=DONT_KNOW)
    result = distribution(survey, FITS)
    assert result.total == 33
    cells = shown(result)
    assert cells["4"] == ("True", 12)
    assert cells["na"] == (LABEL, 10)
    assert cells["dk"] == (DONT_KNOW_LABEL, 11)
    # After the scale, before "don't know", in a colour of its own.
    assert list(cells)[-2:] == ["na", "dk"]
    colours = {key: colour for key, _label, _n, _percent, colour in result.answers}
    assert colours["na"] == NOT_APPLICABLE_COLOUR != DONT_KNOW_COLOUR == colours["dk"]
    # The indicator page says it too.
    page = client_for(world, world.a_viewer).get(url("results_indicator", survey, code="work")).content.decode()
    assert LABEL in page


def test_a_question_without_it_has_no_such_column(survey: Survey) -> None:
    respond(survey, 12, fits=4)
    assert "na" not in shown(distribution(survey, "Do you have paid work?"))


def test_a_small_does_not_apply_group_is_hidden_like_any_other_answer(survey: Survey) -> None:
    respond(survey, 12, fits=4)
    respond(survey, 3, fits=NOT_APPLICABLE)
    respond(survey, 10, fits=DONT_KNOW)
    result = distribution(survey, FITS)
    assert result.total == 25
    # 3 is below k; "don't know" (10), the next smallest, is hidden with it so 3 cannot be worked out.
    assert set(shown(result)) == {"1", "2", "3", "4", "5"}
    assert result.hidden == pytest.approx(100 * 13 / 25)


def test_does_not_apply_is_missing_in_the_scores(survey: Survey, world: World) -> None:
    respond(survey, 12, fits=4)
    respond(survey, 10, fits=NOT_APPLICABLE)
    data = client_for(world, world.a_viewer).get(url("results_json", survey)).json()
    everyone = next(group for group in data["groups"] if group["key"] == "all")
    work = next(cell for cell in everyone["indicators"] if cell["code"] == "work")
    assert (work["n"], work["mean"]) == (12, 75.0)


def test_does_not_apply_chooses_no_option_of_a_background_question(survey: Survey) -> None:
    respond(survey, 12, fits=4, age="18-35")
    respond(survey, 10, fits=4, age=NOT_APPLICABLE)
    age: Question = question(survey, "How old are you?")
    counts = queries.option_counts(survey, [age.pk])
    assert list(counts.itertuples(index=False, name=None)) == [(age.pk, "18-35", 12)]


def test_the_answers_export_writes_the_label(survey: Survey, world: World) -> None:
    respond(survey, 2, fits=NOT_APPLICABLE)
    respond(survey, 1, fits=DONT_KNOW)
    respond(survey, 1, fits=4, age=NOT_APPLICABLE)
    response = client_for(world, world.a_editor).get(url("answers_csv", survey))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    fits, age = question(survey, FITS), question(survey, "How old are you?")
    fits_column = next(i for i, name in enumerate(header) if name.startswith(f"{fits.code}:"))
    age_column = next(i for i, name in enumerate(header) if name.startswith(f"{age.code}:"))
    assert [row[fits_column] for row in body] == [LABEL, LABEL, DONT_KNOW_LABEL, "4"]
    assert [row[age_column] for row in body] == ["18 tot 35", "18 tot 35", "18 tot 35", LABEL]
