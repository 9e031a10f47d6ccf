"""A translator's round trip: the texts of one language go out as XLSX and come back in, checked as
a whole, previewed, and applied all at once or not at all."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator
from integration_mapping.testing import World, build_survey, question
from surveys import services
from surveys.forms import TextsForm
from surveys.models import Question, QuestionEdit, Survey
from surveys.translation_files import MAX_BYTES

KEY, NEW = 1, 5  # columns of the texts sheet, counted from 1 as openpyxl does


def url(survey: Survey, name: str, **extra: str) -> str:
    return reverse(name, kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id, **extra})


def bank_survey(world: World, languages: list[str]) -> Survey:
    return services.create_survey(
        municipality=world.a,
        title="Hoe is het leven hier?",
        wave_label="Najaar 2027",
        base_language="nl",
        languages=languages,
        indicators=Indicator.objects.filter(code__in=["work", "bonds"]),
    )


def download(client: Client, survey: Survey, language: str) -> openpyxl.Workbook:
    response = client.get(url(survey, "survey_texts_download", language=language))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def fill(workbook: openpyxl.Workbook, texts: dict[str, str]) -> SimpleUploadedFile:
    sheet = workbook.worksheets[0]
    for row in range(2, sheet.max_row + 1):
        key = sheet.cell(row, KEY).value
        if key in texts:
            sheet.cell(row, NEW).value = texts[key]
    return as_upload(workbook)


def as_upload(workbook: openpyxl.Workbook) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("translation.xlsx", buffer.getvalue())


def upload(client: Client, survey: Survey, language: str, file: SimpleUploadedFile) -> HttpResponse:
    return client.post(url(survey, "survey_texts_upload", language=language), {"file": file})


def stored_texts(survey: Survey) -> list:
    """Every stored text of the survey and its questions, to see that a refusal changed nothing."""
    survey = Survey.objects.get(pk=survey.pk)
    questions = survey.questions.order_by("pk").values_list("text", "help", "options", "unchecked_languages")
    return [survey.title, survey.introduction, survey.consent, survey.wave_labels, list(questions)]


def assert_refused(response: HttpResponse, message: str, survey: Survey, before: list) -> None:
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing has been changed" in response.content.decode()
    assert stored_texts(survey) == before
    assert not QuestionEdit.objects.exists()


@pytest.fixture
def editor(world: World) -> Client:
    client = world.client_for(world.a_editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_ukrainian_translation_goes_out_as_xlsx_and_comes_back_in(world: World, editor: Client) -> None:
    survey = bank_survey(world, ["nl", "en", "uk"])
    form = TextsForm(survey=survey, language="uk")
    response = editor.get(url(survey, "survey_texts_download", language="uk"))
    filename = rf'attachment; filename="hoe-is-het-leven-hier-uk-{survey.public_id}-\d{{4}}-\d\d-\d\d\.xlsx"'
    assert re.fullmatch(filename, response["Content-Disposition"])
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("Key", "Where", "Text in Nederlands", "Current translation", "New translation")
    keys = [row[0] for row in rows[1:]]
    # Every text, in questionnaire order; flags such as "checked by a native speaker" stay on the page.
    assert keys == [name for name, field in form.fields.items() if isinstance(field, forms.CharField)]
    assert any(isinstance(field, forms.BooleanField) for field in form.fields.values())
    first = survey.numbered_questions()[0]
    dutch = first.text["nl"]
    assert rows[keys.index(f"{first.code}.text") + 1][1:4] == ("1. Question", first.text["nl"], first.text_in("uk"))
    about = dict(workbook.worksheets[1].iter_rows(max_col=2, values_only=True))
    assert about["Survey ID"] == survey.public_id and about["Language code"] == "uk"

    translated = {key: f"Переклад {number}" for number, key in enumerate(keys)}
    preview = upload(editor, survey, "uk", fill(workbook, translated))
    assert preview.status_code == 200
    changes = preview.context["changes"]
    assert {change.key: change.after for change in changes} == translated
    assert "Apply these changes" in preview.content.decode()
    assert Survey.objects.get(pk=survey.pk).title.get("uk") != translated["title"]  # nothing stored yet

    confirmed = editor.post(url(survey, "survey_texts_upload", language="uk"), {"payload": preview.context["payload"]})
    assert confirmed.status_code == 302 and confirmed["Location"] == url(survey, "survey_translations")
    survey.refresh_from_db()
    assert survey.title["uk"] == translated["title"] and survey.title["nl"] == "Hoe is het leven hier?"
    assert survey.introduction["uk"] == translated["introduction"]
    first.refresh_from_db()
    assert first.text["uk"] == translated[f"{first.code}.text"] and first.text["nl"] == dutch
    option = first.options[0]
    assert option["label"]["uk"] == translated[f"{first.code}.option.{option['value']}"]
    assert survey.missing_translations()["uk"] == []
    assert not QuestionEdit.objects.exists()  # a draft's texts are not yet relied on


def test_after_publishing_a_text_changed_by_file_is_recorded(world: World, editor: Client) -> None:
    survey = world.survey
    services.publish(survey=survey)
    has_work = question(survey, "Do you have paid work?")
    workbook = download(editor, survey, "en")
    preview = upload(editor, survey, "en", fill(workbook, {f"{has_work.code}.text": "Do you have a paid job?"}))
    [change] = preview.context["changes"]
    assert (change.label, change.before, change.after) == (
        "1. Question",
        "Do you have paid work?",
        "Do you have a paid job?",
    )
    editor.post(url(survey, "survey_texts_upload", language="en"), {"payload": preview.context["payload"]})
    has_work.refresh_from_db()
    assert has_work.text == {"nl": "Heb je betaald werk?", "en": "Do you have a paid job?"}
    [edit] = QuestionEdit.objects.all()
    assert (edit.question, edit.field, edit.edited_by) == (has_work, "text", world.a_editor)
    assert edit.before["en"] == "Do you have paid work?" and edit.after["en"] == "Do you have a paid job?"


def test_a_text_whose_row_was_removed_from_the_file_keeps_its_value(world: World, editor: Client) -> None:
    workbook = download(editor, world.survey, "en")
    sheet = workbook.worksheets[0]
    [row] = [number for number in range(2, sheet.max_row + 1) if sheet.cell(number, KEY).value == "introduction"]
    sheet.delete_rows(row)
    preview = upload(editor, world.survey, "en", fill(workbook, {"title": "How is it going here?"}))
    editor.post(url(world.survey, "survey_texts_upload", language="en"), {"payload": preview.context["payload"]})
    world.survey.refresh_from_db()
    assert world.survey.title["en"] == "How is it going here?"
    assert world.survey.introduction == {"nl": "Welkom.", "en": "Welcome."}


def test_a_file_sent_back_unchanged_changes_nothing(world: World, editor: Client) -> None:
    response = upload(editor, world.survey, "en", as_upload(download(editor, world.survey, "en")))
    assert response.status_code == 200 and response.context["changes"] == []
    assert "The file changes nothing" in response.content.decode()
    assert "Apply these changes" not in response.content.decode()


def test_right_to_left_texts_are_written_right_to_left(world: World, editor: Client) -> None:
    world.survey.languages = ["nl", "en", "ar"]
    world.survey.save()
    sheet = download(editor, world.survey, "ar").worksheets[0]
    assert sheet.cell(2, NEW).alignment.readingOrder == 2
    assert sheet.cell(2, 3).alignment.readingOrder != 2  # the Dutch text stays left to right
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Key;New translation\ntitle;Hallo\n", "could not be read as an Excel file"),
        (b"PK\x03\x04 broken", "could not be read as an Excel file"),
        (b"x" * (MAX_BYTES + 1), "The file is too large"),
    ],
    ids=["csv", "broken-zip", "too-large"],
)
def test_a_file_that_is_no_xlsx_is_refused(world: World, editor: Client, content: bytes, message: str) -> None:
    before = stored_texts(world.survey)
    response = upload(editor, world.survey, "en", SimpleUploadedFile("translation.xlsx", content))
    assert_refused(response, message, world.survey, before)


def test_a_zip_that_unpacks_to_too_much_is_refused_before_it_is_read(world: World, editor: Client) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<" * (30 * 1024 * 1024))
    assert len(buffer.getvalue()) < MAX_BYTES
    before = stored_texts(world.survey)
    response = upload(editor, world.survey, "en", SimpleUploadedFile("translation.xlsx", buffer.getvalue()))
    assert_refused(response, "too much data", world.survey, before)


def test_a_file_of_another_survey_is_refused(world: World, editor: Client) -> None:
    other = build_survey(world.a)
    workbook = download(editor, other, "en")
    key = f"{question(world.survey, 'Do you have paid work?').code}.text"  # the same key in both surveys
    assert key in [row[0] for row in workbook.worksheets[0].iter_rows(values_only=True)]
    before = stored_texts(world.survey)
    response = upload(editor, world.survey, "en", fill(workbook, {key: "Do you have a job?"}))
    assert_refused(response, "This file belongs to another survey.", world.survey, before)


def test_a_file_of_another_language_is_refused(world: World, editor: Client) -> None:
    workbook = download(editor, world.survey, "nl")
    before = stored_texts(world.survey)
    response = upload(editor, world.survey, "en", fill(workbook, {"title": "Hoe gaat het nu?"}))
    assert_refused(response, "This file holds texts in Nederlands, not in English.", world.survey, before)


def test_a_file_without_its_survey_and_language_is_refused(world: World, editor: Client) -> None:
    workbook = download(editor, world.survey, "en")
    workbook.remove(workbook.worksheets[1])
    before = stored_texts(world.survey)
    response = upload(editor, world.survey, "en", fill(workbook, {"title": "How is it going?"}))
    assert_refused(response, "This is not a translation file of this site.", world.survey, before)


def set_key(workbook: openpyxl.Workbook, row: int, key: str, text: str) -> None:
    workbook.worksheets[0].cell(row, KEY).value = key
    workbook.worksheets[0].cell(row, NEW).value = text


def test_an_unknown_key_is_refused(world: World, editor: Client) -> None:
    workbook = download(editor, world.survey, "en")
    set_key(workbook, 2, "no-such-question.text", "A question that is not there")
    before = stored_texts(world.survey)
    response = upload(editor, world.survey, "en", fill(workbook, {"introduction": "Hello."}))
    assert_refused(
        response, "Row 2: the key “no-such-question.text” is not a text of this survey.", world.survey, before
    )


def test_a_key_twice_is_refused(world: World, editor: Client) -> None:
    workbook = download(editor, world.survey, "en")
    sheet = workbook.worksheets[0]
    set_key(workbook, sheet.max_row + 1, "title", "Another title")
    before = stored_texts(world.survey)
    response = upload(editor, world.survey, "en", fill(workbook, {"title": "How is it going?"}))
    assert_refused(response, f"Row {sheet.max_row}: the key “title” is already on row 2.", world.survey, before)


def test_a_formula_cell_is_refused(world: World, editor: Client) -> None:
    workbook = download(editor, world.survey, "en")
    sheet = workbook.worksheets[0]
    sheet.cell(2, NEW).value = '=HYPERLINK("https://example.org","Click")'
    assert sheet.cell(2, NEW).data_type == "f"
    before = stored_texts(world.survey)
    response = upload(editor, world.survey, "en", as_upload(workbook))
    assert_refused(response, "Row 2: cell E2 holds a formula", world.survey, before)


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1:A3)", "@cmd(1)", "-A1+2"])
def test_a_text_that_starts_like_a_formula_is_refused(world: World, editor: Client, text: str) -> None:
    workbook = download(editor, world.survey, "en")
    sheet = workbook.worksheets[0]
    sheet.cell(2, NEW).value = text
    sheet.cell(2, NEW).data_type = "s"  # stored as text, not as a formula
    before = stored_texts(world.survey)
    response = upload(editor, world.survey, "en", as_upload(workbook))
    assert_refused(response, "a text cannot start like a formula", world.survey, before)


def test_a_list_item_may_start_with_a_dash(world: World, editor: Client) -> None:
    workbook = download(editor, world.survey, "en")
    response = upload(editor, world.survey, "en", fill(workbook, {"introduction": "- work\n- housing"}))
    assert response.status_code == 200
    assert [change.after for change in response.context["changes"]] == ["- work\n- housing"]


def test_a_text_too_long_for_its_field_is_refused(world: World, editor: Client) -> None:
    key = f"{question(world.survey, 'Do you have paid work?').code}.text"
    workbook = download(editor, world.survey, "en")
    before = stored_texts(world.survey)
    response = upload(editor, world.survey, "en", fill(workbook, {key: "x" * 501}))
    assert_refused(response, "the new translation has 501 characters; at most 500 fit.", world.survey, before)


def test_every_problem_is_listed_at_once_and_nothing_is_applied(world: World, editor: Client) -> None:
    key = f"{question(world.survey, 'Do you have paid work?').code}.text"
    workbook = download(editor, world.survey, "en")
    set_key(workbook, workbook.worksheets[0].max_row + 1, "no-such.text", "Hello")
    workbook.worksheets[0].cell(3, NEW).value = "=2*3"
    before = stored_texts(world.survey)
    response = upload(editor, world.survey, "en", fill(workbook, {"title": "A good new title", key: "y" * 600}))
    assert_refused(response, "is not a text of this survey", world.survey, before)
    content = response.content.decode()
    assert "holds a formula" in content and "at most 500 fit" in content


def test_posting_without_a_file_is_refused(world: World, editor: Client) -> None:
    response = editor.post(url(world.survey, "survey_texts_upload", language="en"), {})
    assert response.status_code == 400 and "Choose the filled-in file" in response.content.decode()


def preview_payload(editor: Client, survey: Survey, texts: dict[str, str]) -> str:
    response = upload(editor, survey, "en", fill(download(editor, survey, "en"), texts))
    assert response.status_code == 200 and response.context["changes"]
    return response.context["payload"]


def test_a_tampered_preview_is_refused(world: World, editor: Client) -> None:
    payload = preview_payload(editor, world.survey, {"title": "A new title"})
    before = stored_texts(world.survey)
    confirm = url(world.survey, "survey_texts_upload", language="en")
    tampered = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    assert_refused(
        editor.post(confirm, {"payload": tampered}), "This preview can no longer be applied", world.survey, before
    )
    # Nor is the preview of another survey, even one whose texts are the same.
    twin = build_survey(world.a)
    twin_before = stored_texts(twin)
    response = editor.post(url(twin, "survey_texts_upload", language="en"), {"payload": payload})
    assert_refused(response, "This preview can no longer be applied", twin, twin_before)


def test_a_preview_is_not_applied_when_the_texts_changed_meanwhile(world: World, editor: Client) -> None:
    payload = preview_payload(editor, world.survey, {"title": "A new title"})
    world.survey.introduction = {**world.survey.introduction, "en": "Welcome, written on the texts page."}
    world.survey.save()
    before = stored_texts(world.survey)
    response = editor.post(url(world.survey, "survey_texts_upload", language="en"), {"payload": payload})
    assert_refused(response, "The texts have changed since the file was uploaded", world.survey, before)


def test_a_viewer_can_neither_download_nor_upload(world: World) -> None:
    viewer = world.client_for(world.a_viewer)
    survey = world.survey
    assert viewer.get(url(survey, "survey_texts_download", language="en")).status_code == 403
    assert viewer.get(url(survey, "survey_texts_upload", language="en")).status_code == 403
    file = as_upload(download(world.client_for(world.a_editor), survey, "en"))
    assert upload(viewer, survey, "en", file).status_code == 403
    translations = viewer.get(url(survey, "survey_translations")).content.decode()
    assert url(survey, "survey_texts_download", language="en") not in translations
    editor_page = world.client_for(world.a_editor).get(url(survey, "survey_translations")).content.decode()
    assert url(survey, "survey_texts_download", language="en") in editor_page
    assert url(survey, "survey_texts_upload", language="en") in editor_page


def test_another_municipality_gets_404(world: World) -> None:
    outsider = world.client_for(world.b_admin)
    assert outsider.get(url(world.survey, "survey_texts_download", language="en")).status_code == 404
    assert outsider.get(url(world.survey, "survey_texts_upload", language="en")).status_code == 404
    file = as_upload(download(world.client_for(world.a_editor), world.survey, "en"))
    assert upload(outsider, world.survey, "en", file).status_code == 404


def test_a_language_the_survey_is_not_offered_in_is_404(world: World, editor: Client) -> None:
    assert editor.get(url(world.survey, "survey_texts_download", language="uk")).status_code == 404
    assert editor.get(url(world.survey, "survey_texts_upload", language="uk")).status_code == 404


def test_a_failure_while_saving_applies_nothing(world: World, editor: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    codes = [q.code for q in world.survey.numbered_questions()]
    payload = preview_payload(editor, world.survey, {f"{code}.text": f"Question {code}?" for code in codes})
    saved = []

    def save_then_fail(*, question: Question, editor: object) -> Question:
        if saved:
            raise ValidationError("The database said no.")
        saved.append(question)
        return original(question=question, editor=editor)

    original = services.save_question
    monkeypatch.setattr(services, "save_question", save_then_fail)
    before = stored_texts(world.survey)
    response = editor.post(url(world.survey, "survey_texts_upload", language="en"), {"payload": payload})
    assert saved and response.status_code == 400
    assert_refused(response, "The database said no.", world.survey, before)
