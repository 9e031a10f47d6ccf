"""The paper questionnaire: the screen's questions, numbers, choices and conditions on A4, in the
newcomer's language, for people who cannot read well or have no phone."""

from __future__ import annotations

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from indicators.models import Indicator
from integration_mapping.testing import World, question
from surveys import services
from surveys.models import Question, Survey
from surveys.scales import DONT_KNOW_LABEL, NOT_APPLICABLE_LABEL, QuestionType, Section

CHOICE = re.compile(r'<span class="box" aria-hidden="true"></span><span class="paper-choice-label">(.*?)</span>')
SCALE_POINT = re.compile(r'<span class="paper-scale-number">(.*?)</span><span class="box" aria-hidden="true"></span>')
NUMBER = re.compile(r'<span class="paper-number">(\d+)\.</span> (.*?)</h3>')


def paper_url(survey: Survey, language: str) -> str:
    kwargs = {"slug": survey.municipality.slug, "public_id": survey.public_id, "language": language}
    return reverse("survey_paper", kwargs=kwargs)


def paper(world: World, language: str = "en", *, user: str = "a_viewer") -> str:
    response = world.client_for(getattr(world, user)).get(paper_url(world.survey, language), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def block(content: str, number: int) -> str:
    """The HTML of question ``number``, from its block to the next one."""
    start = content.index(f'<div class="paper-question" id="question-{number}">')
    end = content.find('<div class="paper-question"', start + 1)
    return content[start : end if end != -1 else content.index("</main>")]


def offer(survey: Survey, *languages: str) -> None:
    survey.languages = [*survey.languages, *languages]
    survey.title = {**survey.title, "ar": "كيف حالك؟", "ti": "ከመይ ኣለኹም?"}
    survey.save()


def test_the_paper_in_tigrinya_is_left_to_right_and_in_tigrinya(world: World) -> None:
    offer(world.survey, "ti")
    content = paper(world, "ti")
    assert '<html lang="ti" dir="ltr">' in content and "bootstrap.min.css" in content
    assert "<h1>ከመይ ኣለኹም?</h1>" in content
    with translation.override("ti"):
        before_you_start, dont_know = translation.gettext("Before you start"), str(DONT_KNOW_LABEL)
    assert before_you_start != "Before you start" and before_you_start in content
    assert html.escape(dont_know) in block(content, 1)


def test_the_paper_in_arabic_is_right_to_left(world: World) -> None:
    offer(world.survey, "ar")
    content = paper(world, "ar")
    assert '<html lang="ar" dir="rtl">' in content and "bootstrap.rtl.min.css" in content
    assert "<h1>كيف حالك؟</h1>" in content
    with translation.override("ar"):
        assert translation.gettext("Before you start") in content
    # The officer's bar stays in the officer's language and direction.
    assert '<div class="paper-tools no-print" lang="en" dir="ltr">' in content


def test_questions_carry_the_numbers_of_the_screen(world: World) -> None:
    survey = world.survey
    # Added last but shown third (on the Work page), and one removed: neither may shift the numbers.
    services.add_own_question(
        survey=survey,
        section=Section.INDICATOR,
        indicator=Indicator.objects.get(code="work"),
        type=QuestionType.NUMBER,
        text={"nl": "Hoeveel uur werk je?", "en": "How many hours do you work?"},
    )
    Question.objects.filter(pk=question(survey, "How old are you?").pk).update(hidden=True)
    numbered = [(str(n), q.text_in("en")) for n, q in enumerate(survey.numbered_questions(), start=1)]
    assert numbered[2][1] == "How many hours do you work?"
    assert NUMBER.findall(paper(world)) == numbered


def test_the_skip_instruction_names_the_questions_and_answers_in_words(world: World) -> None:
    survey = world.survey
    has_work = question(survey, "Do you have paid work?")
    has_work.options = [
        {"value": "yes", "label": {"nl": "Ja", "en": "Yes, I have a job"}},
        {"value": "own", "label": {"nl": "Eigen zaak", "en": "Yes, I have my own business"}},
        {"value": "no", "label": {"nl": "Nee", "en": "No"}},
    ]
    has_work.save()
    # The first page gets a question before both, so the numbers are not simply 1 and 2.
    services.add_own_question(
        survey=survey,
        section=Section.INDICATOR,
        indicator=Indicator.objects.get(code="work"),
        type=QuestionType.AGREEMENT,
        text={"nl": "Ik zoek werk.", "en": "I am looking for work."},
    )
    first = Question.objects.get(survey=survey, text__en="I am looking for work.")
    Question.objects.filter(pk=first.pk).update(position=0)
    fits = question(survey, "My work fits what I can do.")
    fits.condition_values = ["own", "yes"]  # shown in the order of the options, not of this list
    fits.save()
    content = paper(world)
    expected = (
        "Only answer question 3 if your answer to question 2 was: Yes, I have a job / Yes, I have my own business."
    )
    assert expected in html.unescape(block(content, 3))
    assert block(content, 3).index("paper-skip") < block(content, 3).index("paper-question-text")
    assert "paper-skip" not in block(content, 1) + block(content, 2) + block(content, 4)


def test_every_choice_has_a_tick_box_with_dont_know_and_not_applicable_as_on_screen(world: World) -> None:
    survey = world.survey
    Question.objects.filter(pk=question(survey, "I often feel alone.").pk).update(allow_not_applicable=True)
    work = Indicator.objects.get(code="work")
    services.add_own_question(
        survey=survey,
        section=Section.INDICATOR,
        indicator=work,
        type=QuestionType.SCALE_10,
        text={"nl": "Cijfer", "en": "Mark"},
    )
    services.add_own_question(
        survey=survey,
        section=Section.INDICATOR,
        indicator=work,
        type=QuestionType.MULTIPLE,
        text={"nl": "Wat?", "en": "What?"},
        options=[{"value": "a", "label": {"nl": "A", "en": "Aa"}}, {"value": "b", "label": {"nl": "B", "en": "Bb"}}],
    )
    content = paper(world)
    dont_know, not_applicable = str(DONT_KNOW_LABEL), str(NOT_APPLICABLE_LABEL)
    labels = {
        number: [html.unescape(label) for label in CHOICE.findall(block(content, number))] for number in range(1, 8)
    }
    assert labels[1] == ["Yes", "No", dont_know]
    assert labels[2] == ["Not true at all", "Not true", "In between", "True", "Completely true", dont_know]
    assert labels[3] == [dont_know]  # the 0-10 scale: its points are boxes in a row, below
    assert SCALE_POINT.findall(block(content, 3)) == [str(point) for point in range(11)]
    assert "0 = very bad" in block(content, 3) and "10 = very good" in block(content, 3)
    assert "Tick one box." in block(content, 3)
    assert labels[4] == ["Aa", "Bb"] and "Tick one or more boxes." in block(content, 4)
    assert labels[5][:5] == labels[2][:5] and sorted(labels[5][5:]) == sorted([dont_know, not_applicable])
    assert labels[7] == [] and block(content, 7).count('class="paper-line"') == 6
    assert "Write your answer on the lines." in block(content, 7)
    # Every box on the page belongs to a choice (or to "I want to take part"), and none is a form field.
    boxes = content.count('<span class="box" aria-hidden="true">')
    assert boxes == sum(map(len, labels.values())) + len(SCALE_POINT.findall(content)) + 1
    assert "<input" not in content and "<textarea" not in content and "<form" not in content


def test_a_number_gets_a_box_per_digit_and_its_range_in_words(world: World) -> None:
    services.add_own_question(
        survey=world.survey,
        section=Section.BACKGROUND,
        type=QuestionType.NUMBER,
        text={"nl": "Met hoeveel mensen woon je?", "en": "How many people live in your home?"},
        min_value=1,
        max_value=20,
    )
    number = next(n for n, q in enumerate(world.survey.numbered_questions(), start=1) if q.type == "number")
    content = block(paper(world), number)
    assert content.count('class="digit-box"') == 2
    assert "Write a number from 1 to 20 in the boxes." in content


def test_a_draft_says_so_on_screen_only(world: World) -> None:
    content = paper(world)
    tools = content[content.index('<div class="paper-tools no-print"') : content.index('<div class="paper-head">')]
    assert "Draft: this survey is not published yet." in tools
    assert "Draft" not in content.replace(tools, "")
    services.publish(survey=Survey.objects.get(pk=world.survey.pk))
    assert "Draft" not in paper(world)


def test_a_language_the_survey_does_not_offer_is_404(world: World) -> None:
    client = world.client_for(world.a_editor)
    assert client.get(paper_url(world.survey, "ar")).status_code == 404
    assert client.get(paper_url(world.survey, "xx")).status_code == 404
    assert client.get(paper_url(world.survey, "en")).status_code == 200


def test_another_municipality_gets_404_and_a_partner_403_as_on_the_links_page(world: World) -> None:
    url = paper_url(world.survey, "nl")
    assert world.client_for(world.b_admin).get(url).status_code == 404
    partner = world.client_for(world.partner_user)
    links = reverse("channel_list", kwargs={"slug": world.a.slug, "public_id": world.survey.public_id})
    assert partner.get(links).status_code == 403 and partner.get(url).status_code == 403


def test_the_links_page_offers_the_paper_in_every_language_in_its_own_script(world: World) -> None:
    offer(world.survey, "ar", "ti")
    links = reverse("channel_list", kwargs={"slug": world.a.slug, "public_id": world.survey.public_id})
    content = world.client_for(world.a_viewer).get(links, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    card = content[content.index('id="paper-card-title"') :]
    for language, name, direction in (("nl", "Nederlands", "ltr"), ("ar", "العربية", "rtl"), ("ti", "ትግርኛ", "ltr")):
        assert f'href="{paper_url(world.survey, language)}"' in card
        assert f'<span lang="{language}" dir="{direction}">{name}</span>' in card


def test_the_paper_takes_as_many_queries_for_many_questions_as_for_few(world: World) -> None:
    def queries() -> int:
        client = world.client_for(world.a_viewer)
        with CaptureQueriesContext(connection) as captured:
            paper_response = client.get(paper_url(world.survey, "en"))
        assert paper_response.status_code == 200
        return len(captured)

    few = queries()
    has_work = question(world.survey, "Do you have paid work?")
    for number in range(20):  # conditional ones too: naming their condition must not cost a query each
        services.add_own_question(
            survey=world.survey,
            section=Section.BACKGROUND,
            type=QuestionType.AGREEMENT,
            text={"nl": f"Vraag {number}", "en": f"Question {number}"},
            condition_question=has_work,
            condition_values=["yes"],
        )
    assert queries() == few
