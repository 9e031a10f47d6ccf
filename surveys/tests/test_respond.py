"""The newcomer's questionnaire through the Django test client (no JavaScript)."""

from __future__ import annotations

import gzip
import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from integration_mapping.testing import World, question
from surveys import services
from surveys.models import Answer, Response, ResponseStatus, SurveyStatus
from surveys.respond import field_name


class Respondent:
    """A newcomer's browser without JavaScript: follows links and posts forms like a person would."""

    def __init__(self, language: str = "en") -> None:
        self.client = Client(HTTP_ACCEPT_LANGUAGE=language)

    def open(self, token: str):
        return self.client.get(f"/s/{token}/")

    def consent(self, answer: str = "yes"):
        page = self.client.get("/answer/").content.decode()
        key = re.search(r'name="start_key" value="([^"]+)"', page).group(1)
        return self.client.post("/answer/", {"consent": answer, "start_key": key})

    def answer(self, step: int, values: dict, action: str = "next", shown: list[str] | None = None):
        page = self.client.get(f"/answer/{step}/").content.decode()
        if shown is None:
            shown = re.findall(r'name="shown" value="([^"]+)"(?! disabled)', page)
        return self.client.post(f"/answer/{step}/", {"action": action, "shown": shown, **values})


@pytest.fixture
def open_survey(world: World) -> World:
    services.publish(survey=world.survey)
    return world


def codes(world: World) -> dict[str, str]:
    names = {
        "work": "Do you have paid work?",
        "fits": "My work fits what I can do.",
        "lonely": "I often feel alone.",
        "age": "How old are you?",
        "open": "Where are you now, and where do you want to go?",
    }
    return {key: field_name(question(world.survey, text)) for key, text in names.items()}


def complete(respondent: Respondent, world: World, *, work: str = "yes") -> None:
    q = codes(world)
    respondent.consent()
    values = {q["work"]: work, q["fits"]: "4"} if work == "yes" else {q["work"]: work}
    assert respondent.answer(1, values)["Location"] == "/answer/2/"
    assert respondent.answer(2, {q["lonely"]: "2"})["Location"] == "/answer/3/"
    assert respondent.answer(3, {q["age"]: "18-35"})["Location"] == "/answer/4/"
    assert respondent.answer(4, {q["open"]: "Ik leer Nederlands."})["Location"] == "/answer/check/"
    assert respondent.client.post("/answer/check/")["Location"] == "/answer/thanks/"


def test_public_link_redirects_to_a_url_without_the_token(open_survey: World) -> None:
    response = Respondent().open(open_survey.channel.token)
    assert response.status_code == 302 and response["Location"] == "/answer/"
    assert open_survey.channel.token not in response["Location"]
    assert response["Referrer-Policy"] == "same-origin"


def test_unknown_switched_off_and_other_survey_tokens_get_the_same_404(open_survey: World) -> None:
    other = services.create_channel(
        survey=services.copy_as_new_wave(survey=open_survey.survey, wave_label="x"), name="y"
    )
    other.active = False
    other.save()
    switched_off = services.create_channel(survey=open_survey.survey, name="off")
    switched_off.active = False
    switched_off.save()
    pages = [Respondent().open(token) for token in ("not-a-token", switched_off.token, other.token)]
    assert [page.status_code for page in pages] == [404, 404, 404]
    assert len({page.content for page in pages}) == 1


def test_declining_stores_nothing(open_survey: World) -> None:
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    page = respondent.consent("no")
    assert "not to take part" in page.content.decode()
    assert not Response.objects.exists()


def test_a_double_tap_on_consent_starts_one_response(open_survey: World) -> None:
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    page = respondent.client.get("/answer/").content.decode()
    key = re.search(r'name="start_key" value="([^"]+)"', page).group(1)
    session = respondent.client.session
    first = respondent.client.post("/answer/", {"consent": "yes", "start_key": key})
    # A second tap sent before the first answer arrived carries the same key and no response yet.
    state = session["respond"]
    state["response"] = None
    session["respond"] = state
    session.save()
    second = respondent.client.post("/answer/", {"consent": "yes", "start_key": key})
    assert first["Location"] == second["Location"] == "/answer/1/"
    assert Response.objects.count() == 1


def test_full_journey_stores_scores_and_completes_once(open_survey: World) -> None:
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    complete(respondent, open_survey)
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETED and response.channel == open_survey.channel
    scores = dict(Answer.objects.filter(score__isnull=False).values_list("question__text__en", "score"))
    assert scores == {"My work fits what I can do.": 75.0, "I often feel alone.": 75.0}
    assert respondent.client.post("/answer/check/")["Location"] == "/answer/thanks/"
    assert Response.objects.filter(status=ResponseStatus.COMPLETED).count() == 1
    assert Answer.objects.count() == 5


