"""Bank questions carry their conditions; several can be added at once, back on the same page."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.contrib.messages import get_messages
from django.urls import reverse

from indicators.models import Indicator
from integration_mapping.testing import World
from surveys import services
from surveys.models import BankQuestion, Survey


def new_survey(world: World, *, suggested: bool) -> Survey:
    return services.create_survey(
        municipality=world.a,
        title="Werk",
        wave_label="Najaar 2027",
        base_language="nl",
        languages=["nl"],
        indicators=Indicator.objects.filter(code__in=["work", "bonds"]),
        add_suggested=suggested,
    )


def bank(code: str) -> BankQuestion:
    return BankQuestion.objects.get(code=code)


def editor(world: World):
    client = world.client_for(world.a_editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def add_url(survey: Survey) -> str:
    return reverse("question_add_from_bank", kwargs={"slug": survey.municipality.slug, "public_id": survey.public_id})


def test_the_bank_says_work_fits_skills_is_only_for_people_with_work(db: None) -> None:
    fits = bank("work-fits-skills")
    assert (fits.condition_code, fits.condition_values) == ("work-status", ["yes", "yes-own-business"])


def test_the_bank_conditions_migration_has_a_real_reverse(db: None) -> None:
    seeding = importlib.import_module("surveys.migrations.0006_seed_bank_conditions")
    seeding.unseed(apps, None)
    assert not BankQuestion.objects.exclude(condition_code="").exists()
    seeding.seed(apps, None)
    assert bank("work-fits-skills").condition_code == "work-status"


def test_a_bank_question_added_after_its_question_gets_the_condition(world: World) -> None:
    survey = new_survey(world, suggested=True)  # "work-status" is a suggested question
    fits = services.add_bank_question(survey=survey, bank_question=bank("work-fits-skills"))
    status = survey.questions.get(bank_question__code="work-status")
    assert fits.condition_question == status and fits.condition_values == ["yes", "yes-own-business"]
    assert fits.condition_holds({status.pk: "yes-own-business"}) and not fits.condition_holds({status.pk: "no-looking"})


def test_the_question_it_depends_on_added_later_goes_before_it_and_sets_the_condition(world: World) -> None:
    survey = new_survey(world, suggested=False)
    fits = services.add_bank_question(survey=survey, bank_question=bank("work-fits-skills"))
    assert fits.condition_question is None
    assert services.missing_dependency(survey=survey, bank_question=bank("work-fits-skills")) == bank("work-status")
    status = services.add_bank_question(survey=survey, bank_question=bank("work-status"))
    fits.refresh_from_db()
    status.refresh_from_db()
    assert fits.condition_question == status and fits.condition_values == ["yes", "yes-own-business"]
    assert status.position < fits.position
    fits.full_clean(exclude=["text"])
    assert services.missing_dependency(survey=survey, bank_question=bank("work-fits-skills")) is None


def test_a_new_survey_with_both_questions_has_the_condition(world: World) -> None:
    BankQuestion.objects.filter(code="work-fits-skills").update(suggested=True)
    survey = new_survey(world, suggested=True)
    fits = survey.questions.get(bank_question__code="work-fits-skills")
    assert fits.condition_question == survey.questions.get(bank_question__code="work-status")


def test_the_officer_is_told_and_offered_the_missing_question(world: World) -> None:
    survey = new_survey(world, suggested=False)
    client = editor(world)
    response = client.post(add_url(survey), {"code": "work-fits-skills"})
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1 and "Heb je nu betaald werk?" in warnings[0]
    builder = client.get(reverse("survey", kwargs={"slug": world.a.slug, "public_id": survey.public_id}))
    content = builder.content.decode()
    assert "Add that question, and ask this one only when it fits" in content
    assert '<input type="hidden" name="code" value="work-status">' in content
    client.post(add_url(survey), {"code": "work-status"})
    fits = survey.questions.get(bank_question__code="work-fits-skills")
    assert fits.condition_question.bank_question.code == "work-status"
    builder = client.get(reverse("survey", kwargs={"slug": world.a.slug, "public_id": survey.public_id}))
    assert "Add that question, and ask this one only when it fits" not in builder.content.decode()


def test_several_bank_questions_are_added_at_once_and_the_officer_returns_to_the_page(world: World) -> None:
    survey = new_survey(world, suggested=False)
    codes = ["work-status", "work-fits-skills", "work-satisfaction"]
    response = editor(world).post(add_url(survey), {"code": codes})
    assert response.status_code == 302 and response["Location"].endswith(f"/surveys/{survey.public_id}/#page-work")
    assert sorted(survey.questions.values_list("bank_question__code", flat=True)) == sorted(codes)
    assert survey.questions.get(bank_question__code="work-fits-skills").condition_question is not None
    builder = editor(world).get(reverse("survey", kwargs={"slug": world.a.slug, "public_id": survey.public_id}))
    content = builder.content.decode()
    assert 'id="page-work"' in content and 'type="checkbox" name="code" value="work-help-to-find"' in content


def test_adding_nothing_or_an_unknown_question_changes_nothing(world: World) -> None:
    survey = new_survey(world, suggested=False)
    client = editor(world)
    assert client.post(add_url(survey), {}).status_code == 302
    assert client.post(add_url(survey), {"code": ["work-status", "no-such-question"]}).status_code == 404
    assert not survey.questions.exists()
