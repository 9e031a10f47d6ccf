"""The public results page: only public, published surveys; no figure for fewer than k people."""

from __future__ import annotations

import gzip
import re
import secrets
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from integration_mapping.testing import World, question
from surveys import services
from surveys.models import IndicatorScore, Survey
from surveys.respond import INDICATOR_TITLES
from surveys.scales import DONT_KNOW, QuestionType, Section
from surveys.tests.test_respond import Respondent, complete, static_size

SUPPRESSED = "Too few answers to show"


@pytest.fixture
def survey(world: World) -> Survey:
    """The world's survey (Work and Bonds, k = 10), published with public results."""
    services.publish(survey=world.survey)
    world.survey.results_public = True
    world.survey.save()
    return world.survey


def respond(survey: Survey, *, lonely: object = None, fits: int | None = None, submit: bool = True) -> None:
    """One respondent through the services: "I often feel alone" (Bonds, reverse scored: 1 -> 100,
    5 -> 0) and, for those with work, "My work fits what I can do" (Work)."""
    values = {question(survey, "Do you have paid work?"): "no" if fits is None else "yes"}
    if fits is not None:
        values[question(survey, "My work fits what I can do.")] = fits
    if lonely is not None:
        values[question(survey, "I often feel alone.")] = lonely
    response = services.start_response(survey=survey, language="nl", start_key=secrets.token_urlsafe(24))
    services.save_answers(response=response, answers=values)
    if submit:
        services.submit_response(response=response, asked={each.pk for each in values})


def results(survey: Survey, client: Client | None = None, **params: str):
    client = client or Client(HTTP_ACCEPT_LANGUAGE="en")
    return client.get(reverse("public_results", args=[survey.public_id]), params)


def block(page: str, code: str) -> str:
    """The part of the page about one indicator."""
    return re.search(rf'<li class="result" id="indicator-{code}">(.*?)</li>', page, re.DOTALL).group(1)


def test_numbers_are_shown_for_an_indicator_with_at_least_k_respondents(survey: Survey) -> None:
    for _ in range(6):
        respond(survey, lonely=1)  # 100
    for _ in range(4):
        respond(survey, lonely=5)  # 0
    for _ in range(2):
        respond(survey, lonely=DONT_KNOW)  # missing: not a 0, and not one of the n
    services.close(survey=survey)
    page = results(survey).content.decode()
    bonds = block(page, "bonds")
    assert "60% had a good experience" in bonds
    assert "Average score: 60 out of 100" in bonds
    assert "People who answered about this: 10" in bonds
    assert '<rect class="result-bar-fill" width="60%"' in bonds
    assert SUPPRESSED not in bonds
    assert "People who answered: 12" in page
    assert "Gemeente A" in page and "How are you doing?" in page


def test_an_indicator_with_fewer_than_k_respondents_shows_no_number(survey: Survey) -> None:
    for number in range(10):
        respond(survey, lonely=2, fits=4 if number < 9 else None)  # 9 people with work
    services.close(survey=survey)
    page = results(survey).content.decode()
    work = block(page, "work")
    assert SUPPRESSED in work
    assert not re.search(r"\d", re.sub(r"<[^>]+>", "", work)), work
    assert "Average score: 75 out of 100" in block(page, "bonds")


def test_in_progress_responses_do_not_count(survey: Survey) -> None:
    for _ in range(9):
        respond(survey, lonely=1)
    for _ in range(5):
        respond(survey, lonely=1, submit=False)
    services.close(survey=survey)
    page = results(survey).content.decode()
    assert SUPPRESSED in block(page, "bonds")
    assert "% had a good experience" not in page
    # Nine completed is below k, so not even the number of people is shown.
    assert "People who answered" not in page


def test_indicators_are_in_circle_order(survey: Survey) -> None:
    services.close(survey=survey)
    page = results(survey).content.decode()
    assert page.index('id="indicator-work"') < page.index('id="indicator-bonds"')


