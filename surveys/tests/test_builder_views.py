"""The builder as an editor uses it, including every kind of bad input."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integration_mapping.testing import World, bilingual, question
from surveys import services as survey_services
from surveys.models import Answer, Invitation, Response, Survey, SurveyStatus, hash_token
from surveys.scales import QuestionType, Section


def url(world: World, name: str, **extra: str) -> str:
    return reverse(name, kwargs={"slug": world.a.slug, "public_id": world.survey.public_id, **extra})


def editor(world: World):
    client = world.client_for(world.a_editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


NEW_SURVEY = {
    "title": "Samen in Gemeente A",
    "wave_label": "Voorjaar 2027",
    "languages": ["nl", "en", "ar"],
    "base_language": "nl",
    "retention_months": "24",
    "indicators": [],
    "add_suggested": "on",
}


def test_editor_creates_a_survey_with_suggested_questions(world: World) -> None:
    from indicators.models import Indicator

    data = {**NEW_SURVEY, "indicators": list(Indicator.objects.values_list("code", flat=True))}
    response = editor(world).post(reverse("survey_create", kwargs={"slug": world.a.slug}), data)
    survey = Survey.objects.get(title__nl="Samen in Gemeente A")
    assert response.status_code == 302 and response["Location"].endswith(f"/surveys/{survey.public_id}/")
    assert survey.indicators.count() == 14
    assert survey.questions.values("indicator").distinct().count() == 15  # 14 indicators + none
    assert survey.languages == ["nl", "en", "ar"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"wave_label": ""}, "wave_label", "This field is required"),
        ({"languages": []}, "languages", "This field is required"),
        ({"base_language": "tr"}, "base_language", "must be one of the survey"),
        ({"opens_on": "2027-05-01", "closes_on": "2027-04-01"}, "closes_on", "cannot be before the opening date"),
        ({"retention_months": "0"}, "retention_months", "greater than or equal to 1"),
        ({"opens_on": "not a date"}, "opens_on", "Enter a valid date"),
    ],
)
def test_bad_survey_settings_are_refused_next_to_the_field(
    world: World, change: dict, field: str, message: str
) -> None:
    from indicators.models import Indicator

    data = {**NEW_SURVEY, "indicators": [Indicator.objects.first().code], **change}
    before = Survey.objects.count()
    response = editor(world).post(reverse("survey_create", kwargs={"slug": world.a.slug}), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Survey.objects.count() == before


def test_bad_question_input_is_refused(world: World) -> None:
    add_url = url(world, "question_add", section="background")
    client = editor(world)
    count = world.survey.questions.count()
    cases = [
        ({"type": "single", "text_base": "", "options_base": "a\nb"}, "text_base"),
        ({"type": "single", "text_base": "Kies", "options_base": "alleen een"}, "options_base"),
        ({"type": "number", "text_base": "Hoeveel?", "min_value": "10", "max_value": "2"}, "max_value"),
        ({"type": "nonsense", "text_base": "Wat?"}, "type"),
    ]
    for data, field in cases:
        response = client.post(add_url, {"allow_dont_know": "on", **data})
        assert response.status_code == 200, data
        assert field in response.context["form"].errors, data
    assert world.survey.questions.count() == count


def test_editor_writes_an_own_conditional_question(world: World) -> None:
    has_work = question(world.survey, "Do you have paid work?")
    response = editor(world).post(
        url(world, "question_add", section="indicator") + "?indicator=work",
        {
            "indicator": str(has_work.indicator_id),
            "type": "satisfaction",
            "text_base": "Hoe tevreden ben je over je werk?",
            "allow_dont_know": "on",
            "condition": [f"{has_work.code}=yes"],
        },
    )
    assert response.status_code == 302
    created = world.survey.questions.get(text__nl="Hoe tevreden ben je over je werk?")
    assert created.condition_question == has_work and created.condition_values == ["yes"]


def test_condition_on_a_later_question_is_not_offered_and_refused(world: World) -> None:
    has_work = question(world.survey, "Do you have paid work?")
    age = question(world.survey, "How old are you?")
    edit_url = url(world, "question_edit", code=has_work.code)
    page = editor(world).get(edit_url)
    assert f"{age.code}=18-35" not in dict(page.context["form"].fields["condition"].choices)
    response = editor(world).post(
        edit_url,
        {"type": "single", "text_base": "Heb je werk?", "options_base": "Ja\nNee", "condition": [f"{age.code}=18-35"]},
    )
    assert response.status_code == 200 and "condition" in response.context["form"].errors


def test_frozen_fields_of_an_answered_question_are_shown_fixed(world: World) -> None:
    target = question(world.survey, "I often feel alone.")
    response = Response.objects.create(survey=world.survey, language="nl")
    Answer.objects.create(response=response, survey=world.survey, question=target, indicator=target.indicator, number=4)
    edit_url = url(world, "question_edit", code=target.code)
    page = editor(world).get(edit_url)
    assert page.context["form"].fields["type"].disabled
    assert "already has answers" in page.content.decode()
    posted = editor(world).post(
        edit_url,
        {"type": "scale10", "indicator": str(target.indicator_id), "text_base": "Ik voel me vaak eenzaam."},
    )
    assert posted.status_code == 302
    target.refresh_from_db()
    assert target.type == "agreement" and target.text["nl"] == "Ik voel me vaak eenzaam."


def test_translations_page_and_texts_form_complete_a_language(world: World) -> None:
    world.survey.languages = ["nl", "en", "ar"]
    world.survey.save()
    client = editor(world)
    page = client.get(url(world, "survey_translations"))
    rows = {row["code"]: row for row in page.context["rows"]}
    assert rows["en"]["missing"] == [] and rows["ar"]["missing"]
    assert rows["ar"]["rtl"]
    form = client.get(url(world, "survey_texts", language="ar")).context["form"]
    data = {name: f"نص {index}" for index, name in enumerate(form.fields)}
    assert client.post(url(world, "survey_texts", language="ar"), data).status_code == 302
    world.survey.refresh_from_db()
    assert world.survey.missing_translations()["ar"] == []


def test_texts_in_the_base_language_cannot_be_emptied(world: World) -> None:
    client = editor(world)
    form = client.get(url(world, "survey_texts", language="nl")).context["form"]
    data = {name: field.initial or "" for name, field in form.fields.items()}
    first_text = next(name for name in data if name.endswith(".text"))
    data[first_text] = ""
    response = client.post(url(world, "survey_texts", language="nl"), data)
    assert response.status_code == 200 and first_text in response.context["form"].errors


def test_publish_refused_with_the_missing_list_then_accepted(world: World) -> None:
    world.survey.languages = ["nl", "en", "tr"]
    world.survey.save()
    client = editor(world)
    response = client.post(url(world, "survey_action", action="publish"), follow=True)
    assert "Türkçe is not complete" in response.content.decode()
    world.survey.refresh_from_db()
    assert world.survey.status == SurveyStatus.DRAFT
    world.survey.languages = ["nl", "en"]
    world.survey.save()
    client.post(url(world, "survey_action", action="publish"))
    world.survey.refresh_from_db()
    assert world.survey.status == SurveyStatus.OPEN


def test_unknown_action_is_404(world: World) -> None:
    assert editor(world).post(url(world, "survey_action", action="explode")).status_code == 404


def test_preview_speaks_the_chosen_language_and_direction(world: World) -> None:
    world.survey.languages = ["nl", "en", "ar"]
    world.survey.save()
    content = editor(world).get(url(world, "survey_preview", language="ar")).content.decode()
    assert '<html lang="ar" dir="rtl">' in content
    assert "bootstrap.rtl.min.css" in content
    assert editor(world).get(url(world, "survey_preview", language="tr")).status_code == 404


def test_duplicate_channel_name_is_refused(world: World) -> None:
    response = editor(world).post(url(world, "channel_list"), {"name": "VIA partner p"})
    assert response.status_code == 200
    assert "already has a channel with that name" in " ".join(response.context["form"].errors["name"])
    assert world.survey.channels.count() == 1


def test_qr_codes_are_svg_and_png_of_the_link(world: World) -> None:
    client = editor(world)
    kwargs = {"slug": world.a.slug, "channel_id": world.channel.public_id}
    svg = client.get(reverse("channel_qr", kwargs={**kwargs, "kind": "svg"}))
    png = client.get(reverse("channel_qr", kwargs={**kwargs, "kind": "png"}))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert world.channel.token.encode() in svg.content  # the title carries the link
    assert client.get(reverse("channel_qr", kwargs={**kwargs, "kind": "gif"})).status_code == 404


def test_poster_shows_the_title_in_every_language(world: World) -> None:
    content = (
        editor(world)
        .get(reverse("channel_poster", kwargs={"slug": world.a.slug, "channel_id": world.channel.public_id}))
        .content.decode()
    )
    assert "Hoe gaat het?" in content and "How are you doing?" in content
    assert world.channel.token in content and "<svg" in content


def test_invitations_download_once_as_csv(world: World) -> None:
    response = editor(world).post(url(world, "invitation_list"), {"label": "brief", "size": "20"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 21
    tokens = [row[1].rstrip("/").rsplit("/", 1)[1] for row in rows[1:]]
    assert {hash_token(token) for token in tokens} == set(Invitation.objects.values_list("token_hash", flat=True))
    page = editor(world).get(url(world, "invitation_list")).content.decode()
    assert tokens[0] not in page


@pytest.mark.parametrize("size", ["0", "10001", "many"])
def test_batch_size_out_of_range_gets_a_message(world: World, size: str) -> None:
    response = editor(world).post(url(world, "invitation_list"), {"label": "x", "size": size})
    assert response.status_code == 200 and "size" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_partner_sees_only_its_own_channels(world: World) -> None:
    from surveys.services import create_channel

    create_channel(survey=world.survey, name="via the library")
    survey_services.publish(survey=world.survey)  # a draft's links are not shown to partners at all
    client = world.client_for(world.partner_user)
    content = client.get(reverse("partner_links", kwargs={"slug": world.a.slug}), follow=True).content.decode()
    assert "via Partner P" in content and "via the library" not in content


def builder_queries(client, world: World) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(world, "survey")).status_code == 200
    return len(queries)


def test_builder_page_uses_a_fixed_number_of_queries(world: World) -> None:
    """The same count for 5 and for 50 questions: one more query per question (an N+1) fails it."""
    client = editor(world)
    client.get(url(world, "survey"))  # once, so that one-off work (session, caches) is not counted
    assert world.survey.questions.count() == 5
    with_five = builder_queries(client, world)
    has_work = question(world.survey, "Do you have paid work?")
    indicators = list(world.survey.indicators.all())
    for number in range(45):
        kind = number % 3
        survey_services.add_own_question(
            survey=world.survey,
            section=Section.INDICATOR,
            indicator=indicators[number % len(indicators)],
            type=[QuestionType.AGREEMENT, QuestionType.SINGLE, QuestionType.SCALE_10][kind],
            text=bilingual(f"Vraag {number}", f"Question {number}"),
            options=[{"value": v, "label": bilingual(v, v)} for v in ("a", "b")] if kind == 1 else [],
            condition_question=has_work if kind == 0 else None,
            condition_values=["yes"] if kind == 0 else [],
        )
    assert world.survey.questions.count() == 50
    assert builder_queries(client, world) == with_five


def test_copy_as_new_wave_from_the_page(world: World) -> None:
    response = editor(world).post(url(world, "survey_copy"), {"wave_label": "Najaar 2027"})
    copy = Survey.objects.get(wave_label="Najaar 2027")
    assert response["Location"].endswith(f"/surveys/{copy.public_id}/")
