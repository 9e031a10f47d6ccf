"""The status an officer reads is what newcomers get: scheduled before the opening date, closed
after the closing date; and the status badges are readable (WCAG AA)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from integration_mapping.testing import World
from surveys import services
from surveys.models import Survey

APP_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"


def editor(world: World):
    client = world.client_for(world.a_editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def survey_url(survey: Survey, name: str = "survey") -> str:
    return reverse(name, kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id})


def in_english(day: date) -> str:
    with translation.override("en"):
        return date_format(day)


def test_state_follows_the_dates(world: World) -> None:
    from surveys.models import SurveyState

    survey = world.survey
    june = date(2027, 6, 1)
    survey.opens_on, survey.closes_on = june, date(2027, 6, 30)
    assert survey.state(date(2027, 5, 1)).state == SurveyState.DRAFT
    services.publish(survey=survey)
    assert survey.state(date(2027, 5, 31)).state == SurveyState.SCHEDULED
    assert survey.state(date(2027, 5, 31)).day == june
    assert survey.state(june).state == SurveyState.OPEN and survey.state(date(2027, 6, 30)).state == SurveyState.OPEN
    after = survey.state(date(2027, 7, 1))
    assert after.state == SurveyState.CLOSED and after.day == date(2027, 6, 30)
    with translation.override("en"):
        assert str(survey.state(date(2027, 5, 31))) == "scheduled, opens on June 1, 2027"
        assert str(after) == "closed on June 30, 2027"


def test_closed_by_the_officer_says_since_when(world: World) -> None:
    from surveys.models import SurveyState

    services.publish(survey=world.survey)
    services.close(survey=world.survey)
    now = world.survey.state()
    assert now.state == SurveyState.CLOSED and now.day == timezone.localdate()
    services.reopen(survey=world.survey)
    assert world.survey.state().state == SurveyState.OPEN


def test_publishing_before_the_opening_date_says_scheduled_everywhere(world: World) -> None:
    survey = world.survey
    opens = timezone.localdate() + timedelta(days=30)
    survey.opens_on = opens
    survey.save()
    client = editor(world)
    published = client.post(
        reverse(
            "survey_action",
            kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id, "action": "publish"},
        ),
        follow=True,
    ).content.decode()
    label = f"scheduled, opens on {in_english(opens)}"
    assert "open for answers" not in published
    assert f"Newcomers can answer from {in_english(opens)}." in published
    assert f"newcomers can answer from {in_english(opens)}." in published  # the status box
    assert f'<span class="badge status-scheduled">{label}</span>' in published  # the survey header
    listing = client.get(reverse("survey_list", kwargs={"slug": world.a.slug})).content.decode()
    assert f'<span class="badge status-scheduled">{label}</span>' in listing
    home = client.get(reverse("municipality", kwargs={"slug": world.a.slug})).content.decode()
    assert f'<span class="badge status-scheduled">{label}</span>' in home
    results = client.get(survey_url(survey, "results")).content.decode()
    assert f'<span class="badge status-scheduled">{label}</span>' in results


def test_after_the_closing_date_the_survey_reads_closed(world: World) -> None:
    survey = world.survey
    closed = timezone.localdate() - timedelta(days=2)
    survey.opens_on, survey.closes_on = closed - timedelta(days=30), closed
    survey.save()
    services.publish(survey=survey)
    client = editor(world)
    page = client.get(survey_url(survey)).content.decode()
    assert f'<span class="badge status-closed">closed on {in_english(closed)}</span>' in page
    assert f"The survey closed on {in_english(closed)}: no new answers are accepted." in page
    assert "newcomers can answer through its links" not in page


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _full_hex(colour: str) -> str:
    named = {"#fff": "#ffffff", "#000": "#000000"}
    return named.get(colour, colour)


@pytest.mark.parametrize("state", ["draft", "scheduled", "open", "closed"])
def test_status_badges_are_defined_with_aa_contrast(state: str) -> None:
    css = APP_CSS.read_text()
    rule = re.search(rf"\.status-{state}\s*\{{([^}}]*)\}}", css)
    assert rule, f".status-{state} is not defined in app.css"
    background = _full_hex(re.search(r"background-color:\s*(#[0-9a-fA-F]{3,6})", rule.group(1)).group(1))
    colour = _full_hex(re.search(r"(?<!-)color:\s*(#[0-9a-fA-F]{3,6})", rule.group(1)).group(1))
    light, dark = sorted([_luminance(background), _luminance(colour)], reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5
