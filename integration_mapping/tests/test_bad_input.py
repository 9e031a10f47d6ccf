"""Odd values in every field of every newcomer and builder page: each answer is a page or a 4xx,
never a 500. CI runs this on PostgreSQL too, which refuses some values (a NUL character) that
SQLite takes."""

from __future__ import annotations

from django.core.cache import cache

from integration_mapping.testing import World
from surveys import services
from surveys.tests.test_respond import Respondent, codes

ODD = ["", "0", "-1", "6", "1.5", "99999999999999999999", "abc", "\x00", "<script>", "dk", "🙂" * 4000]


def server_errors(answers: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    return [answer for answer in answers if answer[2] >= 500]


def test_newcomer_pages_never_answer_500(world: World) -> None:
    services.publish(survey=world.survey)
    fields = [*codes(world).values(), "q-not-a-question"]
    answers = []
    for value in ODD:
        cache.clear()  # the throttle would soon answer 429 to everything
        respondent = Respondent()
        respondent.open(world.channel.token)
        respondent.consent()
        client = respondent.client
        for step in (1, 2, 3, 4, 0, 99):
            data = {**dict.fromkeys(fields, value), "shown": [value, *codes(world)], "action": "next"}
            answers.append(("POST", f"/answer/{step}/", client.post(f"/answer/{step}/", data).status_code))
        for url in ("/answer/check/", "/answer/language/", "/answer/delete/", "/answer/again/", "/answer/"):
            data = dict.fromkeys(("consent", "start_key", "language", "next", "confirm"), value)
            answers.append(("POST", url, client.post(url, data).status_code))
        for url in (f"/s/{value}/", f"/results/{value}/", f"/results/{world.survey.public_id}/"):
            answers.append(("GET", url, client.get(url, {"lang": value}).status_code))
    assert server_errors(answers) == []


def test_builder_pages_never_answer_500(world: World) -> None:
    client = world.client_for(world.a_editor)
    base = f"/m/{world.a.slug}/surveys/{world.survey.public_id}/"
    code = world.survey.questions.first().code
    urls = [
        f"/m/{world.a.slug}/surveys/new/",
        f"/m/{world.a.slug}/vision/",
        *(base + tail for tail in ("settings/", "copy/", "links/", "invitations/", "texts/ar/", "preview/xx/")),
        *(base + tail for tail in ("questions/from-bank/", "questions/new/indicator/", "questions/new/background/")),
        *(base + f"questions/{code}/{tail}" for tail in ("", "move/", "remove/")),
        base + "action/publish/",
    ]
    fields = [
        *("title", "wave_label", "languages", "base_language", "opens_on", "closes_on", "retention_months"),
        *("indicators", "indicator", "type", "text_base", "options_base", "min_value", "max_value", "required"),
        *("condition_question", "condition_values", "name", "partner", "size", "label", "bank_question"),
        *("offset", "vision", "text_ar", "title_ar"),
    ]
    answers = []
    for value in ODD:
        for url in urls:
            answers.append(("POST", url, client.post(url, dict.fromkeys(fields, value)).status_code))
            answers.append(("GET", url, client.get(url, {"indicator": value}).status_code))
    assert server_errors(answers) == []
