"""Every tenant-scoped page, tried by everyone who should not get in.

Each row: URL name, a function giving its keyword arguments for municipality A's objects, and the
lowest level that may open it. Add every new tenant view here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from integration_mapping.testing import World, question
from surveys.models import BankQuestion, Channel, Question, Survey, SurveyStatus
from tenants.access import Level


def municipality(world: World) -> dict:
    return {"slug": world.a.slug}


def survey(world: World, **extra: str) -> dict:
    return {"slug": world.a.slug, "public_id": world.survey.public_id, **extra}


def first_question(world: World) -> dict:
    return survey(world, code=world.survey.questions.first().code)


def channel(world: World, **extra: str) -> dict:
    return {"slug": world.a.slug, "channel_id": world.channel.public_id, **extra}


def question_of(text_en: str) -> Callable[[World], dict]:
    return lambda world: survey(world, code=question(world.survey, text_en).code)


PAGES: list[tuple[str, Callable[[World], dict], Level]] = [
    ("municipality", municipality, Level.PARTNER),
    ("edit_vision", municipality, Level.ADMINISTRATOR),
    ("survey_list", municipality, Level.VIEWER),
    ("survey_create", municipality, Level.EDITOR),
    ("survey", survey, Level.VIEWER),
    ("survey_settings", survey, Level.EDITOR),
    ("survey_translations", survey, Level.VIEWER),
    ("survey_texts", lambda w: survey(w, language="en"), Level.EDITOR),
    ("survey_preview", lambda w: survey(w, language="nl"), Level.VIEWER),
    ("question_add", lambda w: survey(w, section="background"), Level.EDITOR),
    ("question_edit", first_question, Level.EDITOR),
    ("channel_list", survey, Level.VIEWER),
    ("invitation_list", survey, Level.EDITOR),
    ("partner_links", municipality, Level.PARTNER),
    ("channel_poster", channel, Level.PARTNER),
    ("channel_qr", lambda w: channel(w, kind="svg"), Level.PARTNER),
    ("results", survey, Level.PARTNER),
    ("results_json", survey, Level.PARTNER),
    ("results_references", survey, Level.EDITOR),
]
# Pages a partner cannot reach at all (an indicator not assigned to it answers 404, not 403): tried
# here by outsiders; by role in reports/tests/test_results_views.py.
SCOPED_PAGES: list[tuple[str, Callable[[World], dict], Level]] = [
    ("results_indicator", lambda w: survey(w, code="work"), Level.VIEWER),
]
# State-changing endpoints: POST only.
ACTIONS: list[tuple[str, Callable[[World], dict], Level]] = [
    ("survey_action", lambda w: survey(w, action="close"), Level.EDITOR),
    ("survey_copy", survey, Level.EDITOR),
    ("question_add_from_bank", survey, Level.EDITOR),
    ("question_move", question_of("Do you have paid work?"), Level.EDITOR),
    ("question_remove", question_of("I often feel alone."), Level.EDITOR),
    ("channel_toggle", channel, Level.EDITOR),
]


def bank_question_code(world: World) -> str:
    """A bank question of one of the survey's indicators (the test survey has none from the bank)."""
    return BankQuestion.objects.filter(indicator__code="bonds").order_by("position").first().code


def unconditional_second_question(world: World) -> None:
    """The first page then has two questions that may swap (otherwise "fits" depends on "has work")."""
    Question.objects.filter(pk=question(world.survey, "My work fits what I can do.").pk).update(
        condition_question=None, condition_values=[]
    )


