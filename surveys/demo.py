"""The demo survey and its synthetic responses (used by ``manage.py seed_demo``).

Responses are written through the same services the questionnaire uses. They are generated from
a small model, not uniform noise: experience improves with years in the Netherlands, differs by
age and by the channel people came through, and each person has a general outlook, so groups
differ in plausible ways and the items of one indicator hang together.
"""

from __future__ import annotations

import random
import secrets

from django.db import transaction

from indicators.models import Indicator
from surveys import services
from surveys.models import BankQuestion, Channel, Question, ResponseStatus, Survey
from surveys.respond import asked_questions
from surveys.scales import DONT_KNOW, QuestionType, Section
from tenants.models import Municipality, PartnerOrganisation

PREVIOUS_WAVE = "Najaar 2026"
WAVE = "Voorjaar 2027"
TITLE = {
    "nl": "Hoe gaat het met je in Rivierstad?",
    "en": "How are you doing in Rivierstad?",
    "ar": "كيف حالك في ريفيرستاد؟",
}
INTRODUCTION = {
    "nl": "De gemeente wil weten hoe het met nieuwkomers gaat: met werk, wonen, taal, contact met anderen en meer. "
    "Jouw ervaring helpt ons om dingen beter te maken.",
    "en": "The municipality wants to know how newcomers are doing: with work, housing, language, contact with "
    "others and more. Your experience helps us make things better.",
    "ar": "تريد البلدية أن تعرف كيف حال القادمين الجدد: في العمل والسكن واللغة والتواصل مع الآخرين وغير ذلك. "
    "تجربتك تساعدنا على تحسين الأمور.",
}
# Indicators where time in the country matters most, and those where it matters little.
TIME_SENSITIVE = {"work", "language-and-communication", "digital-skills", "bridges", "links", "culture"}
YEARS_EFFECT = {"less-than-1": -0.8, "1-2": -0.35, "3-5": 0.15, "more-than-5": 0.5}
AGE_EFFECT = {"18-25": 0.15, "26-35": 0.1, "36-50": 0.0, "51-65": -0.25, "over-65": -0.35}
CHANNEL_EFFECT = {"via Taalschool Noord": 0.2, "via Welzijn Rivierstad": -0.2}
BASE_LEVEL = {
    "housing": -0.3,
    "stability": -0.4,
    "work": -0.2,
    "safety": 0.5,
    "health-and-social-care": 0.2,
    "bonds": 0.3,
}
OPEN_ANSWERS = [
    "Ik leer nu Nederlands en wil later als verpleegkundige werken.",
    "I have a house now. I want to find work that fits my diploma.",
    "أتعلم اللغة الهولندية وأريد أن أكمل دراستي.",
    "Ik zoek werk. Het is moeilijk zonder netwerk.",
    "My children are happy at school. I want more contact with neighbours.",
    "Ik wil graag een eigen bedrijf beginnen.",
    "أبحث عن عمل وأريد أن يلتحق أطفالي بالرياضة.",
]


