"""The paper questionnaire in Chromium: reached from the links page, accessible, and printed to A4."""

from __future__ import annotations

import os
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from integration_mapping.browser import SCREENSHOT_DIR, accessibility_violations, sign_in
from surveys.demo import WAVE
from surveys.models import Survey
from tenants.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MM = 96 / 25.4  # CSS pixels in a millimetre


def test_an_editor_opens_the_paper_from_the_links_page_and_prints_it_to_a4(page) -> None:
    call_command("seed_demo", responses=0, verbosity=0)
    survey = Survey.objects.get(municipality__slug="rivierstad", wave_label=WAVE)
    sign_in(page, "rivierstad-editor", DEMO_PASSWORD)
    page.goto(reverse("channel_list", kwargs={"slug": "rivierstad", "public_id": survey.public_id}))
    assert accessibility_violations(page) == [], page.url  # with the paper card

    page.get_by_role("link", name=re.compile(r"Paper questionnaire\W+العربية")).click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert accessibility_violations(page) == [], page.url
    numbers = page.locator(".paper-number").all_inner_texts()
    assert numbers == [f"{number}." for number in range(1, len(survey.numbered_questions()) + 1)]

    page.locator(".paper-languages").get_by_role("link", name="Nederlands").click()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert accessibility_violations(page) == [], page.url
    if os.environ.get("SCREENSHOTS") == "1":
        # The top of the first sheet: the whole questionnaire is many sheets long.
        page.screenshot(path=SCREENSHOT_DIR / "50-paper-questionnaire.png")

    page.emulate_media(media="print")
    assert not page.locator(".paper-tools").is_visible()  # the officer's bar is not printed
    box = page.locator(".paper-choice .box").first.bounding_box()
    assert box["width"] >= 8 * MM and box["height"] >= 8 * MM
    question = page.locator(".paper-question").first
    assert question.evaluate("element => getComputedStyle(element).breakInside") == "avoid"
    assert float(question.evaluate("element => getComputedStyle(element).fontSize")[:-2]) >= 16  # 12pt
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) > 1
