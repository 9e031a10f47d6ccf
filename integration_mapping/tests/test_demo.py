from __future__ import annotations

import pytest
from django.core.management import call_command

from surveys.demo import PREVIOUS_WAVE, WAVE
from tenants.models import Membership, Municipality, PartnerOrganisation, Partnership, User


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Municipality, User, Membership, PartnerOrganisation, Partnership))


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed_demo", responses=10)
    first = counts()
    call_command("seed_demo", responses=10)
    assert counts() == first
    assert "rivierstad-administrator" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_covers_all_fourteen_indicators_with_two_partners() -> None:
    call_command("seed_demo", responses=10)
    rivierstad = Municipality.objects.get(slug="rivierstad")
    covered = set(rivierstad.own_indicators.values_list("code", flat=True))
    for partnership in rivierstad.partnerships.all():
        covered |= set(partnership.indicators.values_list("code", flat=True))
    assert len(covered) == 14
    assert rivierstad.partnerships.count() == 2
    assert rivierstad.vision


@pytest.mark.django_db
def test_demo_survey_is_published_in_three_languages_with_varied_responses() -> None:
    from django.db.models import Avg

    from surveys.models import Answer, ResponseStatus, Survey, SurveyStatus

    call_command("seed_demo", responses=120)
    survey = Survey.objects.get(municipality__slug="rivierstad", wave_label=WAVE)
    assert survey.status == SurveyStatus.OPEN and survey.languages == ["nl", "en", "ar"]
    assert survey.indicators.count() == 14 and survey.channels.count() == 2
    assert survey.missing_translations() == {"nl": [], "en": [], "ar": []}
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
