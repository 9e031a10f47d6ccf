"""The administrator downloads the figures and the answers, both formats, from the dashboard, in a
real Chromium; the XLSX is prepared in the background and followed on its page."""

from __future__ import annotations

import csv
import io
import secrets

import openpyxl
import pytest
from django.test import override_settings
from django.urls import reverse

from integration_mapping.browser import accessibility_violations, save_screenshot, sign_in
from integration_mapping.testing import PASSWORD, World, question
from surveys import services

pytestmark = pytest.mark.browser
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def download(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as handle:
        return handle.read()


@override_settings(TASKS=IMMEDIATE)
def test_administrator_downloads_figures_and_answers(page, world_transactional: World, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    world = world_transactional
    survey = world.survey
    services.publish(survey=survey)
    alone, where = (
        question(survey, "I often feel alone."),
        question(survey, "Where are you now, and where do you want to go?"),
    )
    for number in range(12):
        response = services.start_response(survey=survey, language="nl", start_key=secrets.token_urlsafe(24))
        values = {alone: 1 + number % 5, where: "=SUM(1,2)" if number == 0 else "Ik leer Nederlands."}
        services.save_answers(response=response, answers=values)
        services.submit_response(response=response, asked={q.pk for q in values})
    sign_in(page, world.a_admin.username, PASSWORD)
    page.goto(reverse("results", kwargs={"slug": world.a.slug, "public_id": survey.public_id}))

    figures_csv = download(page, page.get_by_role("link", name="CSV"))
    rows = list(csv.reader(io.StringIO(figures_csv.decode("utf-8-sig"))))
    assert next(row[:2] for row in rows if row[:2] == ["Everyone", "bonds"]) == ["Everyone", "bonds"]
    figures_xlsx = download(page, page.get_by_role("link", name="XLSX"))
    assert openpyxl.load_workbook(io.BytesIO(figures_xlsx)).active["A1"].value == "Municipality"

    page.get_by_role("link", name="The answers as a spreadsheet").click()
    assert accessibility_violations(page) == []
    answers_csv = download(page, page.get_by_role("link", name="Download as CSV"))
    answer_rows = list(csv.reader(io.StringIO(answers_csv.decode("utf-8-sig"))))
    assert len(answer_rows) == 1 + 12 and "'=SUM(1,2)" in {cell for row in answer_rows for cell in row}

    page.get_by_role("button", name="Prepare as XLSX").click()
    page.get_by_role("link", name="Download the XLSX file").wait_for()
    assert accessibility_violations(page) == []
    save_screenshot(page, "35-answers-export")
    workbook = openpyxl.load_workbook(
        io.BytesIO(download(page, page.get_by_role("link", name="Download the XLSX file")))
    )
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert workbook.active.max_row == 1 + 12
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert "=SUM(1,2)" in {cell.value for cell in cells if cell.data_type == "s"}