def test_required_question_left_empty_gets_a_summary_and_a_field_error(open_survey: World) -> None:
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    respondent.consent()
    page = respondent.answer(1, {})
    content = page.content.decode()
    assert page.status_code == 422
    assert 'id="error-summary"' in content and "Please answer this question." in content
    # The summary's link names the question it leads to, not only what is wrong.
    link = f'<a href="#id_{codes(open_survey)["work"]}_0">'
    assert f"{link}Question 1: Do you have paid work? – Please answer this question.</a>" in content


@pytest.mark.parametrize(
    ("key", "value"),
    [("lonely", "6"), ("lonely", "banana"), ("lonely", "-1")],
)
def test_tampered_values_get_a_field_error_and_are_not_stored(open_survey: World, key: str, value: str) -> None:
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    respondent.consent()
    respondent.answer(1, {codes(open_survey)["work"]: "no"})
    page = respondent.answer(2, {codes(open_survey)[key]: value})
    assert page.status_code == 422
    assert "Please choose one of the answers shown." in page.content.decode()
    assert not Answer.objects.filter(question__text__en="I often feel alone.").exists()


def test_an_open_answer_that_is_too_long_gets_an_error_that_links_the_text_box(open_survey: World) -> None:
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    respondent.consent()
    name = codes(open_survey)["open"]
    page = respondent.answer(4, {name: "x" * 3001})
    content = page.content.decode()
    assert page.status_code == 422
    assert "Your answer is too long. Please use at most 3000 characters." in content
    assert f'href="#id_{name}"' in content and f'id="id_{name}"' in content
    assert not Answer.objects.exists()


def test_a_nul_character_is_a_clear_400_and_nothing_is_stored(open_survey: World) -> None:
    """PostgreSQL refuses NUL in text with an error: it must never reach a query."""
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    respondent.consent()
    page = respondent.answer(4, {codes(open_survey)["open"]: "Ik leer\x00 Nederlands."})
    assert page.status_code == 400 and "Something went wrong" in page.content.decode()
    assert respondent.client.get("/answer/1/", {"lang": "\x00"}).status_code == 400
    assert respondent.client.get("/results/%00/").status_code == 400
    assert not Answer.objects.exists()
    # The respondent carries on as before.
    assert respondent.answer(4, {codes(open_survey)["open"]: "Ik leer Nederlands."}).status_code == 302


def is_newcomer_page(page, language: str) -> bool:
    content = page.content.decode()
    return f'<html lang="{language}"' in content and '<body class="respond">' in content and "navbar" not in content


def test_a_wrong_link_under_answer_is_the_newcomers_page_in_their_language(open_survey: World) -> None:
    ukrainian = Client(HTTP_ACCEPT_LANGUAGE="uk,en;q=0.5")
    for url in ("/answer/not-a-page/", "/answer/1/2/", "/s/%C3%A9/", "/s/a/b/"):
        page = ukrainian.get(url)
        assert page.status_code == 404 and is_newcomer_page(page, "uk"), url
        assert "Це посилання не працює" in page.content.decode()  # "This link does not work"
    assert is_newcomer_page(ukrainian.get("/answer/not-a-page/", {"lang": "tr"}), "tr")
    # A respondent who chose a language in the questionnaire keeps it.
    respondent = Respondent("en")
    respondent.open(open_survey.channel.token)
    respondent.client.post("/answer/language/", {"language": "nl"})
    assert is_newcomer_page(respondent.client.get("/answer/nope/"), "nl")
    # An address without its last "/" is still completed rather than refused.
    assert respondent.client.get("/answer/check")["Location"] == "/answer/check/"


def test_a_nul_character_on_a_newcomer_page_is_the_newcomers_400_in_their_language(open_survey: World) -> None:
    arabic = Client(HTTP_ACCEPT_LANGUAGE="ar")
    for url in ("/answer/1/?lang=%00", "/answer/%00/", "/accessibility/?x=%00", "/s/%00/"):
        page = arabic.get(url)
        assert page.status_code == 400 and is_newcomer_page(page, "ar") and 'dir="rtl"' in page.content.decode()
    assert is_newcomer_page(arabic.post("/answer/check/", {"x": "\x00"}), "ar")
    # Staff pages keep the staff's 400.
    staff = arabic.get("/accounts/login/", {"next": "\x00"})
    assert staff.status_code == 400 and "navbar" in staff.content.decode()


