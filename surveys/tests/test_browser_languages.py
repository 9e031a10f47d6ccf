"""Reaching every newcomer, in Chromium: a survey in Tigrinya built from the bank and published
without typing a word, and a Ukrainian translation that goes out as XLSX and comes back in."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from integration_mapping.browser import accessibility_violations, save_screenshot, sign_in
from surveys import bank
from surveys.models import Question, Survey, SurveyStatus
from tenants.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, shot: str = "") -> None:
    assert accessibility_violations(page) == [], page.url
    if shot:
        save_screenshot(page, shot)


def test_a_tigrinya_survey_from_the_bank_is_published_without_typing(page, chromium, live_server) -> None:
    call_command("seed_demo", responses=0, verbosity=0)
    sign_in(page, "rivierstad-editor", DEMO_PASSWORD)
    page.get_by_role("link", name="Surveys").click()
    page.get_by_role("link", name="New survey").click()
    for box in page.locator("input[name=languages]").all():
        box.set_checked(box.get_attribute("value") == "ti")
    page.locator("#id_base_language").select_option("ti")
    page.get_by_role("button", name="Create the survey").click()
    page.get_by_text("The survey has been created as a draft.").wait_for()
    assert page.get_by_text("Everything is ready: the survey can be published.").is_visible()
    assert page.get_by_text("Texts from the question bank that no native speaker has checked yet").is_visible()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("The survey is published and open for answers.").wait_for()
    survey = Survey.objects.get(base_language="ti")
    assert survey.status == SurveyStatus.OPEN and survey.languages == ["ti"]

    page.get_by_role("link", name="Links and QR codes").click()
    page.get_by_label("Channel name").fill("Via de moskee")
    page.get_by_role("button", name="Add the link").click()
    address = page.locator("code.channel-link").first.inner_text()
    context = chromium.new_context(viewport={"width": 360, "height": 780})
    newcomer = context.new_page()
    newcomer.goto(address)
    assert newcomer.locator("html").get_attribute("lang") == "ti"
    assert newcomer.get_by_role("heading", level=1).inner_text() == bank.standard_text("title", "ti")
    check(newcomer, "18-newcomer-tigrinya-start")
    context.close()


def test_a_ukrainian_translation_goes_out_as_xlsx_and_comes_back_in(page, tmp_path) -> None:
    call_command("seed_demo", responses=0, verbosity=0)
    survey = Survey.objects.get(municipality__slug="rivierstad", status=SurveyStatus.OPEN)
    question = next(q for q in survey.numbered_questions() if q.code == "work-status")
    sign_in(page, "rivierstad-editor", DEMO_PASSWORD)
    page.goto(f"/m/rivierstad/surveys/{survey.public_id}/translations/")
    check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Download for a translator \(XLSX\)\W+Українська")).click()
    path = tmp_path / "uk.xlsx"
    download.value.save_as(path)

    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    key, new = header.index("Key"), header.index("New translation")
    for row in sheet.iter_rows(min_row=2):
        if row[key].value == f"{question.code}.text":
            row[new].value = "Чи є у вас зараз робота, за яку платять?"
    workbook.save(path)

    page.get_by_role("link", name=re.compile(r"Upload a translation\W+Українська")).click()
    page.locator("#id_file").set_input_files(path)
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_text("Чи є у вас зараз робота, за яку платять?").wait_for()
    check(page, "52-translation-upload-preview")
    page.get_by_role("button", name="Apply these changes").click()
    page.get_by_text("1 text has been changed.").wait_for()
    question = Question.objects.get(pk=question.pk)
    assert question.text["uk"] == "Чи є у вас зараз робота, за яку платять?"
    assert "uk" not in question.unchecked_languages
    assert question.edits.filter(field="text").exists()  # published: the change is recorded
