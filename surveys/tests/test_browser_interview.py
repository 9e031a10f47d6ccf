"""An officer answers the questionnaire for a newcomer in an interview, in Chromium: from the links
page through the newcomer's own pages to the thank-you page, with axe-core on the way."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from integration_mapping.browser import accessibility_violations, fill_visible_page, next_page, save_screenshot, sign_in
from surveys.demo import WAVE
from surveys.models import ChannelKind, Response, ResponseStatus, Survey
from tenants.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_enters_an_interview_from_the_links_page(page) -> None:
    call_command("seed_demo", responses=0, verbosity=0)
    survey = Survey.objects.get(municipality__slug="rivierstad", wave_label=WAVE)
    sign_in(page, "rivierstad-editor", DEMO_PASSWORD)
    page.goto(reverse("channel_list", kwargs={"slug": "rivierstad", "public_id": survey.public_id}))
    assert accessibility_violations(page) == [], page.url

    page.get_by_label("Language of the questionnaire").select_option("en")
    page.get_by_role("button", name="Start an interview or enter a paper form").click()
    page.get_by_role("button", name="Yes, I take part").click()
    banner = page.locator(".interview-banner")
    assert banner.is_visible() and "answering for a newcomer" in banner.inner_text()
    fill_visible_page(page)
    assert accessibility_violations(page) == [], page.url
    save_screenshot(page, "51-interview")
    while "/answer/check/" not in page.url:
        next_page(page)
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("heading", name="Thank you!").wait_for()
    assert accessibility_violations(page) == [], page.url

    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETED and response.channel.kind == ChannelKind.INTERVIEW
    assert response.language == "en"
    page.get_by_role("link", name="Back to the survey's links").click()
    row = page.get_by_role("row", name=response.channel.name)
    assert row.get_by_role("cell").nth(-2).inner_text() == "1"  # completed
