"""Every tenant-scoped page, tried by everyone who should not get in.

Each row: URL name, a function giving its keyword arguments for municipality A's objects, and the
lowest level that may open it. Add every new tenant view here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator
from integration_mapping.testing import World, question
from observations.models import Observation
from observations.services import create_observation
from surveys import services as survey_services
from surveys.models import BankQuestion, Channel, ChannelKind, Question, Survey, SurveyStatus
from tenants import services as tenant_services
from tenants.access import Level
from tenants.models import Membership, Partnership, Role, StaffInvitation


def municipality(world: World) -> dict:
    return {"slug": world.a.slug}


def survey(world: World, **extra: str) -> dict:
    return {"slug": world.a.slug, "public_id": world.survey.public_id, **extra}


def first_question(world: World) -> dict:
    return survey(world, code=world.survey.questions.first().code)


def channel(world: World, **extra: str) -> dict:
    return {"slug": world.a.slug, "channel_id": world.channel.public_id, **extra}


def open_channel(world: World, **extra: str) -> dict:
    """A channel of an open survey: partners may print posters only for links that take answers."""
    if world.survey.status != SurveyStatus.OPEN:
        survey_services.publish(survey=world.survey)
    return channel(world, **extra)


def partner(world: World) -> dict:
    return {"slug": world.a.slug, "public_id": world.partnership.partner.public_id}


def invitation(world: World) -> dict:
    existing = StaffInvitation.objects.filter(municipality=world.a, email="invited@example.org").first()
    if existing is None:
        existing, _ = tenant_services.invite(
            municipality=world.a, email="invited@example.org", role=Role.VIEWER, by=world.a_admin
        )
    return {"slug": world.a.slug, "public_id": existing.public_id}


SENT_TOKENS: dict[str, str] = {}


def remember_invitation_token(world: World) -> None:
    """Sending again makes a new link: the stored hash changes."""
    invitation(world)
    SENT_TOKENS["first"] = StaffInvitation.objects.get(email="invited@example.org").token_hash


def observation(world: World) -> dict:
    """The municipality's observation on an indicator the partner sees (so a partner gets 403, not 404)."""
    existing = Observation.objects.filter(municipality=world.a, title="Wachtlijst taalles").first()
    if existing is None:
        existing = create_observation(
            municipality=world.a,
            partner=None,
            title="Wachtlijst taalles",
            text="Veel mensen wachten maanden.",
            observed_on=timezone.localdate(),
            method="interview",
            indicators=Indicator.objects.filter(code="education"),
            by=world.a_editor,
        )
    return {"slug": world.a.slug, "public_id": existing.public_id}


def question_of(text_en: str) -> Callable[[World], dict]:
    return lambda world: survey(world, code=question(world.survey, text_en).code)


