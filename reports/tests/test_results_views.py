"""The municipality's results: dashboard, JSON, indicator pages and reference values.

Access per role, the JSON's shape and numbers, small-group suppression end to end, bad query
strings, a fixed number of queries, escaping of user text, references, quotes and comparisons.
"""

from __future__ import annotations

import html
import json
import re
import secrets
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator
from integration_mapping.testing import World, add_education_question, bilingual
from reports import services as report_services
from reports.build import indicator_details
from reports.charts import answer_colours, option_colours
from reports.models import ReferenceValue, ReportQuote
from reports.params import NO_ANSWER, ReportQuery
from surveys import services
from surveys.models import Answer, Channel, Question, Response, Survey
from surveys.scales import QuestionType, Section

TOO_FEW = "too few responses"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


@dataclass(frozen=True)
class Form:
    """A survey's questions, found by what they are rather than by their (editable) text."""

    has_work: Question
    fits: Question
    lonely: Question
    age: Question
    work_text: Question | None

    @classmethod
    def of(cls, survey: Survey) -> Form:
        questions = list(survey.visible_questions())

        def one(section: str, type_: str, indicator: str | None = None) -> Question | None:
            return next(
                (
                    q
                    for q in questions
                    if q.section == section
                    and q.type == type_
                    and (indicator is None or (q.indicator is not None and q.indicator.code == indicator))
                ),
                None,
            )

        return cls(
            has_work=one(Section.INDICATOR, QuestionType.SINGLE, "work"),
            fits=one(Section.INDICATOR, QuestionType.AGREEMENT, "work"),
            lonely=one(Section.INDICATOR, QuestionType.AGREEMENT, "bonds"),
            age=one(Section.BACKGROUND, QuestionType.SINGLE),
            work_text=one(Section.INDICATOR, QuestionType.LONG_TEXT, "work"),
        )


def respond(
    survey: Survey,
    count: int = 1,
    *,
    age: str | None = None,
    lonely: int | None = None,
    fits: int | None = None,
    text: str | None = None,
    channel: Channel | None = None,
    extra: dict | None = None,
) -> list[Response]:
    """``count`` completed respondents with the same answers, through the services.

    "I often feel alone" (Bonds, reverse scored: 1 -> 100, 2 -> 75, 3 -> 50, 5 -> 0); "My work
    fits what I can do" (Work, only for those with work: 1 -> 0, 4 -> 75, 5 -> 100)."""
    form = Form.of(survey)
    values: dict[Question, object] = {form.has_work: "no" if fits is None else "yes"}
    if fits is not None:
        values[form.fits] = fits
    if lonely is not None:
        values[form.lonely] = lonely
    if age is not None:
        values[form.age] = age
    if text is not None:
        values[form.work_text] = text
    values.update(extra or {})
    responses = []
    for _ in range(count):
        response = services.start_response(
            survey=survey, language="nl", start_key=secrets.token_urlsafe(24), channel=channel
        )
        services.save_answers(response=response, answers=values)
        services.submit_response(response=response, asked={question.pk for question in values})
        responses.append(response)
    return responses


def add_work_text_question(survey: Survey) -> Question:
    return services.add_own_question(
        survey=survey,
        section=Section.INDICATOR,
        indicator=Indicator.objects.get(code="work"),
        type=QuestionType.LONG_TEXT,
        text=bilingual("Wat zou je helpen bij werk?", "What would help you with work?"),
    )


@pytest.fixture
def survey(world: World) -> Survey:
    """The world's survey (Work and Bonds, k = 10) with an open question on Work, published."""
    add_work_text_question(world.survey)
    services.publish(survey=world.survey)
    return world.survey


