from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from indicators.models import Indicator
from integration_mapping.testing import World, question
from surveys import services
from surveys.models import Answer, BankQuestion, Channel, Invitation, QuestionEdit, Response, SurveyStatus, hash_token
from surveys.scales import QuestionType, Section


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The services' messages are checked in English (the default language is Dutch)."""
    with translation.override("en"):
        yield


def answer(world: World, text_en: str, **values: object) -> Answer:
    target = question(world.survey, text_en)
    response = Response.objects.create(survey=world.survey, language="nl")
    return Answer.objects.create(
        response=response, survey=world.survey, question=target, indicator=target.indicator, **values
    )


@pytest.mark.django_db
def test_new_survey_starts_with_the_suggested_bank_questions_of_its_indicators(world: World) -> None:
    chosen = Indicator.objects.filter(code__in=["housing", "safety"])
    survey = services.create_survey(
        municipality=world.a, title="T", wave_label="W", base_language="nl", languages=["nl"], indicators=chosen
    )
    expected = BankQuestion.objects.filter(suggested=True).exclude(section=Section.INDICATOR).count()
    expected += BankQuestion.objects.filter(suggested=True, indicator__in=chosen).count()
    assert survey.questions.count() == expected
    assert set(survey.questions.filter(section=Section.INDICATOR).values_list("indicator__code", flat=True)) == {
        "housing",
        "safety",
    }


def test_fully_translated_survey_publishes(world: World) -> None:
    services.publish(survey=world.survey)
    world.survey.refresh_from_db()
    assert world.survey.status == SurveyStatus.OPEN
    assert world.survey.accepts_responses()


def test_publishing_lists_every_missing_translation(world: World) -> None:
    target = question(world.survey, "I often feel alone.")
    target.text = {"nl": target.text["nl"]}
    target.save()
    with pytest.raises(ValidationError) as error:
        services.publish(survey=world.survey)
    assert "English is not complete" in error.value.messages[0]
    world.survey.refresh_from_db()
    assert world.survey.status == SurveyStatus.DRAFT


def test_publishing_with_no_questions_is_refused(world: World) -> None:
    world.survey.questions.all().update(condition_question=None)
    world.survey.questions.all().delete()
    with pytest.raises(ValidationError, match="no questions"):
        services.publish(survey=world.survey)


def test_answered_question_keeps_its_meaning(world: World) -> None:
    answer(world, "I often feel alone.", number=4, score=25)
    target = question(world.survey, "I often feel alone.")
    target.type = QuestionType.SCALE_10
    with pytest.raises(ValidationError, match="already has answers"):
        services.save_question(question=target, editor=world.a_editor)
    target.refresh_from_db()
    assert target.type == QuestionType.AGREEMENT


def test_answered_choice_question_keeps_its_options(world: World) -> None:
    answer(world, "Do you have paid work?", choice="yes")
    target = question(world.survey, "Do you have paid work?")
    target.options = [*target.options, {"value": "maybe", "label": {"nl": "Misschien", "en": "Maybe"}}]
    with pytest.raises(ValidationError):
        services.save_question(question=target, editor=world.a_editor)


def test_text_edits_of_a_published_survey_are_recorded(world: World) -> None:
    services.publish(survey=world.survey)
    target = question(world.survey, "I often feel alone.")
    target.text = {**target.text, "en": "I often feel lonely."}
    services.save_question(question=target, editor=world.a_editor)
    edit = QuestionEdit.objects.get(question=target)
    assert edit.before["en"] == "I often feel alone." and edit.after["en"] == "I often feel lonely."
    assert edit.edited_by == world.a_editor


def test_removing_an_answered_question_hides_it(world: World) -> None:
    answer(world, "I often feel alone.", number=2, score=75)
    target = question(world.survey, "I often feel alone.")
    assert services.remove_question(question=target) == "hidden"
    target.refresh_from_db()
    assert target.hidden and target.answers.count() == 1
    assert target not in world.survey.visible_questions()


def test_removing_an_unanswered_question_deletes_it(world: World) -> None:
    target = question(world.survey, "I often feel alone.")
    assert services.remove_question(question=target) == "deleted"
    assert not world.survey.questions.filter(pk=target.pk).exists()


def test_a_question_others_depend_on_cannot_be_removed(world: World) -> None:
    with pytest.raises(ValidationError, match="depend"):
        services.remove_question(question=question(world.survey, "Do you have paid work?"))


