from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from surveys.demo import OPEN_ANSWERS, PREVIOUS_WAVE, WAVE
from tenants.models import Membership, Municipality, PartnerOrganisation, Partnership, User

YEARS = ["less-than-1", "1-2", "3-5", "more-than-5"]


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Municipality, User, Membership, PartnerOrganisation, Partnership))


def indicator_means(survey: object, **filters: object) -> dict[str, float]:
    """The group's mean per indicator code, from the stored respondent scores as reports read them."""
    from django.db.models import Avg

    from surveys.models import IndicatorScore

    rows = IndicatorScore.objects.filter(survey=survey, **filters).values("indicator__code").annotate(mean=Avg("score"))
    return {row["indicator__code"]: row["mean"] for row in rows}


def share_positive(survey: object, code: str) -> float:
    from surveys.models import IndicatorScore

    scores = IndicatorScore.objects.filter(survey=survey, indicator__code=code)
    return scores.filter(score__gte=75).count() / scores.count()


def years_group(band: str) -> dict[str, object]:
    """Filters on IndicatorScore for the respondents in one band of years in the Netherlands."""
    return {
        "response__answers__question__bank_question__code": "years-in-netherlands",
        "response__answers__choice": band,
    }


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed_demo", responses=10)
    first = counts()
    call_command("seed_demo", responses=10)
    assert counts() == first
    assert "rivierstad-administrator" in capsys.readouterr().out


@pytest.mark.django_db
def test_seed_demo_prints_the_address_it_is_given() -> None:
    """`make run PORT=8001` passes --base-url: every address printed must be one that is served."""
    out = io.StringIO()
    call_command("seed_demo", responses=12, base_url="http://127.0.0.1:8001/", stdout=out)
    printed = out.getvalue()
    addresses = re.findall(r"https?://\S+", printed)
    # Sign in, two newcomer links, the results and the previous wave's public results.
    assert len(addresses) == 5, printed
    assert all(address.startswith("http://127.0.0.1:8001/") for address in addresses), printed
    assert "//127.0.0.1:8001/s/" in printed and "8000" not in printed


@pytest.mark.django_db
def test_seed_demo_refuses_an_address_that_is_not_a_web_address() -> None:
    with pytest.raises(CommandError, match="base-url"):
        call_command("seed_demo", responses=0, base_url="127.0.0.1:8001", stdout=io.StringIO())


@pytest.mark.django_db
def test_demo_leaves_two_blind_spots_between_the_municipality_and_two_partners() -> None:
    call_command("seed_demo", responses=10)
    rivierstad = Municipality.objects.get(slug="rivierstad")
    covered = set(rivierstad.own_indicators.values_list("code", flat=True))
    for partnership in rivierstad.partnerships.all():
        covered |= set(partnership.indicators.values_list("code", flat=True))
    assert len(covered) == 12
    assert rivierstad.partnerships.count() == 2
    assert rivierstad.vision


@pytest.mark.django_db
def test_demo_survey_is_published_in_seven_languages_with_varied_responses() -> None:
    from django.db.models import Avg

    from surveys.models import Answer, ResponseStatus, Survey, SurveyStatus

    call_command("seed_demo", responses=120)
    survey = Survey.objects.get(municipality__slug="rivierstad", wave_label=WAVE)
    assert survey.status == SurveyStatus.OPEN and survey.languages == ["nl", "en", "ar", "uk", "ti", "fa", "tr"]
    assert survey.indicators.count() == 14 and survey.channels.count() == 2
    assert survey.missing_translations() == {code: [] for code in survey.languages}
    assert survey.responses.filter(status=ResponseStatus.COMPLETED).count() == 120
    call_command("seed_demo", responses=120)
    assert survey.responses.count() == 120
    # Groups differ: newcomers who have been here longer report better language experiences.
    scores = {}
    for band in ("less-than-1", "more-than-5"):
        respondents = Answer.objects.filter(question__bank_question__code="years-in-netherlands", choice=band)
        scores[band] = Answer.objects.filter(
            response__in=respondents.values("response"), indicator__code="language-and-communication"
        ).aggregate(mean=Avg("score"))["mean"]
    assert scores["more-than-5"] > scores["less-than-1"] + 10


