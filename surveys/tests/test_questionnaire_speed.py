"""How little each questionnaire request does: its queries, and the structure kept per survey version.

The world's survey has four pages: work ("Do you have paid work?", required, and "My work fits what I
can do." only for those with work), bonds ("I often feel alone."), background and open.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from indicators.models import Indicator
from integration_mapping.testing import World, bilingual, question
from surveys import services
from surveys.respond import field_name
from surveys.scales import QuestionType, Section
from surveys.structure import structure_for


def add_statements(world: World, count: int) -> None:
    """``count`` more statements on the bonds page."""
    bonds = Indicator.objects.get(code="bonds")
    for number in range(count):
        services.add_own_question(
            survey=world.survey,
            section=Section.INDICATOR,
            indicator=bonds,
            type=QuestionType.AGREEMENT,
            text=bilingual(f"Ik heb vrienden hier ({number}).", f"I have friends here ({number})."),
        )


def respondent_at_consent(world: World) -> Client:
    services.publish(survey=world.survey)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.get(f"/s/{world.channel.token}/")
    key = re.search(r'name="start_key" value="([^"]+)"', client.get("/answer/").content.decode()).group(1)
    client.post("/answer/", {"consent": "yes", "start_key": key})
    return client


def agree_with_everything(page: bytes) -> dict:
    """A Next on an agreement page: every question shown, and answered with "2"."""
    shown = re.findall(r'name="shown" value="([^"]+)"(?! disabled)', page.decode())
    return {"action": "next", "shown": shown, **{f"q-{code}": "2" for code in shown}}


def fill_in(world: World, client: Client, *, work: str = "no", open_answer: str = "") -> None:
    texts = {
        "work": "Do you have paid work?",
        "age": "How old are you?",
        "open": "Where are you now, and where do you want to go?",
    }
    names = {key: field_name(question(world.survey, text)) for key, text in texts.items()}
    shown = {key: name.removeprefix("q-") for key, name in names.items()}
    client.post("/answer/1/", {"action": "next", "shown": [shown["work"]], names["work"]: work})
    client.post("/answer/2/", agree_with_everything(client.get("/answer/2/").content))
    client.post("/answer/3/", {"action": "next", "shown": [shown["age"]], names["age"]: "18-35"})
    client.post("/answer/4/", {"action": "next", "shown": [shown["open"]], names["open"]: open_answer})


@pytest.mark.parametrize("extra", [0, 12])
def test_a_page_takes_three_queries_however_many_questions(world: World, extra: int, django_assert_num_queries) -> None:
    add_statements(world, extra)
    client = respondent_at_consent(world)
    client.get("/answer/2/")  # the first page seen in this process builds the survey's structure
    # The session, the response with its survey, the page's stored answers.
    with django_assert_num_queries(3):
        page = client.get("/answer/2/")
    assert page.status_code == 200
    assert page.content.count(b'name="shown"') == 1 + extra


@pytest.mark.parametrize("extra", [0, 12])
def test_saving_a_page_takes_eight_queries_however_many_questions(
    world: World, extra: int, django_assert_num_queries
) -> None:
    add_statements(world, extra)
    client = respondent_at_consent(world)
    form = agree_with_everything(client.get("/answer/2/").content)
    # The session, the response with its survey, the stored answer to "Do you have paid work?" that
    # another question depends on; then in one transaction (a savepoint in tests) the response's
    # UPDATE, which is also its lock, the DELETE of the page's old answers and one INSERT.
    with django_assert_num_queries(8):
        saved = client.post("/answer/2/", form)
    assert saved["Location"] == "/answer/3/"
    assert world.survey.responses.get().answers.count() == 1 + extra


def test_saving_a_page_reads_no_stored_answers_when_no_question_depends_on_another(
    world: World, django_assert_num_queries
) -> None:
    services.remove_question(question=question(world.survey, "My work fits what I can do."))
    client = respondent_at_consent(world)
    form = agree_with_everything(client.get("/answer/2/").content)
    with django_assert_num_queries(7):
        assert client.post("/answer/2/", form)["Location"] == "/answer/3/"


@pytest.mark.parametrize("extra", [0, 12])
def test_the_final_submit_takes_seven_queries_however_many_answers(
    world: World, extra: int, django_assert_num_queries
) -> None:
    add_statements(world, extra)
    client = respondent_at_consent(world)
    fill_in(world, client)
    # The session, the response with its survey, the answers that decide whether it may be sent
    # (the required and the conditional questions and the one they depend on); then the UPDATE
    # that completes it once and one INSERT … SELECT of its indicator scores, in a transaction.
    with django_assert_num_queries(7):
        sent = client.post("/answer/check/")
    assert sent["Location"] == "/answer/thanks/"
    response = world.survey.responses.get()
    assert response.status == "completed"
    assert response.indicator_scores.get().indicator.code == "bonds"


def test_editing_a_questions_text_shows_on_the_next_page(world: World) -> None:
    client = respondent_at_consent(world)
    assert b"I often feel alone." in client.get("/answer/2/").content
    lonely = question(world.survey, "I often feel alone.")
    lonely.text = {**lonely.text, "en": "I often feel lonely."}
    services.save_question(question=lonely, editor=world.a_editor)
    page = client.get("/answer/2/").content
    assert b"I often feel lonely." in page
    assert b"I often feel alone." not in page


def test_a_question_added_or_removed_shows_on_the_next_page(world: World) -> None:
    client = respondent_at_consent(world)
    client.get("/answer/2/")
    add_statements(world, 1)
    assert b"I have friends here (0)." in client.get("/answer/2/").content
    services.remove_question(question=question(world.survey, "I have friends here (0)."))
    assert b"I have friends here (0)." not in client.get("/answer/2/").content


def test_each_respondent_sees_their_own_answers(world: World) -> None:
    first, second = respondent_at_consent(world), respondent_at_consent(world)
    fill_in(world, first, work="yes", open_answer="Ik leer Nederlands.")
    fill_in(world, second, work="no")
    work = field_name(question(world.survey, "Do you have paid work?"))
    for client, answer, other in ((first, "yes", "no"), (second, "no", "yes")):
        page = client.get("/answer/1/").content.decode()
        assert re.search(rf'name="{work}" value="{answer}" id="[^"]+" checked', page)
        assert not re.search(rf'name="{work}" value="{other}" id="[^"]+" checked', page)
    first_review = first.get("/answer/check/").content.decode()
    second_review = second.get("/answer/check/").content.decode()
    assert "My work fits what I can do." in first_review
    assert "My work fits what I can do." not in second_review
    assert re.search(r"<dd>Yes\s+<a ", first_review) and not re.search(r"<dd>No\s+<a ", first_review)
    assert re.search(r"<dd>No\s+<a ", second_review) and not re.search(r"<dd>Yes\s+<a ", second_review)
    assert "Ik leer Nederlands." in first_review and "Ik leer Nederlands." not in second_review


def test_a_respondents_own_words_are_not_kept_with_the_structure(world: World) -> None:
    client = respondent_at_consent(world)
    fill_in(world, client, open_answer="Ik woon in Zwolle sinds maart.")
    assert "Ik woon in Zwolle sinds maart." in client.get("/answer/4/").content.decode()
    assert "Ik woon in Zwolle sinds maart." in client.get("/answer/check/").content.decode()
    world.survey.refresh_from_db()
    fragments = structure_for(world.survey).fragments
    assert fragments
    assert not any("Zwolle" in html for html in fragments.values())


def test_closing_the_survey_stops_a_respondent_on_the_next_page(world: World) -> None:
    client = respondent_at_consent(world)
    assert client.get("/answer/1/").status_code == 200
    services.close(survey=world.survey, by=world.a_admin)
    page = client.get("/answer/1/").content.decode()
    assert "questionnaire is closed" in page
    assert "Do you have paid work?" not in page
