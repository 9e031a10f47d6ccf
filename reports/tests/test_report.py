"""The printed report: access like the dashboard, the marked quotes, a fixed number of queries,
and in a real Chromium a PDF on A4 whose text holds the vision, the table and the quote.
"""

from __future__ import annotations

import io
import os
import secrets

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from indicators.models import Indicator
from integration_mapping.browser import SCREENSHOT_DIR, accessibility_violations
from integration_mapping.testing import PASSWORD, World, add_education_question, bilingual, question
from reports import services as report_services
from reports.models import ReportQuote
from surveys import services
from surveys.models import Answer, Channel, Question, Survey
from surveys.scales import QuestionType, Section

MARKED = "Een cursus Nederlands voor op het werk."
UNMARKED = "Ik zoek nog steeds werk."


def url(survey: Survey, name: str = "results_report") -> str:
    return reverse(name, kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id})


def client_for(user: object) -> Client:
    """A client for ``user`` that reads the pages in English."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def work_text(survey: Survey) -> Question:
    return survey.visible_questions().get(indicator__code="work", type=QuestionType.LONG_TEXT)


def respond(
    survey: Survey,
    count: int = 1,
    *,
    lonely: int = 1,
    fits: int | None = None,
    age: str | None = None,
    text: str | None = None,
    channel: Channel | None = None,
    extra: dict | None = None,
) -> list[Answer]:
    """``count`` completed respondents with the same answers, through the services. Returns their
    written answers on Work, if any. "I often feel alone" is reverse scored (1 -> 100, 3 -> 50)."""
    values: dict[Question, object] = {
        question(survey, "Do you have paid work?"): "no" if fits is None else "yes",
        question(survey, "I often feel alone."): lonely,
        **(extra or {}),
    }
    if fits is not None:
        values[question(survey, "My work fits what I can do.")] = fits
    if age is not None:
        values[question(survey, "How old are you?")] = age
    if text is not None:
        values[work_text(survey)] = text
    for _ in range(count):
        response = services.start_response(
            survey=survey, language="nl", start_key=secrets.token_urlsafe(24), channel=channel
        )
        services.save_answers(response=response, answers=values)
        assert services.submit_response(response=response, asked={each.pk for each in values})
    return list(Answer.objects.filter(survey=survey, question__type=QuestionType.LONG_TEXT).exclude(text=""))


def add_work_text_question(survey: Survey) -> None:
    services.add_own_question(
        survey=survey,
        section=Section.INDICATOR,
        indicator=Indicator.objects.get(code="work"),
        type=QuestionType.LONG_TEXT,
        text=bilingual("Wat zou je helpen bij werk?", "What would help you with work?"),
    )


def mark(survey: Survey, text: str, by: object) -> None:
    answer = Answer.objects.filter(survey=survey, text=text).first()
    assert report_services.toggle_quote(
        survey=survey, indicator=Indicator.objects.get(code="work"), answer_id=str(answer.pk), by=by
    )


@pytest.fixture
def survey(world: World) -> Survey:
    """The world's survey (Work and Bonds, k = 10) with an open question on Work, published, and
    12 respondents: one marked quote and one that is not."""
    add_work_text_question(world.survey)
    services.publish(survey=world.survey)
    respond(world.survey, 1, fits=4, age="18-35", text=MARKED)
    respond(world.survey, 1, fits=4, age="36-plus", text=UNMARKED)
    respond(world.survey, 5, fits=5, age="18-35")
    respond(world.survey, 5, lonely=3, age="36-plus")
    mark(world.survey, MARKED, world.a_editor)
    return world.survey


# --- Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["a_viewer", "a_editor", "a_admin"])
def test_viewer_and_up_get_the_report(survey: Survey, world: World, user: str) -> None:
    response = client_for(getattr(world, user)).get(url(survey))
    assert response.status_code == 200
    page = response.content.decode()
    assert world.a.vision in page and 'data-indicator="work"' in page and 'data-indicator="bonds"' in page


@pytest.mark.parametrize("outsider", ["b_admin", "nobody"])
def test_other_municipality_gets_404(survey: Survey, world: World, outsider: str) -> None:
    assert client_for(getattr(world, outsider)).get(url(survey)).status_code == 404
    other_slug = reverse("results_report", kwargs={"slug": world.b.slug, "public_id": survey.public_id})
    assert client_for(world.b_admin).get(other_slug).status_code == 404


def test_anonymous_is_sent_to_login(survey: Survey) -> None:
    response = client_for(None).get(url(survey))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_partner_sees_only_its_indicators_and_their_quotes(world: World) -> None:
    add_education_question(world.survey)
    add_work_text_question(world.survey)
    services.publish(survey=world.survey)
    learn = question(world.survey, "I can learn what I want here.")
    respond(world.survey, 1, fits=5, text=MARKED, extra={learn: 4})
    respond(world.survey, 11, fits=5, extra={learn: 4})
    mark(world.survey, MARKED, world.a_editor)  # on Work, which P does not work on

    response = client_for(world.partner_user).get(url(world.survey))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-indicator="education"' in page
    assert 'data-indicator="work"' not in page and 'data-indicator="bonds"' not in page
    assert MARKED not in page
    staff = client_for(world.a_viewer).get(url(world.survey)).content.decode()
    assert 'data-indicator="work"' in staff and MARKED in staff


# --- Quotes --------------------------------------------------------------------------------------


def test_a_marked_quote_appears_and_an_unmarked_one_does_not(survey: Survey, world: World) -> None:
    response = client_for(world.a_viewer).get(url(survey))
    page = response.content.decode()
    assert MARKED in page and UNMARKED not in page
    # Under its indicator, with its question in the interface language.
    assert [(indicator.code, [q.answer.text for q in quotes]) for indicator, quotes in response.context["quotes"]] == [
        ("work", [MARKED])
    ]
    assert "What would help you with work?" in page


def test_no_quote_when_the_population_shown_is_hidden(survey: Survey, world: World) -> None:
    """A filter whose group is below k (6 of 12 are 18-35, and 6 outside): nothing, and no quote."""
    code = question(survey, "How old are you?").code
    response = client_for(world.a_viewer).get(url(survey), {"filter": f"{code}:18-35"})
    assert response.status_code == 200
    assert response.context["result"].is_hidden
    page = response.content.decode()
    assert MARKED not in page and 'data-indicator="work"' not in page
    assert "Too few responses to show anything" in page


def test_quotes_of_hidden_questions_are_left_out(survey: Survey, world: World) -> None:
    Question.objects.filter(pk=work_text(survey).pk).update(hidden=True)
    assert ReportQuote.objects.count() == 1
    assert MARKED not in client_for(world.a_viewer).get(url(survey)).content.decode()


def test_user_text_is_escaped(survey: Survey, world: World) -> None:
    world.a.vision = "<script>alert(1)</script>"
    world.a.save()
    page = client_for(world.a_viewer).get(url(survey)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- Bad input and queries -----------------------------------------------------------------------


@pytest.mark.parametrize("query", ["unknown=1", "by=nonsense", "filter=xyz", "by=a&by=b"])
def test_bad_parameter_is_400(survey: Survey, world: World, query: str) -> None:
    assert client_for(world.a_viewer).get(f"{url(survey)}?{query}").status_code == 400


def test_the_dashboard_links_to_the_report_with_its_parameters(survey: Survey, world: World) -> None:
    code = question(survey, "How old are you?").code
    page = client_for(world.a_viewer).get(url(survey, "results"), {"by": code}).content.decode()
    assert f"{url(survey)}?by={code}&amp;compare=none&amp;show=18-35" in page


def count_queries(client: Client, address: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, params)
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_respondents_or_quotes(world: World) -> None:
    add_work_text_question(world.survey)
    services.publish(survey=world.survey)
    survey = world.survey
    code = question(survey, "How old are you?").code
    views = [{}, {"by": code}, {"by": "channel"}]
    client = client_for(world.a_editor)

    def add(count: int) -> None:
        for number in range(count):
            respond(
                survey,
                lonely=1 + number % 5,
                fits=1 + number % 5 if number % 4 else None,
                age=["18-35", "36-plus", None][number % 3],
                text=f"Antwoord {number}" if number % 2 else None,
                channel=world.channel if number % 2 else None,
            )

    add(12)
    mark(survey, "Antwoord 1", world.a_editor)
    few = [count_queries(client, url(survey), params) for params in views]
    add(28)
    for text in ("Antwoord 3", "Antwoord 5", "Antwoord 7", "Antwoord 9"):
        mark(survey, text, world.a_editor)
    many = [count_queries(client, url(survey), params) for params in views]
    assert many == few


# --- In Chromium: the PDF ------------------------------------------------------------------------

VISION = (
    "Iedereen doet mee in Gemeente A.\n"
    "Integratie is iets wat we samen doen: nieuwkomers, buren, werkgevers en de gemeente."
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_report_prints_to_an_a4_pdf_with_vision_table_and_quote(page, world_transactional: World) -> None:
    world = world_transactional
    world.a.vision = VISION
    world.a.save()
    add_work_text_question(world.survey)
    services.publish(survey=world.survey)
    respond(world.survey, 1, fits=4, age="18-35", text=MARKED)
    respond(world.survey, 1, fits=4, age="36-plus", text=UNMARKED)
    respond(world.survey, 6, fits=5, age="18-35")
    respond(world.survey, 6, lonely=3, fits=2, age="36-plus")
    report_services.save_references(
        survey=world.survey,
        values={Indicator.objects.get(code="bonds"): {"percent": 55.0, "source": "CBS", "year": 2025}},
        by=world.a_admin,
    )
    mark(world.survey, MARKED, world.a_editor)

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(world.a_viewer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda address: "/accounts/login/" not in address)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url(world.survey))
    page.locator(".report-circle .main-svg").first.wait_for()
    assert page.get_by_role("button", name="Print").is_visible()
    bonds = page.locator('#report-table tr[data-indicator="bonds"]')
    name, mean = bonds.locator("th").inner_text().strip(), bonds.locator("td.figure-mean").inner_text().strip()
    assert (name, mean) == ("Bonds", "79")  # 8 x 100 and 6 x 50
    assert accessibility_violations(page) == [], page.url
    assert errors == []

    data = page.pdf(format="A4", print_background=True)
    pdf = PdfReader(io.BytesIO(data))
    assert 2 <= len(pdf.pages) <= 4, len(pdf.pages)
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1, (width, height)  # A4 in points
    text = " ".join(" ".join(each.extract_text().split()) for each in pdf.pages)
    assert " ".join(VISION.split()) in text
    assert f"{name} {mean} " in text, text
    assert "55% CBS, 2025" in text
    assert MARKED in text and UNMARKED not in text
    assert "Integration Mapping" not in pdf.pages[0].extract_text().splitlines()[0]  # no navigation bar
    assert "Print" not in text.split()  # nor the button

    if os.environ.get("SCREENSHOTS") == "1":
        # The first printed page: print media in a viewport as large as A4 within its margins.
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 680, "height": 1009})
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / "34-report-first-page.png")