def client_for(world: World, user: object) -> Client:
    """A client for ``user`` that reads the pages in English."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def url(name: str, survey: Survey, **extra: str) -> str:
    return reverse(name, kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id, **extra})


def results_json(client: Client, survey: Survey, **params: str) -> dict:
    response = client.get(url("results_json", survey), params)
    assert response.status_code == 200, response.content
    return response.json()


def group(data: dict, key: str) -> dict:
    return next(each for each in data["groups"] if each["key"] == key)


def figures(group_record: dict, code: str) -> dict:
    return next(each for each in group_record["indicators"] if each["code"] == code)


def table_row(page: str, code: str) -> str:
    return re.search(rf'<tr data-indicator="{code}">(.*?)</tr>', page, re.DOTALL).group(1)


def age_code(survey: Survey) -> str:
    return Form.of(survey).age.code


# --- 1. Access ---------------------------------------------------------------------------------

RESULT_PAGES = ["results", "results_json", "results_indicator", "results_references"]


def page_url(name: str, survey: Survey) -> str:
    return url(name, survey, code="work") if name == "results_indicator" else url(name, survey)


@pytest.mark.parametrize("name", RESULT_PAGES)
def test_anonymous_is_sent_to_login(survey: Survey, world: World, name: str) -> None:
    response = client_for(world, None).get(page_url(name, survey))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", RESULT_PAGES)
@pytest.mark.parametrize("outsider", ["b_admin", "nobody"])
def test_other_tenant_gets_404(survey: Survey, world: World, name: str, outsider: str) -> None:
    respond(survey, 12, lonely=1)
    assert client_for(world, getattr(world, outsider)).get(page_url(name, survey)).status_code == 404


def test_survey_of_another_municipality_is_404_under_its_own_slug(survey: Survey, world: World) -> None:
    client = client_for(world, world.b_admin)
    for name in RESULT_PAGES:
        kwargs = {"slug": world.b.slug, "public_id": survey.public_id}
        if name == "results_indicator":
            kwargs["code"] = "work"
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name


@pytest.mark.parametrize(
    ("name", "expected"),
    [("results", 200), ("results_json", 200), ("results_indicator", 200), ("results_references", 403)],
)
def test_viewer_sees_results_but_not_references(survey: Survey, world: World, name: str, expected: int) -> None:
    respond(survey, 12, lonely=1, fits=4)
    assert client_for(world, world.a_viewer).get(page_url(name, survey)).status_code == expected


@pytest.mark.parametrize("user", ["a_editor", "a_admin"])
def test_editor_and_administrator_open_references(survey: Survey, world: World, user: str) -> None:
    response = client_for(world, getattr(world, user)).get(url("results_references", survey))
    assert response.status_code == 200
    assert 'name="work-percent"' in response.content.decode()


def test_partner_cannot_open_references(survey: Survey, world: World) -> None:
    assert client_for(world, world.partner_user).get(url("results_references", survey)).status_code == 403


@pytest.fixture
def partner_survey(world: World) -> Survey:
    """The world's survey with P's indicator Education added (a scored question) before publishing."""
    add_education_question(world.survey)
    services.publish(survey=world.survey)
    return world.survey


def test_partner_sees_only_assigned_indicators_in_the_json(partner_survey: Survey, world: World) -> None:
    learn = next(q for q in partner_survey.visible_questions() if q.indicator and q.indicator.code == "education")
    respond(partner_survey, 12, lonely=1, fits=5, extra={learn: 4})
    data = results_json(client_for(world, world.partner_user), partner_survey)
    for each in data["groups"]:
        assert [indicator["code"] for indicator in each["indicators"]] == ["education"]
    assert figures(group(data, "all"), "education")["mean"] == 75.0
    # Staff see all three.
    staff = results_json(client_for(world, world.a_viewer), partner_survey)
    assert {indicator["code"] for indicator in group(staff, "all")["indicators"]} == {"work", "bonds", "education"}


def test_partner_dashboard_has_no_row_for_unassigned_indicators(partner_survey: Survey, world: World) -> None:
    respond(partner_survey, 12, lonely=1, fits=5)
    response = client_for(world, world.partner_user).get(url("results", partner_survey))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-indicator="education"' in page
    assert 'data-indicator="work"' not in page and 'data-indicator="bonds"' not in page
    staff = client_for(world, world.a_viewer).get(url("results", partner_survey)).content.decode()
    assert 'data-indicator="work"' in staff and 'data-indicator="bonds"' in staff


def test_partner_cannot_see_unassigned_indicator(partner_survey: Survey, world: World) -> None:
    client = client_for(world, world.partner_user)
    assert client.get(url("results_indicator", partner_survey, code="work")).status_code == 404
    assert client.get(url("results_indicator", partner_survey, code="bonds")).status_code == 404
    assert client.get(url("results_indicator", partner_survey, code="education")).status_code == 200


def test_indicator_not_in_the_survey_is_404(survey: Survey, world: World) -> None:
    client = client_for(world, world.a_admin)
    assert client.get(url("results_indicator", survey, code="education")).status_code == 404
    assert client.get(url("results_indicator", survey, code="no-such-indicator")).status_code == 404


def test_viewer_cannot_mark_a_quote(survey: Survey, world: World) -> None:
    (response,) = respond(survey, 1, lonely=1, fits=4, text="Een cursus Nederlands.")
    respond(survey, 11, lonely=1, fits=4)
    answer = response.answers.get(question=Form.of(survey).work_text)
    post = client_for(world, world.a_viewer).post(url("results_indicator", survey, code="work"), {"answer": answer.pk})
    assert post.status_code == 403
    assert not ReportQuote.objects.exists()


def test_partner_cannot_mark_a_quote(partner_survey: Survey, world: World) -> None:
    respond(partner_survey, 12, lonely=1)
    client = client_for(world, world.partner_user)
    assert client.post(url("results_indicator", partner_survey, code="education"), {"answer": "1"}).status_code == 403


# --- 2. The JSON -------------------------------------------------------------------------------


def twelve(survey: Survey) -> None:
    """Bonds: 6 x 100, 3 x 50, 3 x 0 -> mean 62.5, share positive 50%.
    Work: 4 x 100, 4 x 75, 4 x 25 -> mean 66.7, share positive 66.7%."""
    respond(survey, 4, lonely=1, fits=5)
    respond(survey, 2, lonely=1, fits=4)
    respond(survey, 2, lonely=3, fits=4)
    respond(survey, 1, lonely=3, fits=2)
    respond(survey, 3, lonely=5, fits=2)


def test_json_has_the_documented_shape_and_hand_computed_figures(survey: Survey, world: World) -> None:
    twelve(survey)
    data = results_json(client_for(world, world.a_viewer), survey)
    assert set(data) >= {"survey", "k", "groups"}
    assert data["survey"]["id"] == survey.public_id
    assert data["k"] == 10
    assert data["breakdown"] is None and data["filter"] is None and data["compare"] is None
    assert [each["key"] for each in data["groups"]] == ["all"]
    everyone = group(data, "all")
    assert set(everyone) == {"key", "label", "n", "suppressed", "indicators"}
    assert everyone["n"] == 12 and everyone["suppressed"] is False
    assert [each["code"] for each in everyone["indicators"]] == ["work", "bonds"]
    for each in everyone["indicators"]:
        assert set(each) == {"code", "n", "mean", "share_positive", "suppressed", "reference", "change"}
    assert figures(everyone, "bonds") == {
        "code": "bonds",
        "n": 12,
        "mean": 62.5,
        "share_positive": 50.0,
        "suppressed": False,
        "reference": None,
        "change": None,
    }
    assert figures(everyone, "work") == {
        "code": "work",
        "n": 12,
        "mean": 66.7,
        "share_positive": 66.7,
        "suppressed": False,
        "reference": None,
        "change": None,
    }


def test_json_breakdown_groups_are_keyed_by_option_values_and_no_answer(survey: Survey, world: World) -> None:
    respond(survey, 10, age="18-35", lonely=1)  # 100
    respond(survey, 10, age="36-plus", lonely=3)  # 50
    data = results_json(client_for(world, world.a_viewer), survey, by=age_code(survey))
    assert data["breakdown"] == age_code(survey)
    assert [each["key"] for each in data["groups"]] == ["all", "18-35", "36-plus", NO_ANSWER]
    assert group(data, "18-35")["label"] == "18 to 35"
    assert figures(group(data, "all"), "bonds")["mean"] == 75.0
    assert figures(group(data, "18-35"), "bonds")["mean"] == 100.0
    assert figures(group(data, "18-35"), "bonds")["share_positive"] == 100.0
    assert figures(group(data, "36-plus"), "bonds")["mean"] == 50.0
    assert figures(group(data, "36-plus"), "bonds")["share_positive"] == 0.0
    nobody = group(data, NO_ANSWER)
    assert nobody["n"] == 0 and nobody["suppressed"] is False


def test_json_with_fewer_than_k_respondents_is_all_null(survey: Survey, world: World) -> None:
    respond(survey, 9, age="18-35", lonely=1, fits=5)
    for params in ({}, {"by": age_code(survey)}):
        data = results_json(client_for(world, world.a_viewer), survey, **params)
        for each in data["groups"]:
            if each["n"] == 0:
                continue  # "nobody" in a category gives no one away
            assert each["n"] is None and each["suppressed"] is True, each
            for cell in each["indicators"]:
                assert cell["n"] is None and cell["mean"] is None and cell["share_positive"] is None
                assert cell["suppressed"] is True
        assert group(data, "all")["n"] is None
        assert data["suppressed_reason"] == "few"


# --- 3. Suppression end to end -------------------------------------------------------------------


def test_a_small_category_shows_too_few_responses_and_null(survey: Survey, world: World) -> None:
    respond(survey, 12, age="18-35", lonely=1, fits=5)
    respond(survey, 15, age="36-plus", lonely=3, fits=4)
    respond(survey, 3, lonely=5, fits=1)  # no answer to "How old are you?"
    client = client_for(world, world.a_viewer)
    data = results_json(client, survey, by=age_code(survey))
    small = group(data, NO_ANSWER)
    assert small["n"] is None and small["suppressed"] is True
    assert all(cell["mean"] is None and cell["suppressed"] for cell in small["indicators"])
    # Secondary suppression: the next-smallest category goes too (3 alone would be all minus the rest).
    assert group(data, "18-35")["suppressed"] is True and group(data, "18-35")["n"] is None
    assert group(data, "36-plus")["n"] == 15
    assert group(data, "all")["n"] == 30
    for each in data["groups"]:
        assert each["n"] is None or each["n"] == 0 or each["n"] >= data["k"], each
        for cell in each["indicators"]:
            assert cell["n"] is None or cell["n"] == 0 or cell["n"] >= data["k"], cell
    page = client.get(url("results", survey), {"by": age_code(survey)}).content.decode()
    bonds = table_row(page, "bonds")
    cells = re.findall(r"<td>(.*?)</td>", bonds, re.DOTALL)
    # Columns: everyone, 18-35, 36-plus, no answer, reference.
    assert TOO_FEW not in cells[0] and TOO_FEW in cells[1] and TOO_FEW not in cells[2] and TOO_FEW in cells[3]
    assert not re.search(r"n=(3|12)\b", page)


@pytest.mark.parametrize("respondents", [10, 11, 19, 25])
def test_json_never_has_a_visible_n_below_k(survey: Survey, world: World, respondents: int) -> None:
    for number in range(respondents):
        age = ["18-35", "36-plus", None][number % 3]
        respond(survey, age=age, lonely=1 + number % 5, fits=1 + number % 5 if number % 2 else None)
    data = results_json(client_for(world, world.a_viewer), survey, by=age_code(survey))
    for each in data["groups"]:
        assert each["n"] is None or each["n"] == 0 or each["n"] >= data["k"], each
        for cell in each["indicators"]:
            assert cell["n"] is None or cell["n"] == 0 or cell["n"] >= data["k"], cell
            if cell["suppressed"]:
                assert cell["mean"] is None and cell["share_positive"] is None


# --- 4. Bad input --------------------------------------------------------------------------------


def bad_queries(survey: Survey) -> list[str]:
    code = age_code(survey)
    return [
        "by=nonsense",
        "filter=xyz",
        f"filter={code}:notanoption",
        f"filter={code}:{NO_ANSWER}",
        "channel=a&filter=b",
        f"by={code}&by=channel",
        f"filter={code}:18-35&filter={code}:36-plus",
        f"filter={code}:18-35&by={code}",
        "unknown=1",
        "by=" + "x" * 100,
    ]


@pytest.mark.parametrize("index", range(10))
def test_bad_query_strings_are_400(survey: Survey, world: World, index: int) -> None:
    respond(survey, 12, age="18-35", lonely=1)
    query = bad_queries(survey)[index]
    client = client_for(world, world.a_viewer)
    for name in ("results", "results_indicator"):
        response = client.get(f"{page_url(name, survey)}?{query}")
        assert response.status_code == 400, (name, query)
    response = client.get(f"{url('results_json', survey)}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"error"} and response.json()["error"]


def test_compare_with_another_municipalitys_wave_is_404(survey: Survey, world: World) -> None:
    other = services.create_survey(
        municipality=world.b,
        title="Van B",
        wave_label="2027",
        base_language="nl",
        languages=["nl"],
        indicators=Indicator.objects.filter(code="work"),
        add_suggested=True,
    )
    client = client_for(world, world.a_admin)
    for name in ("results", "results_json", "results_indicator"):
        assert client.get(page_url(name, survey), {"compare": other.public_id}).status_code == 404, name
        assert client.get(page_url(name, survey), {"compare": "nonexistent"}).status_code == 404, name
        # The survey itself is not a wave to compare with.
        assert client.get(page_url(name, survey), {"compare": survey.public_id}).status_code == 404, name


def test_reference_with_percent_over_100_is_a_form_error(survey: Survey, world: World) -> None:
    client = client_for(world, world.a_editor)
    response = client.post(
        url("results_references", survey), {"work-percent": "150", "work-source": "CBS", "work-year": "2025"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["work-percent"]
    assert not ReferenceValue.objects.exists()


def test_reference_with_only_a_source_is_a_form_error(survey: Survey, world: World) -> None:
    client = client_for(world, world.a_editor)
    response = client.post(url("results_references", survey), {"work-source": "CBS StatLine"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["work-percent"] and errors["work-year"]
    assert "Give the share, its source and its year together" in response.content.decode()
    assert not ReferenceValue.objects.exists()


@pytest.fixture
def quotable(survey: Survey) -> Survey:
    respond(survey, 11, lonely=1, fits=4, text="Een cursus Nederlands voor op het werk.")
    respond(survey, 1, lonely=1)
    return survey


@pytest.mark.parametrize("answer", ["abc", "", "99999999", "-1", "1" * 30])
def test_marking_a_quote_that_does_not_exist_is_400(quotable: Survey, world: World, answer: str) -> None:
    client = client_for(world, world.a_editor)
    response = client.post(url("results_indicator", quotable, code="work"), {"answer": answer})
    assert response.status_code == 400
    assert not ReportQuote.objects.exists()


def test_marking_another_surveys_answer_is_400(quotable: Survey, world: World) -> None:
    other = services.copy_as_new_wave(survey=quotable, wave_label="Najaar 2027")
    services.publish(survey=other)
    (response,) = respond(other, 1, lonely=1, fits=4, text="Uit een andere ronde.")
    answer = response.answers.get(question=Form.of(other).work_text)
    client = client_for(world, world.a_editor)
    post = client.post(url("results_indicator", quotable, code="work"), {"answer": answer.pk})
    assert post.status_code == 400
    assert not ReportQuote.objects.exists()


def test_marking_a_bad_answer_stores_nothing(quotable: Survey, world: World) -> None:
    """Whatever the request, a refused mark stores nothing."""
    client = client_for(world, world.a_editor)
    client.raise_request_exception = False
    for answer in ("abc", "", "99999999"):
        client.post(url("results_indicator", quotable, code="work"), {"answer": answer})
    assert not ReportQuote.objects.exists()


# --- 5. Query counts -----------------------------------------------------------------------------


def count_queries(client: Client, address: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, params)
    assert response.status_code == 200, response.content[:500]
    return len(queries)


def add_mixed(survey: Survey, count: int, channel: Channel | None) -> None:
    for number in range(count):
        respond(
            survey,
            age=["18-35", "36-plus", None][number % 3],
            lonely=1 + number % 5,
            fits=1 + number % 5 if number % 4 else None,
            text=f"Antwoord {number}" if number % 2 else None,
            channel=channel if number % 2 else None,
        )


def test_query_counts_do_not_grow_with_responses(survey: Survey, world: World) -> None:
    client = client_for(world, world.a_editor)
    code = age_code(survey)
    views = [
        (url("results", survey), {}),
        (url("results", survey), {"by": code}),
        (url("results", survey), {"by": "channel"}),
        (url("results_json", survey), {}),
        (url("results_json", survey), {"by": code}),
        (url("results_indicator", survey, code="work"), {}),
        (url("results_indicator", survey, code="work"), {"by": code}),
    ]
    add_mixed(survey, 12, world.channel)
    few = [count_queries(client, address, params) for address, params in views]
    add_mixed(survey, 28, world.channel)
    many = [count_queries(client, address, params) for address, params in views]
    assert many == few


def test_query_counts_with_a_comparison_do_not_grow_with_responses(survey: Survey, world: World) -> None:
    client = client_for(world, world.a_editor)
    newer = services.copy_as_new_wave(survey=survey, wave_label="Najaar 2027")
    services.publish(survey=newer)
    code = age_code(newer)
    views = [
        (url("results", newer), {"compare": survey.public_id}),
        (url("results", newer), {"compare": survey.public_id, "by": code}),
        (url("results", newer), {}),  # the previous wave by default
        (url("results_json", newer), {"compare": survey.public_id}),
        (url("results_indicator", newer, code="work"), {"compare": survey.public_id}),
    ]
    add_mixed(survey, 12, world.channel)
    add_mixed(newer, 12, newer.channels.get())
    few = [count_queries(client, address, params) for address, params in views]
    add_mixed(survey, 28, world.channel)
    add_mixed(newer, 28, newer.channels.get())
    many = [count_queries(client, address, params) for address, params in views]
    assert many == few


# --- 6. Escaping -------------------------------------------------------------------------------


def figure_data(page: str) -> tuple[str, object]:
    raw = re.search(r'<script id="circle-figure" type="application/json">(.*?)</script>', page, re.DOTALL)
    if raw is None:
        raw = re.search(r'<script type="application/json" id="circle-figure">(.*?)</script>', page, re.DOTALL)
    return raw.group(1), json.loads(raw.group(1))


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for each in value.values() for s in strings(each)]
    if isinstance(value, list):
        return [s for each in value for s in strings(each)]
    return []


def test_user_text_is_escaped_on_every_results_page(world: World) -> None:
    survey = world.survey
    add_work_text_question(survey)
    form = Form.of(survey)
    form.age.text = {"nl": SCRIPT, "en": IMG}
    form.age.options = [
        {"value": "18-35", "label": bilingual(SCRIPT, SCRIPT)},
        {"value": "36-plus", "label": bilingual(IMG, IMG)},
    ]
    services.save_question(question=form.age, editor=world.a_editor)
    form.fits.text = {"nl": SCRIPT, "en": SCRIPT}
    services.save_question(question=form.fits, editor=world.a_editor)
    world.channel.name = SCRIPT
    world.channel.save()
    world.a.vision = f"{SCRIPT} {IMG}"
    world.a.save()
    services.publish(survey=survey)
    respond(survey, 10, age="18-35", lonely=1, fits=5, text=SCRIPT, channel=world.channel)
    respond(survey, 10, age="36-plus", lonely=3, fits=4, text=IMG)
    report_services.save_references(
        survey=survey,
        values={Indicator.objects.get(code="work"): {"percent": 50.0, "source": f"{SCRIPT}{IMG}", "year": 2025}},
        by=world.a_editor,
    )
    client = client_for(world, world.a_editor)
    pages = {
        "dashboard by age": client.get(url("results", survey), {"by": form.age.code}),
        "dashboard": client.get(url("results", survey)),
        "dashboard by channel": client.get(url("results", survey), {"by": "channel"}),
        "indicator": client.get(url("results_indicator", survey, code="work")),
        "indicator en": client.get(url("results_indicator", survey, code="work"), {"lang": "en"}),
        "references": client.get(url("results_references", survey)),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        page = response.content.decode()
        assert "<script>alert(1)" not in page, name
        assert "<img src=x" not in page, name
    escaped_script = html.escape(SCRIPT)
    escaped_img = html.escape(IMG)
    by_age = pages["dashboard by age"].content.decode()
    assert escaped_script in by_age and escaped_img in by_age  # question text and option labels
    assert escaped_script in pages["dashboard"].content.decode()  # vision, channel name, reference source
    assert escaped_script in pages["indicator"].content.decode()  # open answers, question text
    assert escaped_img in pages["indicator"].content.decode()
    # Inside the chart's JSON: no way out of the script element, and labels escaped for plotly.
    raw, figure = figure_data(by_age)
    assert "</script" not in raw.lower() and "<" not in raw
    texts = strings(figure)
    assert not any(SCRIPT in text or "<img" in text for text in texts)
    assert any(escaped_script in text for text in texts) and any(escaped_img in text for text in texts)
    # The JSON carries the text as data, served as JSON, never as HTML.
    response = client.get(url("results_json", survey), {"by": form.age.code})
    assert response["Content-Type"] == "application/json"
    assert [each["label"] for each in response.json()["groups"][1:3]] == [SCRIPT, IMG]


# --- 7. Reference values -------------------------------------------------------------------------


def test_editor_saves_a_reference_and_the_results_show_it(survey: Survey, world: World) -> None:
    respond(survey, 9, lonely=1, fits=5)  # work 100
    respond(survey, 3, lonely=1, fits=1)  # work 0: share positive 75%
    client = client_for(world, world.a_editor)
    response = client.post(
        url("results_references", survey),
        {"work-percent": "62", "work-source": "CBS StatLine", "work-year": "2025"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("results", survey)
    reference = ReferenceValue.objects.get()
    assert (reference.indicator.code, reference.percent, reference.source, reference.year) == (
        "work",
        62.0,
        "CBS StatLine",
        2025,
    )
    data = results_json(client, survey)
    assert figures(group(data, "all"), "work")["reference"] == 62.0
    assert figures(group(data, "all"), "work")["share_positive"] == 75.0
    assert figures(group(data, "all"), "bonds")["reference"] is None
    page = client.get(url("results", survey)).content.decode()
    assert "Gap (indicative)" in page
    work = table_row(page, "work")
    cells = [re.sub(r"<[^>]+>", " ", cell).split() for cell in re.findall(r"<td[^>]*>(.*?)</td>", work, re.DOTALL)]
    # Columns: average score, good experience, respondents, reference (with its source), gap.
    assert cells == [["75"], ["75%"], ["12"], ["62%", "CBS", "StatLine,", "2025"], ["+13"]], cells
    indicator = client.get(url("results_indicator", survey, code="work")).content.decode()
    assert "Gap: +13 percentage points (indicative)." in indicator
    # The form shows the stored values back.
    form = client.get(url("results_references", survey)).content.decode()
    assert 'value="CBS StatLine"' in form


# --- 8. Quotes ---------------------------------------------------------------------------------

BADGE = '<span class="badge text-bg-success">for the report</span>'


def test_editor_marks_and_unmarks_a_quote(quotable: Survey, world: World) -> None:
    client = client_for(world, world.a_editor)
    address = url("results_indicator", quotable, code="work")
    page = client.get(address).content.decode()
    assert "Een cursus Nederlands voor op het werk." in page and BADGE not in page
    answer = Answer.objects.filter(question=Form.of(quotable).work_text).first()
    response = client.post(address, {"answer": answer.pk})
    assert response.status_code == 302 and response["Location"] == address
    quote = ReportQuote.objects.get()
    assert (quote.answer, quote.indicator.code, quote.survey, quote.marked_by) == (
        answer,
        "work",
        quotable,
        world.a_editor,
    )
    page = client.get(address).content.decode()
    assert page.count(BADGE) == 1
    viewer_page = client_for(world, world.a_viewer).get(address).content.decode()
    assert "for the report</span>" in viewer_page and "Use in the report" not in viewer_page
    client.post(address, {"answer": answer.pk})
    assert not ReportQuote.objects.exists()
    assert BADGE not in client.get(address).content.decode()


def test_open_answers_are_not_shown_below_k(survey: Survey, world: World) -> None:
    respond(survey, 9, age="18-35", lonely=1, fits=4, text="Een geheim antwoord.")
    client = client_for(world, world.a_editor)
    page = client.get(url("results_indicator", survey, code="work")).content.decode()
    assert "Een geheim antwoord." not in page
    assert "Everyone: Too few responses: fewer than 10 people." in page


def test_open_answers_are_not_shown_for_a_filtered_group_below_k(survey: Survey, world: World) -> None:
    respond(survey, 5, age="18-35", lonely=1, fits=4, text="Een geheim antwoord.")
    respond(survey, 15, age="36-plus", lonely=1, fits=4, text="Een gewoon antwoord.")
    client = client_for(world, world.a_editor)
    address = url("results_indicator", survey, code="work")
    everyone = client.get(address).content.decode()
    assert "Een geheim antwoord." in everyone and "Een gewoon antwoord." in everyone
    for key in ("18-35", "36-plus"):
        response = client.get(address, {"filter": f"{age_code(survey)}:{key}"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Een geheim antwoord." not in page and "Een gewoon antwoord." not in page, key
        assert response.context["quotes"] is None


# --- 9. Comparison -----------------------------------------------------------------------------


@pytest.fixture
def waves(survey: Survey) -> tuple[Survey, Survey]:
    respond(survey, 10, lonely=3, fits=3)  # bonds 50, work 50
    services.close(survey=survey)
    newer = services.copy_as_new_wave(survey=survey, wave_label="Voorjaar 2028")
    services.publish(survey=newer)
    respond(newer, 10, lonely=2, fits=5)  # bonds 75, work 100
    return survey, newer


def test_the_previous_wave_is_compared_by_default(waves: tuple[Survey, Survey], world: World) -> None:
    older, newer = waves
    client = client_for(world, world.a_viewer)
    data = results_json(client, newer)
    assert data["compare"] == {"id": older.public_id, "wave": older.wave_label}
    everyone = group(data, "all")
    assert figures(everyone, "bonds")["change"] == 25.0 == figures(everyone, "bonds")["mean"] - 50.0
    assert figures(everyone, "work")["change"] == 50.0 == figures(everyone, "work")["mean"] - 50.0
    explicit = results_json(client, newer, compare=older.public_id)
    assert explicit == data
    page = client.get(url("results", newer)).content.decode()
    assert "compared with Voorjaar 2027" in page and "Change since Voorjaar 2027" in page
    assert "<td>+25</td>" in table_row(page, "bonds")
    assert f'<option value="{older.public_id}" selected>' in page


def test_compare_none_gives_no_change(waves: tuple[Survey, Survey], world: World) -> None:
    _older, newer = waves
    client = client_for(world, world.a_viewer)
    data = results_json(client, newer, compare="none")
    assert data["compare"] is None
    for each in data["groups"]:
        for cell in each["indicators"]:
            assert cell["change"] is None
    page = client.get(url("results", newer), {"compare": "none"}).content.decode()
    assert "Change since" not in page and "compared with" not in page


def test_the_older_wave_compares_with_nothing_by_default(waves: tuple[Survey, Survey], world: World) -> None:
    older, newer = waves
    client = client_for(world, world.a_viewer)
    assert results_json(client, older)["compare"] is None
    backwards = results_json(client, older, compare=newer.public_id)
    assert figures(group(backwards, "all"), "bonds")["change"] == -25.0


def test_no_change_when_the_compared_wave_is_below_k(survey: Survey, world: World) -> None:
    respond(survey, 9, lonely=3, fits=3)
    newer = services.copy_as_new_wave(survey=survey, wave_label="Voorjaar 2028")
    services.publish(survey=newer)
    respond(newer, 10, lonely=2, fits=5)
    data = results_json(client_for(world, world.a_viewer), newer)
    assert data["compare"]["id"] == survey.public_id
    assert all(cell["change"] is None for cell in group(data, "all")["indicators"])
    assert figures(group(data, "all"), "bonds")["mean"] == 75.0


def test_a_scale_reads_from_negative_to_positive_and_the_options_of_a_choice_do_not(survey: Survey) -> None:
    """The stacked bars: a scale's answers run from vermilion to blue; a one-choice question's
    options get distinct colours that imply no order ("yes" is not drawn as the bad end)."""
    respond(survey, 12, lonely=2, fits=4)
    respond(survey, 12, lonely=4)
    query = ReportQuery(survey, (Indicator.objects.get(code="work"),))
    details = indicator_details(query, query.indicators[0], hidden_reason=None)
    by_question = {
        d.question.type: {key: colour for key, _label, _n, _p, colour in d.answers} for d in details.distributions
    }
    single = by_question[QuestionType.SINGLE]
    assert {key: single[key] for key in ("yes", "no")} == dict(zip(["yes", "no"], option_colours(2), strict=True))
    assert by_question[QuestionType.AGREEMENT]["4"] == answer_colours(5)[3]  # "True", fourth of five points