def test_the_skip_link_says_where_it_goes(open_survey: World) -> None:
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    assert "Skip to the content" in respondent.client.get("/answer/").content.decode()
    respondent.consent()
    step = respondent.client.get("/answer/1/").content.decode()
    assert "Skip to the questions" in step and "Skip to the content" not in step
    for url in ("/answer/check/", "/accessibility/", "/answer/nope/"):
        page = respondent.client.get(url).content.decode()
        assert "Skip to the content" in page and "Skip to the questions" not in page, url


def test_enter_in_a_field_means_next_while_back_comes_first(open_survey: World) -> None:
    """A form is sent with its first submit button when Enter is pressed in a field; the language
    buttons in the header belong to the form too and come before it."""
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    respondent.consent()
    page = respondent.client.get("/answer/1/").content.decode()
    # Every submit button on a question page belongs to its form, in document order.
    values = re.findall(r'<button[^>]*type="submit"[^>]*value="([^"]+)"', page)
    assert values[0] == "next"
    assert [value for value in values[1:] if not value.startswith("language:")] == ["back", "next"]


def test_unknown_and_foreign_question_fields_are_ignored(open_survey: World) -> None:
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    respondent.consent()
    page = respondent.answer(
        1, {codes(open_survey)["work"]: "no", "q-not-a-question": "5", "q-hoe-oud-ben-je": "18-35"}
    )
    assert page.status_code == 302
    assert list(Answer.objects.values_list("question__text__en", flat=True)) == ["Do you have paid work?"]


def test_conditional_question_appears_without_javascript(open_survey: World) -> None:
    q = codes(open_survey)
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    respondent.consent()
    first = respondent.client.get("/answer/1/").content.decode()
    assert f'id="question-{q["fits"][2:]}" hidden' in first
    page = respondent.answer(1, {q["work"]: "yes"})
    assert page.status_code == 200 and "one more question" in page.content.decode()
    assert f'id="question-{q["fits"][2:]}" hidden' not in page.content.decode()
    assert respondent.answer(1, {q["work"]: "yes", q["fits"]: "5"})["Location"] == "/answer/2/"


def test_answers_to_questions_no_longer_asked_are_removed(open_survey: World) -> None:
    q = codes(open_survey)
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    respondent.consent()
    respondent.answer(1, {q["work"]: "yes", q["fits"]: "5"})
    respondent.answer(1, {q["work"]: "no", q["fits"]: "5"}, shown=[q["work"][2:], q["fits"][2:]])
    assert not Answer.objects.filter(question__text__en="My work fits what I can do.").exists()


def test_back_keeps_valid_answers_without_insisting(open_survey: World) -> None:
    q = codes(open_survey)
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    respondent.consent()
    respondent.answer(1, {q["work"]: "no"})
    assert respondent.answer(2, {q["lonely"]: "3"}, action="back")["Location"] == "/answer/1/"
    assert Answer.objects.filter(question__text__en="I often feel alone.", number=3).exists()


def test_switching_language_keeps_the_answers(open_survey: World) -> None:
    q = codes(open_survey)
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    respondent.consent()
    response = respondent.answer(1, {q["work"]: "no"}, action="language:nl")
    assert response["Location"] == "/answer/1/"
    page = respondent.client.get("/answer/1/").content.decode()
    assert '<html lang="nl" dir="ltr">' in page and "Heb je betaald werk?" in page
    assert re.search(rf'name="{q["work"]}" value="no"[^>]*checked', page)


def test_anonymous_respondent_resumes_in_the_same_browser(open_survey: World) -> None:
    q = codes(open_survey)
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    respondent.consent()
    respondent.answer(1, {q["work"]: "no"})
    respondent.answer(2, {q["lonely"]: "1"})
    assert respondent.open(open_survey.channel.token)["Location"] == "/answer/"
    assert respondent.client.get("/answer/")["Location"] == "/answer/3/"


def test_personal_link_resumes_on_another_device_and_is_used_once(open_survey: World) -> None:
    _batch, (token,) = services.create_invitations(survey=open_survey.survey, label="brief", size=1, created_by=None)
    phone = Respondent()
    phone.open(token)
    phone.consent()
    phone.answer(1, {codes(open_survey)["work"]: "no"})
    laptop = Respondent()
    assert laptop.open(token)["Location"] == "/answer/"
    assert laptop.client.get("/answer/")["Location"] == "/answer/2/"
    complete_from = laptop.answer(2, {codes(open_survey)["lonely"]: "4"})
    assert complete_from["Location"] == "/answer/3/"
    laptop.answer(3, {})
    laptop.answer(4, {})
    laptop.client.post("/answer/check/")
    again = Respondent()
    again.open(token)
    page = again.client.get("/answer/", follow=True).content.decode()
    assert "You have already answered" in page and "Delete my answers" in page
    assert Response.objects.count() == 1