def test_moving_a_question_before_its_condition_is_refused(world: World) -> None:
    dependent = question(world.survey, "My work fits what I can do.")
    with pytest.raises(ValidationError, match="depends on"):
        services.move_question(question=dependent, offset=-1)


def test_moving_swaps_neighbours(world: World) -> None:
    first = question(world.survey, "Do you have paid work?")
    second = question(world.survey, "My work fits what I can do.")
    second.condition_question, second.condition_values = None, []
    second.save()
    services.move_question(question=second, offset=-1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.position < first.position


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        ("itself", "cannot depend on itself"),
        ("other survey", "must be a question of this survey"),
        ("later", "only depend on an earlier question"),
        ("not single choice", "only depend on a one-choice question"),
        ("unknown value", "Choose one or more answers"),
        ("no value", "Choose one or more answers"),
    ],
)
def test_invalid_conditions_are_refused(world: World, problem: str, message: str) -> None:
    """Each case breaks one rule only (apart from "itself", which is also later than itself), and
    the message names that rule: deleting any one rule from condition_error fails its case."""
    has_work = question(world.survey, "Do you have paid work?")
    fits = question(world.survey, "My work fits what I can do.")
    age = question(world.survey, "How old are you?")  # one choice, in the background section: later
    several = question(world.survey, "Do you have paid work?")
    several.type = QuestionType.MULTIPLE  # same options and place, but several choices
    other_wave = services.copy_as_new_wave(survey=world.survey, wave_label="Najaar 2027")
    target, condition, values = {
        "itself": (has_work, has_work, ["yes"]),
        "other survey": (fits, question(other_wave, "Do you have paid work?"), ["yes"]),
        "later": (has_work, age, ["18-35"]),
        "not single choice": (fits, several, ["yes"]),
        "unknown value": (fits, has_work, ["perhaps"]),
        "no value": (fits, has_work, []),
    }[problem]
    target.condition_question, target.condition_values = condition, values
    with pytest.raises(ValidationError, match=message):
        target.full_clean()


def test_a_valid_condition_is_accepted(world: World) -> None:
    fits = question(world.survey, "My work fits what I can do.")
    fits.condition_question, fits.condition_values = question(world.survey, "Do you have paid work?"), ["yes", "no"]
    fits.full_clean()


def test_conditions_decide_whether_a_question_is_asked(world: World) -> None:
    has_work = question(world.survey, "Do you have paid work?")
    fits = question(world.survey, "My work fits what I can do.")
    assert fits.condition_holds({has_work.pk: "yes"})
    assert not fits.condition_holds({has_work.pk: "no"})
    assert not fits.condition_holds({})


def test_copy_as_new_wave_keeps_codes_conditions_and_channels(world: World) -> None:
    copy = services.copy_as_new_wave(survey=world.survey, wave_label="Najaar 2027")
    assert copy.status == SurveyStatus.DRAFT and copy.previous_wave == world.survey
    assert sorted(copy.questions.values_list("code", flat=True)) == sorted(
        world.survey.questions.values_list("code", flat=True)
    )
    fits = question(copy, "My work fits what I can do.")
    assert fits.condition_question.survey == copy and fits.condition_values == ["yes"]
    assert copy.channels.get().name == "via Partner P"
    assert copy.channels.get().token != world.channel.token


def test_channel_token_is_long_random_and_stored_only_hashed(world: World) -> None:
    token = world.channel.token
    assert len(token) >= 22  # 18 random-looking bytes, base64: well over 128 bits
    stored = Channel.objects.filter(pk=world.channel.pk).values().get()
    assert token not in str(stored)
    assert stored["token_hash"] == hash_token(token)


def test_invitation_tokens_are_returned_once_and_stored_hashed(world: World) -> None:
    batch, tokens = services.create_invitations(survey=world.survey, label="brief", size=25, created_by=world.a_editor)
    assert len(tokens) == len(set(tokens)) == 25
    assert all(len(token) >= 22 for token in tokens)
    hashes = set(Invitation.objects.filter(batch=batch).values_list("token_hash", flat=True))
    assert hashes == {hash_token(token) for token in tokens}
    assert not any(token in hashes for token in tokens)


@pytest.mark.parametrize("size", [0, 10_001])
def test_batch_size_out_of_range_is_refused(world: World, size: int) -> None:
    with pytest.raises(ValidationError):
        services.create_invitations(survey=world.survey, label="x", size=size, created_by=None)
    assert not world.survey.batches.exists()