@pytest.mark.parametrize("case", ["not public", "draft", "unknown"])
def test_results_that_are_not_public_answer_the_unknown_link_page(world: World, case: str) -> None:
    survey = world.survey  # a draft
    if case == "not public":
        services.publish(survey=survey)
    else:
        survey.results_public = True
        survey.save()
    for _ in range(10):
        respond(survey, lonely=1)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    public_id = "not-a-survey" if case == "unknown" else survey.public_id
    page = client.get(reverse("public_results", args=[public_id]))
    unknown_link = client.get("/s/not-a-link/")
    assert page.status_code == 404
    assert page.content == unknown_link.content
    assert b"% had a good experience" not in page.content


def test_an_open_survey_shows_no_figures_until_it_closes(survey: Survey) -> None:
    """Live figures would let someone who looks before and after one person answers work out
    that person's answers from the change."""
    for _ in range(12):
        respond(survey, lonely=1)
    page = results(survey).content.decode()
    assert "The survey is still open" in page
    assert "had a good experience" not in page and "People who answered" not in page
    services.close(survey=survey)
    page = results(survey).content.decode()
    assert "The survey is still open" not in page and "100% had a good experience" in block(page, "bonds")


def test_a_survey_past_its_closing_date_counts_as_closed(survey: Survey) -> None:
    for _ in range(10):
        respond(survey, lonely=1)
    survey.closes_on = timezone.localdate() - timedelta(days=1)
    survey.save()
    assert "100% had a good experience" in block(results(survey).content.decode(), "bonds")


def test_user_text_is_escaped(survey: Survey) -> None:
    survey.title = {"nl": "<script>alert(1)</script>", "en": "<script>alert(1)</script>"}
    survey.save()
    survey.municipality.name = "<b>Gemeente A</b>"
    survey.municipality.save()
    page = results(survey).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>Gemeente A</b>" not in page and "&lt;b&gt;Gemeente A&lt;/b&gt;" in page