# What each action does when the role allows it: (set-up, POST data, "it happened"), so that the
# 403 tests also see that the allowed role gets through and the refused ones changed nothing.
ACTION_EFFECTS: dict[str, tuple[Callable[[World], None], Callable[[World], dict], Callable[[World], bool]]] = {
    "survey_action": (
        lambda w: None,
        lambda w: {},
        lambda w: Survey.objects.get(pk=w.survey.pk).status == SurveyStatus.CLOSED,
    ),
    "survey_copy": (
        lambda w: None,
        lambda w: {"wave_label": "Najaar 2027"},
        lambda w: Survey.objects.filter(wave_label="Najaar 2027").exists(),
    ),
    "question_add_from_bank": (
        lambda w: None,
        lambda w: {"code": bank_question_code(w)},
        lambda w: w.survey.questions.filter(bank_question__isnull=False).exists(),
    ),
    "question_move": (
        unconditional_second_question,
        lambda w: {"direction": "down"},
        lambda w: (
            question(w.survey, "Do you have paid work?").position
            > question(w.survey, "My work fits what I can do.").position
        ),
    ),
    "question_remove": (
        lambda w: None,
        lambda w: {},
        lambda w: not any(q.text_in("en") == "I often feel alone." for q in w.survey.questions.all()),
    ),
    "channel_toggle": (
        lambda w: None,
        lambda w: {},
        lambda w: not Channel.objects.get(pk=w.channel.pk).active,
    ),
}

USERS_BY_LEVEL = {
    Level.PARTNER: "partner_user",
    Level.VIEWER: "a_viewer",
    Level.EDITOR: "a_editor",
    Level.ADMINISTRATOR: "a_admin",
}
ALL = [pytest.param(*row, id=row[0]) for row in PAGES + ACTIONS + SCOPED_PAGES]


@pytest.mark.parametrize(("name", "kwargs", "need"), ALL)
def test_anonymous_is_sent_to_login(world: World, name: str, kwargs: Callable, need: Level) -> None:
    url = reverse(name, kwargs=kwargs(world))
    client = world.client_for(None)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "kwargs", "need"), ALL)
@pytest.mark.parametrize("outsider", ["b_admin", "nobody"])
def test_other_tenant_gets_404(world: World, name: str, kwargs: Callable, need: Level, outsider: str) -> None:
    client = world.client_for(getattr(world, outsider))
    url = reverse(name, kwargs=kwargs(world))
    # An action refuses GET before looking anything up, the same for every tenant; a page gives 404.
    assert client.get(url).status_code == (405 if name in ACTION_EFFECTS else 404)
    assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize(("name", "kwargs", "need"), ALL)
def test_unknown_municipality_gets_the_same_404(world: World, name: str, kwargs: Callable, need: Level) -> None:
    client = world.client_for(world.a_admin)
    url = reverse(name, kwargs={**kwargs(world), "slug": "does-not-exist"})
    assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize(("name", "kwargs", "need"), [pytest.param(*row, id=row[0]) for row in PAGES])
def test_too_little_role_gets_403_and_enough_gets_in(world: World, name: str, kwargs: Callable, need: Level) -> None:
    for level, attribute in USERS_BY_LEVEL.items():
        response = world.client_for(getattr(world, attribute)).get(reverse(name, kwargs=kwargs(world)))
        expected = 200 if level >= need else 403
        assert response.status_code == expected, (attribute, response.status_code)


@pytest.mark.parametrize(("name", "kwargs", "need"), [pytest.param(*row, id=row[0]) for row in ACTIONS])
def test_actions_beyond_the_role_are_403(world: World, name: str, kwargs: Callable, need: Level) -> None:
    set_up, data, happened = ACTION_EFFECTS[name]
    set_up(world)
    url = reverse(name, kwargs=kwargs(world))
    for level, attribute in USERS_BY_LEVEL.items():
        if level < need:
            response = world.client_for(getattr(world, attribute)).post(url, data(world))
            assert response.status_code == 403, (attribute, response.status_code)
            assert not happened(world), attribute
    response = world.client_for(getattr(world, USERS_BY_LEVEL[need])).post(url, data(world))
    assert response.status_code == 302 and happened(world), (USERS_BY_LEVEL[need], response.status_code)


def test_every_action_has_its_effect_described() -> None:
    assert set(ACTION_EFFECTS) == {row[0] for row in ACTIONS}


def test_survey_of_another_municipality_is_404_even_with_the_right_slug(world: World) -> None:
    client = world.client_for(world.b_admin)
    url = reverse("survey", kwargs={"slug": world.b.slug, "public_id": world.survey.public_id})
    assert client.get(url).status_code == 404


def test_partner_of_another_organisation_cannot_open_the_channel(world: World) -> None:
    world.channel.partner = None
    world.channel.save()
    client = world.client_for(world.partner_user)
    assert client.get(reverse("channel_poster", kwargs=channel(world))).status_code == 404
