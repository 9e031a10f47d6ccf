"""The question bank and the standard texts in all seven languages, marked until a native speaker
has checked them: a survey in any of them is built and published without typing a word."""

from __future__ import annotations

from django.urls import reverse

from integration_mapping.languages import SURVEY_LANGUAGES
from integration_mapping.testing import World
from surveys import bank, services
from surveys.forms import STANDARD_CHECKED, TextsForm, text_key
from surveys.models import BankQuestion, Survey, SurveyStatus, texts_in

LANGUAGES = set(SURVEY_LANGUAGES)


def editor(world: World):
    client = world.client_for(world.a_editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_every_bank_text_is_there_in_every_language(db) -> None:
    questions = list(BankQuestion.objects.all())
    assert len(questions) > 80
    for question in questions:
        assert {code for code, text in question.text.items() if text.strip()} == LANGUAGES, question.code
        if question.help:
            assert set(question.help) == LANGUAGES, question.code
        for option in question.options:
            assert set(option["label"]) == LANGUAGES, (question.code, option["value"])


def test_hard_items_are_rewritten_in_plainer_words(db) -> None:
    texts = {question.code: question.text["nl"] for question in BankQuestion.objects.all()}
    assert (
        texts["safety-treated-badly"] != "Hoe vaak word je slecht behandeld vanwege je afkomst, geloof of huidskleur?"
    )
    assert "afkomst" not in texts["safety-treated-badly"]
    assert BankQuestion.objects.get(code="education-diplomas-count").allow_not_applicable


def test_a_survey_in_tigrinya_from_the_bank_is_published_without_typing(world: World) -> None:
    client = editor(world)
    data = {
        "title": "",
        "wave_label": "ክረምቲ 2027",
        "languages": ["ti"],
        "base_language": "ti",
        "retention_months": "24",
        "indicators": ["work", "housing", "education", "safety"],
        "add_suggested": "on",
    }
    response = client.post(reverse("survey_create", kwargs={"slug": world.a.slug}), data)
    assert response.status_code == 302
    survey = Survey.objects.get(municipality=world.a, base_language="ti")
    assert survey.title["ti"] == bank.standard_text("title", "ti")
    assert texts_in(survey.introduction, "ti") and texts_in(survey.consent, "ti")
    assert survey.questions.count() >= 4
    assert survey.publication_problems() == []
    action = reverse("survey_action", kwargs={"slug": world.a.slug, "public_id": survey.public_id, "action": "publish"})
    client.post(action)
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN
    # Published, but marked: nothing in Tigrinya was checked by a native speaker.
    assert survey.unchecked_languages == ["ti"]
    assert all("ti" in question.unchecked_languages for question in survey.questions.all())


def test_bank_questions_are_marked_unchecked_in_every_language_but_dutch(world: World) -> None:
    survey = world.survey
    work = BankQuestion.objects.get(code="work-status")
    question = services.add_bank_question(survey=survey, bank_question=work)
    assert question.unchecked_languages == sorted(LANGUAGES - {"nl"})
    assert question.text == work.text


def test_builder_and_translations_page_show_what_came_from_the_bank_unchecked(world: World) -> None:
    survey = world.survey
    survey.languages = ["nl", "en", "uk"]
    survey.save()
    services.add_bank_question(survey=survey, bank_question=BankQuestion.objects.get(code="work-status"))
    client = editor(world)
    kwargs = {"slug": world.a.slug, "public_id": survey.public_id}
    page = client.get(reverse("survey", kwargs=kwargs)).content.decode()
    assert "from the question bank" in page
    assert "not checked by a native speaker: English, Українська" in page
    translations = client.get(reverse("survey_translations", kwargs=kwargs))
    rows = {row["code"]: row for row in translations.context["rows"]}
    assert rows["nl"]["unchecked"] == []
    assert len(rows["uk"]["unchecked"]) == 1


def test_ticking_checked_or_writing_the_text_clears_the_mark_for_that_language_only(world: World) -> None:
    survey = world.survey
    survey.languages = ["nl", "en", "uk", "tr"]
    survey.save()
    status = services.add_bank_question(survey=survey, bank_question=BankQuestion.objects.get(code="work-status"))
    satisfaction = services.add_bank_question(
        survey=survey, bank_question=BankQuestion.objects.get(code="work-satisfaction")
    )
    client = editor(world)
    texts_url = reverse("survey_texts", kwargs={"slug": world.a.slug, "public_id": survey.public_id, "language": "uk"})
    form = client.get(texts_url).context["form"]
    assert text_key(status, "checked") in form.fields
    data = {name: field.initial or "" for name, field in form.fields.items() if not name.endswith(".checked")}
    data[text_key(status, "checked")] = "on"
    data[text_key(satisfaction)] = "Я задоволений своєю роботою."
    assert client.post(texts_url, data).status_code == 302
    status.refresh_from_db()
    satisfaction.refresh_from_db()
    assert "uk" not in status.unchecked_languages and "tr" in status.unchecked_languages
    assert "uk" not in satisfaction.unchecked_languages and "tr" in satisfaction.unchecked_languages
    assert satisfaction.text["uk"] == "Я задоволений своєю роботою."


def test_adding_a_language_brings_the_bank_texts_and_standard_texts_in_it(world: World) -> None:
    survey = services.create_survey(
        municipality=world.a, title="", wave_label="Voorjaar", base_language="nl", languages=["nl"], indicators=[]
    )
    question = services.add_bank_question(survey=survey, bank_question=BankQuestion.objects.get(code="work-status"))
    question.text = {"nl": question.text["nl"]}  # as copied before the bank had seven languages
    question.options = [{**option, "label": {"nl": option["label"]["nl"]}} for option in question.options]
    question.help = {"nl": question.help["nl"]}
    question.unchecked_languages = []
    question.save()
    settings_url = reverse("survey_settings", kwargs={"slug": world.a.slug, "public_id": survey.public_id})
    form = editor(world).get(settings_url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"languages": ["nl", "fa"], "retention_months": "24"})
    assert editor(world).post(settings_url, data).status_code == 302
    survey.refresh_from_db()
    question.refresh_from_db()
    assert survey.publication_problems() == []
    assert question.text["fa"] == BankQuestion.objects.get(code="work-status").text["fa"]
    assert question.unchecked_languages == ["fa"] and survey.unchecked_languages == ["fa"]
    assert question.options[0]["label"]["fa"] and question.help["fa"]
    assert survey.title["fa"] == bank.standard_text("title", "fa")