PAGES: list[tuple[str, Callable[[World], dict], Level]] = [
    ("edit_vision", municipality, Level.VIEWER),
    ("coverage", municipality, Level.VIEWER),
    ("audit_log", municipality, Level.ADMINISTRATOR),
    ("team", municipality, Level.ADMINISTRATOR),
    ("partners", municipality, Level.ADMINISTRATOR),
    ("partner_detail", partner, Level.ADMINISTRATOR),
    ("observation_list", municipality, Level.PARTNER),
    ("observation_edit", observation, Level.EDITOR),
    ("observation_delete", observation, Level.EDITOR),
    ("survey_list", municipality, Level.VIEWER),
    ("survey_create", municipality, Level.EDITOR),
    ("survey", survey, Level.VIEWER),
    ("survey_settings", survey, Level.EDITOR),
    ("survey_translations", survey, Level.VIEWER),
    ("survey_texts", lambda w: survey(w, language="en"), Level.EDITOR),
    ("survey_texts_download", lambda w: survey(w, language="en"), Level.EDITOR),
    ("survey_texts_upload", lambda w: survey(w, language="en"), Level.EDITOR),
    ("survey_preview", lambda w: survey(w, language="nl"), Level.VIEWER),
    ("survey_paper", lambda w: survey(w, language="nl"), Level.VIEWER),
    ("question_add", lambda w: survey(w, section="background"), Level.EDITOR),
    ("question_edit", first_question, Level.EDITOR),
    ("channel_list", survey, Level.VIEWER),
    ("invitation_list", survey, Level.EDITOR),
    ("channel_poster", open_channel, Level.PARTNER),
    ("channel_qr", lambda w: open_channel(w, kind="svg"), Level.PARTNER),
    ("results", survey, Level.PARTNER),
    ("results_json", survey, Level.PARTNER),
    ("results_references", survey, Level.EDITOR),
]
# Pages a partner cannot reach at all (an indicator not assigned to it answers 404, not 403): tried
# here by outsiders; by role in reports/tests/test_results_views.py.
SCOPED_PAGES: list[tuple[str, Callable[[World], dict], Level]] = [
    ("results_indicator", lambda w: survey(w, code="work"), Level.VIEWER),
    # Roles tried in observations/tests: a partner may add (on its own indicators), a viewer not.
    ("observation_create", municipality, Level.EDITOR),
]
# Pages that send each level somewhere else: the municipality home sends partners to their
# workspace, the workspace sends staff home, the old links page sends everyone to the workspace
# or home. Tried here by outsiders and anonymous; where they send each level in REDIRECTS below.
REDIRECTING_PAGES: list[tuple[str, Callable[[World], dict], Level]] = [
    ("municipality", municipality, Level.PARTNER),
    ("partner_workspace", municipality, Level.PARTNER),
    ("partner_links", municipality, Level.PARTNER),
]
# State-changing endpoints: POST only.
ACTIONS: list[tuple[str, Callable[[World], dict], Level]] = [
    ("survey_action", lambda w: survey(w, action="close"), Level.EDITOR),
    ("survey_copy", survey, Level.EDITOR),
    ("question_add_from_bank", survey, Level.EDITOR),
    ("question_move", question_of("Do you have paid work?"), Level.EDITOR),
    ("question_remove", question_of("I often feel alone."), Level.EDITOR),
    ("channel_toggle", channel, Level.EDITOR),
    ("member_role", municipality, Level.ADMINISTRATOR),
    ("member_remove", municipality, Level.ADMINISTRATOR),
    ("invitation_withdraw", invitation, Level.ADMINISTRATOR),
    ("invitation_resend", invitation, Level.ADMINISTRATOR),
    ("partner_invite", partner, Level.ADMINISTRATOR),
    ("partner_end", partner, Level.ADMINISTRATOR),
    ("observation_report", observation, Level.EDITOR),
    # Partners and editors may; viewers may not (403: surveys/tests/test_interview.py).
    ("survey_interview", survey, Level.PARTNER),
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
    "member_role": (
        lambda w: None,
        lambda w: {"member": Membership.objects.get(user=w.a_viewer, municipality=w.a).pk, "role": Role.EDITOR},
        lambda w: Membership.objects.get(user=w.a_viewer, municipality=w.a).role == Role.EDITOR,
    ),
    "member_remove": (
        lambda w: None,
        lambda w: {"member": Membership.objects.get(user=w.a_editor, municipality=w.a).pk},
        lambda w: not Membership.objects.filter(user=w.a_editor, municipality=w.a).exists(),
    ),
    "invitation_withdraw": (
        lambda w: None,
        lambda w: {},
        lambda w: StaffInvitation.objects.get(email="invited@example.org").withdrawn_at is not None,
    ),
    "invitation_resend": (
        remember_invitation_token,
        lambda w: {},
        lambda w: StaffInvitation.objects.get(email="invited@example.org").token_hash != SENT_TOKENS["first"],
    ),
    "partner_invite": (
        lambda w: None,
        lambda w: {"email": "new-partner-member@example.org"},
        lambda w: StaffInvitation.objects.filter(email="new-partner-member@example.org").exists(),
    ),
    "partner_end": (
        lambda w: None,
        lambda w: {"confirm": "on"},
        lambda w: Partnership.objects.get(pk=w.partnership.pk).ended_at is not None,
    ),
    "observation_report": (
        lambda w: None,
        lambda w: {"in_report": "1"},
        lambda w: Observation.objects.get(title="Wachtlijst taalles").in_report,
    ),
    "survey_interview": (
        lambda w: survey_services.publish(survey=w.survey),
        lambda w: {"language": "nl"},
        lambda w: Channel.objects.filter(
            survey=w.survey, kind=ChannelKind.INTERVIEW, partner=w.partnership.partner
        ).exists(),
    ),
}

USERS_BY_LEVEL = {
    Level.PARTNER: "partner_user",
    Level.VIEWER: "a_viewer",
    Level.EDITOR: "a_editor",
    Level.ADMINISTRATOR: "a_admin",
}
ALL = [pytest.param(*row, id=row[0]) for row in PAGES + ACTIONS + SCOPED_PAGES + REDIRECTING_PAGES]


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


REDIRECTS = {
    # URL name: where each level is sent (a URL name taking the municipality's slug).
    "municipality": {Level.PARTNER: "partner_workspace"},
    "partner_workspace": {
        Level.VIEWER: "municipality",
        Level.EDITOR: "municipality",
        Level.ADMINISTRATOR: "municipality",
    },
    "partner_links": {
        Level.PARTNER: "partner_workspace",
        Level.VIEWER: "municipality",
        Level.EDITOR: "municipality",
        Level.ADMINISTRATOR: "municipality",
    },
}


@pytest.mark.parametrize(("name", "kwargs", "need"), [pytest.param(*row, id=row[0]) for row in REDIRECTING_PAGES])
def test_redirecting_pages_send_each_level_to_its_own_page(
    world: World, name: str, kwargs: Callable, need: Level
) -> None:
    for level, attribute in USERS_BY_LEVEL.items():
        response = world.client_for(getattr(world, attribute)).get(reverse(name, kwargs=kwargs(world)))
        target = REDIRECTS[name].get(level)
        if target is None:
            assert response.status_code == 200, (attribute, response.status_code)
        else:
            assert response.status_code == 302, (attribute, response.status_code)
            assert response["Location"].split("#")[0] == reverse(target, kwargs={"slug": world.a.slug}), attribute