def test_arabic_is_right_to_left_with_arabic_indicator_names(survey: Survey) -> None:
    survey.languages = ["nl", "en", "ar"]
    survey.save()
    services.close(survey=survey)
    with translation.override("ar"):
        work = str(INDICATOR_TITLES["work"])
    assert work != "Work"
    for page in (results(survey, lang="ar"), results(survey, Client(HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5"))):
        content = page.content.decode()
        assert '<html lang="ar" dir="rtl">' in content and "bootstrap.rtl.min.css" in content
        assert f'<h2 class="result-name">{work}</h2>' in content


def test_language_links_switch_the_page_and_mark_the_current_language(survey: Survey) -> None:
    page = results(survey, lang="nl").content.decode()
    assert '<html lang="nl" dir="ltr">' in page
    assert '<span class="current-language" lang="nl" aria-current="true">Nederlands</span>' in page
    assert 'href="?lang=en" lang="en"' in page
    assert "respond_language" not in page and 'action="/answer/language/"' not in page


def test_a_language_the_survey_does_not_offer_falls_back_to_the_browser_then_the_base(survey: Survey) -> None:
    assert '<html lang="en"' in results(survey, lang="ar").content.decode()
    page = results(survey, Client(HTTP_ACCEPT_LANGUAGE="de"), lang="ar").content.decode()
    assert '<html lang="nl"' in page


def test_query_count_does_not_grow_with_responses(survey: Survey) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = results(survey)
        assert page.status_code == 200 and "Average score" in page.content.decode()
        return len(queries)

    for number in range(12):
        respond(survey, lonely=1 + number % 5, fits=1 + number % 5)
    services.close(survey=survey)
    few = count()
    for number in range(30):
        respond(survey, lonely=1 + number % 5, fits=1 + number % 5)
    assert count() == few


def test_thanks_page_links_the_results_only_when_public(world: World) -> None:
    services.publish(survey=world.survey)
    hidden = Respondent()
    hidden.open(world.channel.token)
    complete(hidden, world)
    page = hidden.client.get("/answer/thanks/").content.decode()
    assert "See the results" not in page and "/results/" not in page

    world.survey.results_public = True
    world.survey.save()
    shown = Respondent(language="nl")
    shown.open(world.channel.token)
    complete(shown, world)
    page = shown.client.get("/answer/thanks/").content.decode()
    url = f"/results/{world.survey.public_id}/?lang=nl"
    assert f'href="{url}"' in page
    assert shown.client.get(url).status_code == 200


def test_the_page_weighs_under_100_kb_without_plotly(survey: Survey) -> None:
    survey.languages = ["nl", "en", "ar"]
    survey.save()
    for _ in range(10):
        respond(survey, lonely=2, fits=3)
    services.close(survey=survey)
    for language in ("en", "ar"):
        html = results(survey, lang=language).content
        assets = set(re.findall(rb'(?:href|src)="(/static/[^"]+)"', html))
        total = len(gzip.compress(html)) + sum(static_size(asset.decode()) for asset in assets)
        assert total < 100_000, (language, total)
        assert b"plotly" not in html and b"https://" not in html


def test_respondent_scores_are_stored_at_the_final_submit_as_the_mean_of_their_scored_items(world: World) -> None:
    survey = world.survey
    bonds = question(survey, "I often feel alone.").indicator
    friends = services.add_own_question(
        survey=survey,
        section=Section.INDICATOR,
        indicator=bonds,
        type=QuestionType.AGREEMENT,
        text={"nl": "Ik heb vrienden hier.", "en": "I have friends here."},
    )
    health = services.add_own_question(
        survey=survey,
        section=Section.INDICATOR,
        indicator=bonds,
        type=QuestionType.SCALE_10,
        text={"nl": "Een cijfer voor je contacten.", "en": "A mark for your contacts."},
    )
    services.publish(survey=survey)
    lonely = question(survey, "I often feel alone.")
    has_work = question(survey, "Do you have paid work?")

    def answer(values: dict, *, submit: bool = True) -> int:
        response = services.start_response(survey=survey, language="nl", start_key=secrets.token_urlsafe(24))
        services.save_answers(response=response, answers={has_work: "no", **values})
        if submit:
            services.submit_response(response=response, asked={has_work.pk, *(q.pk for q in values)})
        return response.pk

    both = answer({lonely: 1, friends: 3})  # reverse scored 1 -> 100, and 50
    dont_know = answer({lonely: DONT_KNOW, friends: 5})  # only the 100 counts
    ten = answer({lonely: 5, health: 7})  # reverse scored 5 -> 0, and 7 on 0-10 -> 70
    nothing = answer({lonely: DONT_KNOW})  # no scored item: no row, not a 0
    unfinished = answer({lonely: 1, friends: 5}, submit=False)  # in progress: no row
    rows = {(row.indicator_id, row.response_id): row.score for row in IndicatorScore.objects.all()}
    assert rows == {
        (bonds.pk, both): pytest.approx(75.0),
        (bonds.pk, dont_know): pytest.approx(100.0),
        (bonds.pk, ten): pytest.approx(35.0),
    }
    assert not IndicatorScore.objects.filter(response_id__in=[nothing, unfinished]).exists()
    # A second submit of the same response stores nothing twice.
    services.submit_response(response=survey.responses.get(pk=both), asked={lonely.pk, friends.pk})
    assert IndicatorScore.objects.filter(response_id=both).count() == 1
    # A respondent who deletes their answers takes their scores with them.
    services.delete_response(response=survey.responses.get(pk=both))
    assert not IndicatorScore.objects.filter(response_id=both).exists()


def test_the_page_names_the_wave_and_its_period(survey: Survey) -> None:
    """Waves often share their title: the reader must see which round and which period the figures are about."""
    today = timezone.localdate()
    survey.opens_on, survey.closes_on = today - timedelta(days=60), today - timedelta(days=1)
    survey.save()
    later = services.copy_as_new_wave(survey=survey, wave_label="Najaar 2027")
    later.opens_on, later.closes_on = today, None
    later.save()
    services.publish(survey=later)
    services.close(survey=later)
    page = results(survey).content.decode()
    period = f"{survey.opens_on:%-d-%-m-%Y} to {survey.closes_on:%-d-%-m-%Y}"
    assert "Round: Voorjaar 2027" in page and f"People answered from {period}." in page
    page = results(later).content.decode()
    assert "Round: Najaar 2027" in page and f"People answered from {today:%-d-%-m-%Y} to {today:%-d-%-m-%Y}." in page
    with translation.override("nl"):
        dutch = results(survey, Client(HTTP_ACCEPT_LANGUAGE="nl")).content.decode()
    assert "Ronde: Voorjaar 2027" in dutch
