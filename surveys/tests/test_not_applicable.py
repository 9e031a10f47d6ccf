"""'This does not apply to me' (issue 10): offered where the question allows it, stored as an
answer without a value, counted as missing in the scores."""

from __future__ import annotations

import re
import secrets

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator
from integration_mapping.testing import World, bilingual, question
from surveys import services
from surveys.demo import WAVE
from surveys.forms import QuestionForm
from surveys.models import Answer, BankQuestion, IndicatorScore, Question, Response, Survey
from surveys.respond import field_name, stored_values
from surveys.scales import NOT_APPLICABLE, QuestionType, Section

LABEL = "This does not apply to me"
DONT_KNOW = "I don't know / I'd rather not say"


@pytest.fixture
def survey(world: World) -> World:
    """The world's survey with three more Bonds questions that offer "does not apply"."""
    bonds = Indicator.objects.get(code="bonds")
    common = {"survey": world.survey, "section": Section.INDICATOR, "indicator": bonds, "allow_not_applicable": True}
    services.add_own_question(
        **common,
        type=QuestionType.AGREEMENT,
        text=bilingual("Mijn familie kan mij bezoeken.", "My family can visit me."),
    )
    services.add_own_question(
        **common,
        type=QuestionType.SINGLE,
        text=bilingual("Zie je je kinderen vaak?", "Do you see your children often?"),
        options=[{"value": "yes", "label": bilingual("Ja", "Yes")}, {"value": "no", "label": bilingual("Nee", "No")}],
    )
    services.add_own_question(
        **common,
        type=QuestionType.MULTIPLE,
        text=bilingual("Met wie praat je?", "Who do you talk to?"),
        options=[
            {"value": "family", "label": bilingual("Familie", "Family")},
            {"value": "friends", "label": bilingual("Vrienden", "Friends")},
        ],
    )
    services.publish(survey=world.survey)
    return world


def name(world: World, text_en: str) -> str:
    return field_name(question(world.survey, text_en))