def test_wave_label_and_municipality_name_in_the_respondents_language(world: World) -> None:
    survey = world.survey
    survey.languages = ["nl", "ar"]
    survey.save()
    form = TextsForm(survey=survey, language="ar")
    assert {"wave_label", "municipality_name"} <= set(form.fields)
    assert STANDARD_CHECKED not in form.fields  # the world's texts were written by hand
    assert "wave_label" not in TextsForm(survey=survey, language="nl").fields


def test_the_start_page_names_municipality_and_wave_in_the_respondents_language(world: World) -> None:
    survey = world.survey
    survey.languages = ["nl", "ar"]
    survey.title = {**survey.title, "ar": "كيف حالك؟"}
    survey.wave_labels = {"ar": "ربيع 2027"}
    survey.status = SurveyStatus.OPEN  # only the start page matters here, not the other texts
    survey.save()
    world.a.names = {"ar": "البلدية أ"}
    world.a.save()
    client = world.client_for(None)
    client.get(reverse("respond_entry", kwargs={"token": world.channel.token}))
    arabic = client.get(reverse("respond_start") + "?lang=ar").content.decode()
    assert "البلدية أ" in arabic and "ربيع 2027" in arabic and "Gemeente A" not in arabic
    dutch = client.get(reverse("respond_start") + "?lang=nl").content.decode()
    assert "Gemeente A" in dutch and survey.wave_label in dutch and "ربيع 2027" not in dutch