def test_respondent_deletes_own_answers_after_confirming(open_survey: World) -> None:
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    complete(respondent, open_survey)
    assert "cannot undo" in respondent.client.get("/answer/delete/").content.decode()
    respondent.client.post("/answer/delete/", {"confirm": "yes"})
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_survey_not_open_yet_and_closed_say_so(open_survey: World) -> None:
    survey = open_survey.survey
    survey.opens_on = timezone.localdate() + timedelta(days=3)
    survey.save()
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    assert "not open yet" in respondent.client.get("/answer/").content.decode()
    survey.opens_on = None
    survey.status = SurveyStatus.CLOSED
    survey.save()
    assert "questionnaire is closed" in respondent.client.get("/answer/").content.decode()
    assert not Response.objects.exists()


def test_guessing_tokens_is_throttled_without_storing_addresses(open_survey: World, settings) -> None:
    settings.RESPOND_THROTTLE = {**settings.RESPOND_THROTTLE, "link": 3}
    respondent = Respondent()
    statuses = [respondent.open(f"guess-{n}").status_code for n in range(5)]
    assert statuses == [404, 404, 404, 429, 429]
    assert respondent.open(open_survey.channel.token).status_code == 429
    stored = [f.name for f in Response._meta.get_fields()] + [f.name for f in Answer._meta.get_fields()]
    assert not any("ip" in name.lower().split("_") or "address" in name.lower() for name in stored)


def test_pages_are_in_the_chosen_language_with_the_right_direction(open_survey: World) -> None:
    survey = open_survey.survey
    survey.languages = ["nl", "en", "ar"]
    survey.save()
    respondent = Respondent(language="ar,en;q=0.5")
    respondent.open(open_survey.channel.token)
    page = respondent.client.get("/answer/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page and "bootstrap.rtl.min.css" in page


def static_size(path: str) -> int:
    found = finders.find(path.removeprefix("/static/"))
    return len(gzip.compress(Path(found).read_bytes()))


def test_questionnaire_pages_weigh_under_100_kb(open_survey: World) -> None:
    respondent = Respondent()
    respondent.open(open_survey.channel.token)
    respondent.consent()
    for url in ("/answer/", "/answer/1/", "/answer/check/"):
        html = respondent.client.get(url, follow=True).content
        assets = set(re.findall(rb'(?:href|src)="(/static/[^"]+)"', html))
        total = len(gzip.compress(html)) + sum(static_size(asset.decode()) for asset in assets)
        assert total < 100_000, (url, total)
        assert b"plotly" not in html and b"https://" not in html


@pytest.mark.django_db(transaction=True)
def test_concurrent_final_submits_complete_one_response(world_transactional: World) -> None:
    response = Response.objects.create(survey=world_transactional.survey, language="nl", start_key="k" * 24)
    results: list[bool] = []
    errors: list[Exception] = []

    def submit() -> None:
        try:
            results.append(services.submit_response(response=response, asked=set()))
        except OperationalError as error:  # SQLite refuses a second concurrent writer outright
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1
    assert Response.objects.filter(status=ResponseStatus.COMPLETED).count() == 1
    if connection.vendor == "postgresql":
        assert errors == [] and sorted(results) == [False, False, False, True]


def test_answer_labels_and_errors_speak_the_respondents_language(open_survey: World) -> None:
    from django.utils import translation

    from surveys.respond import ERRORS
    from surveys.scales import DONT_KNOW_LABEL

    survey = open_survey.survey
    survey.languages = ["nl", "en", "ar"]
    survey.save()
    for each in survey.questions.all():
        each.text = {**each.text, "ar": "سؤال"}
        each.options = [{**o, "label": {**o["label"], "ar": "خيار"}} for o in each.options]
        each.save()
    respondent = Respondent(language="ar")
    respondent.open(open_survey.channel.token)
    respondent.consent()
    respondent.answer(1, {codes(open_survey)["work"]: "no"})
    with translation.override("ar"):
        dont_know, required = str(DONT_KNOW_LABEL), str(ERRORS["invalid_choice"])
    assert dont_know != str(DONT_KNOW_LABEL)
    page = respondent.client.get("/answer/2/").content.decode()
    assert dont_know in page and "I don't know" not in page
    invalid = respondent.answer(2, {codes(open_survey)["lonely"]: "9"}).content.decode()
    assert required in invalid