@pytest.mark.django_db
def test_demo_has_a_closed_previous_wave_whose_results_are_public() -> None:
    from django.test import Client
    from django.urls import reverse

    from surveys.models import ResponseStatus, Survey

    call_command("seed_demo", responses=40)
    current = Survey.objects.get(municipality__slug="rivierstad", wave_label=WAVE)
    previous = Survey.objects.get(municipality__slug="rivierstad", wave_label=PREVIOUS_WAVE)
    assert current.previous_wave == previous and previous.shows_public_results()
    assert not current.shows_public_results()  # still open
    assert previous.responses.filter(status=ResponseStatus.COMPLETED).count() == 30
    codes = {wave: set(wave.questions.values_list("code", flat=True)) for wave in (previous, current)}
    assert codes[previous] == codes[current] and len(codes[current]) > 40
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("public_results", args=[current.public_id])).content.decode()
    assert "had a good experience" not in page
    assert reverse("public_results", args=[previous.public_id]) in page


@pytest.mark.django_db
def test_seed_demo_links_a_current_wave_made_before_the_previous_one_existed() -> None:
    from surveys.models import Survey

    call_command("seed_demo", responses=0)
    Survey.objects.filter(wave_label=WAVE).update(previous_wave=None, results_public=False)
    call_command("seed_demo", responses=0)
    current = Survey.objects.get(municipality__slug="rivierstad", wave_label=WAVE)
    assert current.previous_wave.wave_label == PREVIOUS_WAVE and current.results_public


@pytest.mark.django_db
def test_demo_results_tell_a_story_a_chart_can_show() -> None:
    from django.db.models import Count

    from surveys.models import Answer, ResponseStatus, Survey

    call_command("seed_demo")  # the demo as people see it: 320 responses and 240 in the previous wave
    current = Survey.objects.get(municipality__slug="rivierstad", wave_label=WAVE)
    previous = current.previous_wave
    now, before = indicator_means(current), indicator_means(previous)
    assert len(now) == len(before) == 14
    # Indicators differ clearly: safety goes well, housing and work do not.
    for low in ("housing", "work", "stability"):
        assert now["safety"] >= now[low] + 20 and now["bonds"] >= now[low] + 20
        assert share_positive(current, low) <= 0.2
    assert share_positive(current, "safety") >= 0.4
    for means in (now, before):
        assert max(means.values()) - min(means.values()) >= 30
    for survey in (current, previous):
        completed = survey.responses.filter(status=ResponseStatus.COMPLETED).count()
        # Every band of years is big enough to show, and nobody is left in a small "no answer" group.
        bands = dict(
            Answer.objects.filter(survey=survey, question__bank_question__code="years-in-netherlands")
            .values_list("choice")
            .annotate(n=Count("response", distinct=True))
        )
        assert set(bands) == set(YEARS) and min(bands.values()) >= 30 and sum(bands.values()) == completed
        # Time in the country shows where it matters most, and a little elsewhere.
        newest = indicator_means(survey, **years_group("less-than-1"))
        longest = indicator_means(survey, **years_group("more-than-5"))
        assert longest["work"] >= newest["work"] + 15
        assert longest["language-and-communication"] >= newest["language-and-communication"] + 15
        assert longest["safety"] - newest["safety"] < longest["work"] - newest["work"]
        # A third through each channel and a third without one.
        routes = survey.responses.filter(status=ResponseStatus.COMPLETED).values("channel").annotate(n=Count("pk"))
        assert len(routes) == 3 and all(0.3 <= route["n"] / completed <= 0.37 for route in routes)
    # The language school's people are more positive about language than the welfare organisation's.
    school = indicator_means(current, response__channel__name="via Taalschool Noord")
    welfare = indicator_means(current, response__channel__name="via Welzijn Rivierstad")
    assert school["language-and-communication"] > welfare["language-and-communication"] + 3
    # The waves differ: a little better overall, clearly on housing, a little worse on safety.
    assert sum(now.values()) > sum(before.values())
    assert now["housing"] >= before["housing"] + 5 and now["safety"] < before["safety"]
    # A realistic answer mix: some "don't know", a question asked only of people with work, and
    # open answers in the respondent's language.
    scored = Answer.objects.filter(survey=current, indicator__isnull=False)
    assert 0.03 <= scored.filter(dont_know=True).count() / scored.count() <= 0.08
    fits = Answer.objects.filter(survey=current, question__bank_question__code="work-fits-skills")
    working = Answer.objects.filter(
        survey=current, question__bank_question__code="work-status", choice__in=["yes", "yes-own-business"]
    )
    assert fits.exists()
    assert set(fits.values_list("response", flat=True)) <= set(working.values_list("response", flat=True))
    quotes = Answer.objects.filter(survey=current).exclude(text="").select_related("response")
    assert quotes.count() > 50
    assert all(quote.text in OPEN_ANSWERS[quote.response.language] for quote in quotes)
