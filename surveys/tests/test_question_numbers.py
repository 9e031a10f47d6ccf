"""One numbering of questions everywhere: builder, texts page, translations, publication, preview."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import translation

from integration_mapping.testing import World, question
from surveys.models import Survey


def url(survey: Survey, name: str, **extra: str) -> str:
    return reverse(name, kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id, **extra})


def builder_number(content: str, code: str) -> int:
    item = re.search(rf'id="question-{code}">.*?<span class="question-number">(\d+)\.</span>', content, re.S)
    return int(item.group(1))


def test_the_publication_blocker_names_the_number_the_builder_shows(world: World) -> None:
    survey = world.survey
    fits = question(survey, "My work fits what I can do.")  # the second question of the first page
    fits.text = {"nl": fits.text["nl"]}
    fits.save()
    # Questionnaire order: Work (has work, fits), Bonds (lonely), background (age), open; not by place on a page.
    with translation.override("en"):
        assert survey.missing_translations()["en"] == ["question 2: text"]
    client = world.client_for(world.a_editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    builder = client.get(url(survey, "survey")).content.decode()
    numbers = {q.text_in("en") or q.text_in("nl"): builder_number(builder, q.code) for q in survey.questions.all()}
    assert sorted(numbers.values()) == [1, 2, 3, 4, 5]
    assert numbers["Mijn werk past bij wat ik kan."] == 2
    assert numbers["I often feel alone."] == 3 and numbers["How old are you?"] == 4
    assert "English is not complete: question 2: text." in builder
    texts = client.get(url(survey, "survey_texts", language="en")).context["form"]
    assert texts.fields[f"{fits.code}.text"].label == "2. Question"
    assert texts.fields[f"{question(survey, 'How old are you?').code}.text"].label == "4. Question"
    preview = client.get(url(survey, "survey_preview", language="nl")).content.decode()
    assert re.search(r'<span class="question-number">2\.</span> Mijn werk past bij wat ik kan\.', preview)