def start(world: World) -> Client:
    """A respondent who opened the link, agreed and answered the Work page ("no work")."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.get(f"/s/{world.channel.token}/")
    page = client.get("/answer/").content.decode()
    key = re.search(r'name="start_key" value="([^"]+)"', page).group(1)
    client.post("/answer/", {"consent": "yes", "start_key": key})
    post(client, 1, {name(world, "Do you have paid work?"): "no"})
    return client


def post(client: Client, step: int, values: dict):
    page = client.get(f"/answer/{step}/").content.decode()
    shown = re.findall(r'name="shown" value="([^"]+)"(?! disabled)', page)
    return client.post(f"/answer/{step}/", {"action": "next", "shown": shown, **values})


def offered(page: str, field: str) -> list[str]:
    return re.findall(rf'name="{field}" value="([^"]+)"', page)


def test_the_page_offers_does_not_apply_only_where_allowed_and_never_for_several_choices(survey: World) -> None:
    page = start(survey).get("/answer/2/").content.decode()
    # After the scale points or options, before "don't know".
    assert offered(page, name(survey, "My family can visit me.")) == ["1", "2", "3", "4", "5", "na", "dk"]
    assert offered(page, name(survey, "Do you see your children often?")) == ["yes", "no", "na", "dk"]
    assert offered(page, name(survey, "I often feel alone.")) == ["1", "2", "3", "4", "5", "dk"]
    assert offered(page, name(survey, "Who do you talk to?")) == ["family", "friends"]
    assert page.count(LABEL) == 2


def test_does_not_apply_is_stored_without_a_value_and_left_out_of_the_indicator_score(survey: World) -> None:
    client = start(survey)
    family, children = name(survey, "My family can visit me."), name(survey, "Do you see your children often?")
    # "I often feel alone" is reverse scored: "Not true at all" scores 100.
    answers = {name(survey, "I often feel alone."): "1", family: "na", children: "na"}
    assert post(client, 2, answers)["Location"] == "/answer/3/"
    row = Answer.objects.get(question=question(survey.survey, "My family can visit me."))
    assert row.not_applicable and not row.dont_know
    assert (row.number, row.choice, row.text, row.score) == (None, "", "", None)
    single = Answer.objects.get(question=question(survey.survey, "Do you see your children often?"))
    assert single.not_applicable and single.choice == ""
    assert client.post("/answer/check/")["Location"] == "/answer/thanks/"
    bonds = IndicatorScore.objects.get(indicator__code="bonds")
    assert bonds.score == 100.0


def test_the_review_page_shows_the_answer_and_the_page_shows_it_chosen_again(survey: World) -> None:
    client = start(survey)
    family = name(survey, "My family can visit me.")
    post(client, 2, {family: "na"})
    review = client.get("/answer/check/").content.decode()
    row = re.search(r"<dt>My family can visit me\.</dt>\s*<dd>([^<]*)<", review)
    assert row.group(1).strip() == LABEL
    page = client.get("/answer/2/").content.decode()
    assert re.search(rf'name="{family}" value="na"[^>]*checked', page)
    assert not re.search(rf'name="{family}" value="dk"[^>]*checked', page)


def test_does_not_apply_for_a_question_without_it_is_refused_and_nothing_is_stored(survey: World) -> None:
    client = start(survey)
    lonely, talk = name(survey, "I often feel alone."), name(survey, "Who do you talk to?")
    for values in ({lonely: "na"}, {talk: ["na"]}):
        page = post(client, 2, values)
        assert page.status_code == 422, values
        assert "Please choose one of the answers shown." in page.content.decode()
    assert not Answer.objects.exclude(question=question(survey.survey, "Do you have paid work?")).exists()


def test_an_open_answer_na_is_the_text_na(survey: World) -> None:
    client = start(survey)
    post(client, 2, {})
    post(client, 3, {})
    assert post(client, 4, {name(survey, "Where are you now, and where do you want to go?"): "na"}).status_code == 302
    answer = Answer.objects.get(question__section=Section.OPEN)
    assert (answer.text, answer.not_applicable, answer.dont_know) == ("na", False, False)


def test_stored_values_read_does_not_apply_back(survey: World) -> None:
    family = question(survey.survey, "My family can visit me.")
    response = services.start_response(survey=survey.survey, language="en", start_key=secrets.token_urlsafe(24))
    services.save_answers(response=response, answers={family: NOT_APPLICABLE})
    assert stored_values(Response.objects.get(pk=response.pk), [family]) == {family.pk: NOT_APPLICABLE}


def test_an_officers_option_never_takes_the_value_of_does_not_apply_or_dont_know(world: World) -> None:
    form = QuestionForm(
        data={"type": "single", "text_base": "Kies", "options_base": "NA\nDK\nAnders", "allow_not_applicable": "on"},
        survey=world.survey,
        section=Section.BACKGROUND,
    )
    assert form.is_valid(), form.errors
    created = services.add_question(question=form.instance)
    assert created.option_values() == ["na-1", "dk-2", "anders"]
    assert created.allow_not_applicable


def test_the_question_form_offers_the_choice_and_a_bank_question_brings_it_along(world: World) -> None:
    client = world.client_for(world.a_editor)
    kwargs = {"slug": world.a.slug, "public_id": world.survey.public_id, "section": Section.BACKGROUND}
    page = client.get(reverse("question_add", kwargs=kwargs)).content.decode()
    assert 'name="allow_not_applicable"' in page
    bank = BankQuestion.objects.get(code="education-diplomas-count")
    assert bank.allow_not_applicable
    world.survey.indicators.add(bank.indicator)
    copied = services.add_bank_question(survey=world.survey, bank_question=bank)
    assert Question.objects.get(pk=copied.pk).allow_not_applicable


@pytest.mark.django_db
def test_the_demo_says_does_not_apply_now_and_then_where_a_question_offers_it() -> None:
    call_command("seed_demo", responses=80)
    survey = Survey.objects.get(wave_label=WAVE)
    offering = Answer.objects.filter(survey=survey, question__allow_not_applicable=True)
    assert 0.08 <= offering.filter(not_applicable=True).count() / offering.count() <= 0.25
    assert not Answer.objects.filter(survey=survey, question__allow_not_applicable=False, not_applicable=True).exists()
    assert not offering.filter(not_applicable=True, score__isnull=False).exists()