@transaction.atomic
def load_demo_survey(*, municipality: Municipality, responses: int = 320, seed: int = 2027) -> Survey:
    """The published demo survey with two channels and ``responses`` completed responses.

    Before it comes a closed wave with three quarters as many, a little less positive, whose
    results are public: the open wave shows its results only after it closes.
    """
    previous = municipality.surveys.filter(wave_label=PREVIOUS_WAVE).first()
    if previous is None:
        previous = _build_survey(municipality)
        _fill(previous, responses * 3 // 4, random.Random(seed - 1), shift=-0.15)
        services.close(survey=previous)
    survey = municipality.surveys.filter(wave_label=WAVE).first()
    if survey is None:
        survey = services.copy_as_new_wave(survey=previous, wave_label=WAVE)
        services.publish(survey=survey)
    elif survey.previous_wave_id is None:
        # A demo database made before the previous wave existed catches up.
        survey.previous_wave, survey.results_public = previous, True
        survey.save(update_fields=["previous_wave", "results_public"])
    _fill(survey, responses, random.Random(seed))
    return survey


def _fill(survey: Survey, responses: int, rng: random.Random, *, shift: float = 0.0) -> None:
    missing = responses - survey.responses.filter(status=ResponseStatus.COMPLETED).count()
    if missing > 0:
        _add_responses(survey, missing, rng, shift)


def _build_survey(municipality: Municipality) -> Survey:
    survey = services.create_survey(
        municipality=municipality,
        title=TITLE["nl"],
        wave_label=PREVIOUS_WAVE,
        base_language="nl",
        languages=["nl", "en", "ar"],
        indicators=Indicator.objects.all(),
        retention_months=24,
    )
    survey.title = TITLE
    survey.introduction = INTRODUCTION
    # So the thank-you page links the public results page, as a municipality would enable it.
    survey.results_public = True
    survey.save()
    status = survey.questions.get(bank_question__code="work-status")
    fits = services.add_bank_question(survey=survey, bank_question=BankQuestion.objects.get(code="work-fits-skills"))
    fits.condition_question = status
    fits.condition_values = ["yes", "yes-own-business"]
    fits.full_clean()
    fits.save()
    services.publish(survey=survey)
    for partner in PartnerOrganisation.objects.filter(partnerships__municipality=municipality):
        services.create_channel(survey=survey, name=f"via {partner.name}", partner=partner)
    return survey


def _scale_value(question: Question, level: float, rng: random.Random) -> int:
    """A point on the question's scale for a person whose experience of the indicator is ``level``."""
    if question.reverse_scored:
        level = -level
    if question.type == QuestionType.SCALE_10:
        return max(0, min(10, round(6 + level * 2.5 + rng.gauss(0, 1.2))))
    return max(1, min(5, round(3.3 + level * 1.1 + rng.gauss(0, 0.7))))


def _choose(question: Question, rng: random.Random, weights: dict[str, float] | None = None) -> str:
    values = question.option_values()
    return rng.choices(values, weights=[(weights or {}).get(value, 1.0) for value in values])[0]


def _add_responses(survey: Survey, count: int, rng: random.Random, shift: float = 0.0) -> None:
    questions = list(survey.visible_questions().select_related("indicator", "condition_question"))
    channels = list(survey.channels.all())
    for _ in range(count):
        channel: Channel | None = rng.choice([*channels, None]) if channels else None
        years = rng.choices(list(YEARS_EFFECT), weights=[2, 3, 3, 2])[0]
        age = rng.choices(list(AGE_EFFECT), weights=[3, 4, 3, 2, 1])[0]
        outlook = shift + rng.gauss(0, 0.5) + AGE_EFFECT[age] + CHANNEL_EFFECT.get(channel.name if channel else "", 0)
        levels = {
            indicator.code: outlook
            + BASE_LEVEL.get(indicator.code, 0)
            + YEARS_EFFECT[years] * (1.0 if indicator.code in TIME_SENSITIVE else 0.3)
            + rng.gauss(0, 0.35)
            for indicator in Indicator.objects.all()
        }
        language = rng.choices(["nl", "en", "ar"], weights=[3, 2, 5])[0]
        values: dict[Question, object] = {}
        for question in questions:
            values[question] = _value(question, levels, years, age, rng)
        asked = asked_questions(questions, {q.pk: v for q, v in values.items() if v is not None})
        asked_ids = {q.pk for q in asked}
        response = services.start_response(
            survey=survey, language=language, start_key=secrets.token_urlsafe(24), channel=channel
        )
        services.save_answers(
            response=response, answers={q: v for q, v in values.items() if q.pk in asked_ids}, step=len(questions)
        )
        services.submit_response(response=response, asked=asked_ids)


def _value(question: Question, levels: dict[str, float], years: str, age: str, rng: random.Random) -> object:
    code = question.bank_question.code if question.bank_question_id else question.code
    if rng.random() < 0.04:
        return None  # skipped
    if question.is_scored:
        if question.allow_dont_know and rng.random() < 0.05:
            return DONT_KNOW
        return _scale_value(question, levels[question.indicator.code], rng)
    if code == "years-in-netherlands":
        return years
    if code == "age-band":
        return age
    if code == "work-status":
        working = 0.15 + 0.2 * (list(YEARS_EFFECT).index(years))
        return rng.choices(["yes", "yes-own-business", "no-looking", "no-not-looking", "studying"],
                           weights=[working, working / 5, 0.4, 0.1, 0.2])[0]  # fmt: skip
    if question.section == Section.OPEN:
        return rng.choice(OPEN_ANSWERS) if rng.random() < 0.45 else None
    if question.type == QuestionType.SINGLE:
        return _choose(question, rng)
    if question.type == QuestionType.MULTIPLE:
        return [_choose(question, rng)]
    if question.type == QuestionType.NUMBER:
        return rng.randint(question.min_value or 1, min(question.max_value or 8, 8))
    return None
