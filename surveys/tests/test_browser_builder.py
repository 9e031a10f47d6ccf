"""An editor builds, translates, previews and publishes a survey, and shares it, in Chromium."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from integration_mapping.browser import accessibility_violations, save_screenshot, sign_in
from surveys.models import Survey, SurveyStatus
from tenants.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, shot: str = "") -> None:
    assert accessibility_violations(page) == [], page.url
    if shot:
        save_screenshot(page, shot)


def test_editor_builds_translates_previews_publishes_and_shares(page) -> None:
    call_command("seed_demo", responses=0, verbosity=0)
    sign_in(page, "rivierstad-editor", DEMO_PASSWORD)
    page.get_by_role("link", name="Surveys").click()
    check(page, "20-survey-list")
    page.get_by_role("link", name="New survey").click()
    page.locator("#id_title").fill("Samen wonen in Rivierstad")
    page.locator("#id_wave_label").fill("Najaar 2027")
    check(page, "21-new-survey")
    page.get_by_role("button", name="Create the survey").click()
    page.get_by_text("The survey has been created as a draft.").wait_for()
    survey = Survey.objects.get(title__nl="Samen wonen in Rivierstad")
    assert survey.languages == ["nl", "en", "ar"] and survey.questions.count() > 40
    assert page.get_by_text("English is not complete: survey title.").is_visible()
    check(page, "22-builder")

    # Add two questions from the bank to the Work page at once, back on that page; then move one up.
    work = page.locator("section.builder-page").first
    work.locator("summary").click()
    work.locator("input[name=code]").nth(0).check()
    work.locator("input[name=code]").nth(1).check()
    work.get_by_role("button", name="Add the ticked questions").click()
    page.get_by_text("2 questions have been added.").wait_for()
    assert page.url.endswith("#page-work")
    added = survey.questions.order_by("-pk").first()
    page.locator(f"#question-{added.code}").get_by_role("button", name="Up").click()
    added.refresh_from_db()
    assert added.position == survey.questions.filter(indicator=added.indicator, hidden=False).count() - 1

    page.get_by_role("link", name="Texts and translations").click()
    check(page, "23-translations")
    for language, title in (("English", "Living together in Rivierstad"), ("العربية", "العيش معًا في ريفيرستاد")):
        page.get_by_role("link", name=re.compile(rf"Edit texts\W+{language}")).click()
        page.locator("#id_title").fill(title)
        if language == "العربية":
            assert page.locator("#id_title").get_attribute("dir") == "rtl"
            check(page, "24-texts-arabic")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("The texts have been saved.").wait_for()
    assert page.locator("td .text-success").count() == 3

    page.get_by_role("link", name=re.compile(r"Preview\W+العربية")).click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_text("العيش معًا في ريفيرستاد").first.is_visible()
    check(page, "25-preview-arabic")
    page.go_back()

    page.get_by_role("link", name="Questions").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("The survey is published and open for answers.").wait_for()
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN

    page.get_by_role("link", name="Links and QR codes").click()
    page.locator("#id_name").fill("via Bibliotheek Rivierstad")
    page.get_by_role("button", name="Add the link").click()
    page.get_by_text("The channel has been added.").wait_for()
    check(page, "26-links")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"QR code \(SVG\)\W+via Bibliotheek")).click()
    svg = download_info.value.path().read_text()
    channel = survey.channels.get(name="via Bibliotheek Rivierstad")
    assert svg.startswith("<?xml") and channel.token in svg
    page.get_by_role("link", name=re.compile(r"Poster\W+via Bibliotheek")).click()
    assert page.locator(".poster-qr svg").count() == 1
    save_screenshot(page, "27-poster")
    page.go_back()

    page.get_by_role("link", name="Personal invitations").click()
    page.locator("#id_label").fill("Brief statushouders")
    page.locator("#id_size").fill("20")
    check(page, "28-invitations")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Make the links and download the file").click()
    rows = list(csv.reader(io.StringIO(download_info.value.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) == 21

    # The links open the questionnaire.
    newcomer = page.context.new_page()
    newcomer.goto(urlsplit(rows[1][1]).path)
    assert newcomer.url.endswith("/answer/")
    newcomer.get_by_role("heading", name="Living together in Rivierstad").wait_for()
