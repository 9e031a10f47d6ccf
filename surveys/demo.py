"""The demo survey and its synthetic responses (used by ``manage.py seed_demo``).

Responses are written through the same services the questionnaire uses. They are generated from
a small model, not uniform noise, so that the results tell a story one can read from a chart:
safety and family bonds go well, housing, work and stability do not; work, language, digital
skills and social contacts grow clearly with years in the Netherlands; people who came through
the language school are more positive about language and education; and the previous wave was a
little lower, with housing and language clearly improved since and safety a little worse. Each
person also has a general outlook, so the items of one indicator hang together.
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from indicators.models import Indicator
from surveys import services
from surveys.models import BankQuestion, Channel, Question, ResponseStatus, Survey
from surveys.respond import asked_questions
from surveys.scales import DONT_KNOW, NOT_APPLICABLE, QuestionType, Section
from tenants.models import Municipality, PartnerOrganisation

PREVIOUS_WAVE = "Najaar 2026"
WAVE = "Voorjaar 2027"
# In all seven languages: the bank brings its texts in every one of them (not checked by a native
# speaker yet, except Dutch), and the introduction and consent text are the product's standard ones.
TITLE = {
    "nl": "Hoe gaat het met je in Rivierstad?",
    "en": "How are you doing in Rivierstad?",
    "ar": "كيف حالك في ريفيرستاد؟",
    "uk": "Як вам живеться в Рівірстаді?",
    "ti": "ኣብ ሪቪየርስታድ ከመይ ኣለኹም?",
    "fa": "حال شما در ریویرستاد چطور است؟",
    "tr": "Rivierstad'da nasılsınız?",
}
# The municipality's name where newcomers write it in another script.
NAMES = {"ar": "ريفيرستاد", "uk": "Рівірстад", "ti": "ሪቪየርስታድ", "fa": "ریویرستاد"}
# The story, in points on the 0-100 scale. A person's expected score on an indicator starts at its
# level below (for someone with the average time in the country), moved by their years here, age,
# channel and work, their general outlook and how this part of life goes for them in particular.
LEVEL = {
    "safety": 74,
    "bonds": 71,
    "health-and-social-care": 62,
    "education": 60,
    "rights-and-responsibilities": 59,
    "leisure": 56,
    "digital-skills": 55,
    "culture": 54,
    "links": 50,
    "language-and-communication": 48,
    "bridges": 46,
    "housing": 35,
    "stability": 31,
    "work": 28,
}
# Many wait for a home, a job or a secure permit while a few already have one: wider differences.
# Safety and bonds go well for most, not for all.
SPREAD = {"housing": 25, "work": 21, "stability": 23, "safety": 16, "bonds": 16}
PERSONAL_SPREAD = 13
# Time in the country matters most for these; the other indicators rise a little with it.
TIME_SENSITIVE = {"work", "language-and-communication", "digital-skills", "bridges", "links", "culture"}
YEARS_EFFECT = {"less-than-1": -13.0, "1-2": -5.0, "3-5": 5.0, "more-than-5": 13.0}
OTHER_YEARS_FACTOR = 0.25
# Respondents per band in fixed proportions (2:3:3:2), so that a breakdown by years shows every
# band in any wave and with any number of responses from 50 up (at least 10 in each).
YEARS_ROTATION = ["less-than-1", "1-2", "3-5", "more-than-5", "1-2", "less-than-1", "3-5", "1-2", "more-than-5", "3-5"]
AGE_EFFECT = {"18-25": 3.0, "26-35": 2.0, "36-50": 0.0, "51-65": -4.0, "over-65": -6.0}
AGE_WEIGHTS = [3, 4, 3, 2, 1]
# The language school reaches people in class; the welfare organisation people who need support,
# and the contacts it organises show in bonds and leisure.
CHANNEL_EFFECT = {
    "via Taalschool Noord": {"language-and-communication": 9.0, "education": 8.0, "digital-skills": 3.0},
    "via Welzijn Rivierstad": {
        "language-and-communication": -3.0,
        "education": -3.0,
        "housing": -3.0,
        "stability": -3.0,
        "bonds": 3.0,
        "leisure": 3.0,
    },
}
WORK_STATUS = ["yes", "yes-own-business", "no-looking", "no-not-looking", "studying"]
WORK_EFFECT = {"yes": 12.0, "yes-own-business": 10.0, "no-looking": -6.0}
# From the previous wave to the current one: a little better overall; clearly better housing and
# language (new homes, more language classes); safety a little worse.
WAVE_CHANGE = {"housing": 9.0, "language-and-communication": 7.0, "safety": -4.0}
GENERAL_WAVE_CHANGE = 3.0
SKIPPED = 0.04
DONT_KNOW_SHARE = 0.05
# Of the questions that offer "this does not apply to me" (about children, diplomas, family
# abroad…): the share of people it does not concern.
NOT_APPLICABLE_SHARE = 0.15
OPEN_ANSWERED = 0.45
# Short plain answers to the open questions, in the language the respondent answers in. No names
# or other personal details: these are shown as quotes.
OPEN_ANSWERS = {
    "nl": [
        "Ik woon nog in een tijdelijk huis. Ik wacht al lang op een eigen woning.",
        "De taalles helpt mij veel. Ik durf nu Nederlands te praten in de winkel.",
        "Ik zoek werk, maar mijn diploma telt hier niet. Dat is moeilijk.",
        "Mijn buren zijn aardig. Ze groeten mij en helpen soms.",
        "Mijn kinderen gaan graag naar school. De juf legt alles rustig uit.",
        "Ik voel me veilig in mijn wijk, ook 's avonds.",
        "Brieven van de gemeente zijn moeilijk. Ik heb vaak hulp nodig.",
    ],
    "en": [
        "I have work now, but it does not fit my skills.",
        "Our house is too small and the rent is high.",
        "My children learn fast at school. Sometimes I cannot help them with homework.",
        "I feel safe here. People in the street are friendly.",
        "Learning Dutch is slow because I have few chances to speak it.",
        "The volunteers at the community centre helped me a lot.",
    ],
    "ar": [
        "أتعلم اللغة الهولندية وأريد أن أكمل دراستي.",
        "أبحث عن عمل منذ وقت طويل. بدون شبكة معارف الأمر صعب.",
        "أطفالي سعداء في المدرسة ويتعلمون بسرعة.",
        "ما زلنا نسكن في بيت مؤقت وننتظر بيتًا خاصًا بنا.",
        "الجيران لطفاء، لكن التواصل صعب بسبب اللغة.",
        "أشعر بالأمان في الحي الذي أسكن فيه.",
        "الرسائل من البلدية صعبة الفهم، وأحتاج إلى مساعدة.",
    ],
}
LANGUAGE_WEIGHTS = {"nl": 3, "en": 2, "ar": 5}


@transaction.atomic
def load_demo_survey(*, municipality: Municipality, responses: int = 320, seed: int = 2027) -> Survey:
    """The published demo survey with two channels and ``responses`` completed responses.

    Before it comes a closed wave with three quarters as many, a little less positive (see
    ``WAVE_CHANGE``), whose results are public: the open wave shows its results only after it closes.
    """
    previous = municipality.surveys.filter(wave_label=PREVIOUS_WAVE).first()
    if previous is None:
        previous = _build_survey(municipality)
        earlier = {code: -WAVE_CHANGE.get(code, GENERAL_WAVE_CHANGE) for code in LEVEL}
        _fill(previous, responses * 3 // 4, random.Random(seed - 1), shift=earlier)
        services.close(survey=previous)
    survey = municipality.surveys.filter(wave_label=WAVE).first()
    if survey is None:
        survey = services.copy_as_new_wave(survey=previous, wave_label=WAVE)
        today = timezone.localdate()
        survey.opens_on, survey.closes_on = today - timedelta(days=14), today + timedelta(days=60)
        survey.save(update_fields=["opens_on", "closes_on"])
        services.publish(survey=survey)
    elif survey.previous_wave_id is None:
        # A demo database made before the previous wave existed catches up.
        survey.previous_wave, survey.results_public = previous, True
        survey.save(update_fields=["previous_wave", "results_public"])
    _fill(survey, responses, random.Random(seed))
    return survey


def _fill(survey: Survey, responses: int, rng: random.Random, *, shift: dict[str, float] | None = None) -> None:
    missing = responses - survey.responses.filter(status=ResponseStatus.COMPLETED).count()
    if missing > 0:
        _add_responses(survey, missing, rng, shift or {})


def _build_survey(municipality: Municipality) -> Survey:
    survey = services.create_survey(
        municipality=municipality,
        title=TITLE["nl"],
        wave_label=PREVIOUS_WAVE,
        base_language="nl",
        languages=list(TITLE),
        indicators=Indicator.objects.all(),
        retention_months=24,
        # The previous wave's answering period, so its public results say which period they are about.
        opens_on=timezone.localdate() - timedelta(days=240),
        closes_on=timezone.localdate() - timedelta(days=180),
    )
    survey.title = TITLE
    municipality.names = NAMES
    municipality.save(update_fields=["names"])
    # So the thank-you page links the public results page, as a municipality would enable it.
    survey.results_public = True
    survey.save()
    # The bank asks "work fits skills" only of people with work ("work-status" is suggested, so in the survey).
    services.add_bank_question(survey=survey, bank_question=BankQuestion.objects.get(code="work-fits-skills"))
    services.publish(survey=survey)
    for partner in PartnerOrganisation.objects.filter(partnerships__municipality=municipality):
        services.create_channel(survey=survey, name=f"via {partner.name}", partner=partner)
    return survey


def _scale_value(question: Question, expected: float, rng: random.Random) -> int:
    """A point on the question's scale for a person whose expected score (0-100) on the indicator is ``expected``."""
    if question.reverse_scored:
        expected = 100 - expected
    if question.type == QuestionType.SCALE_10:
        return max(0, min(10, round(expected / 10 + rng.gauss(0, 1.2))))
    return max(1, min(5, round(1 + expected / 25 + rng.gauss(0, 0.6))))


def _choose(question: Question, rng: random.Random) -> str:
    return rng.choice(question.option_values())


def _add_responses(survey: Survey, count: int, rng: random.Random, shift: dict[str, float]) -> None:
    questions = list(survey.visible_questions().select_related("indicator", "bank_question", "condition_question"))
    channels = list(survey.channels.all())
    # A third through each partner's link and a third without a channel, in turn.
    routes: list[Channel | None] = [*channels, None]
    for number in range(count):
        channel = routes[number % len(routes)]
        years = YEARS_ROTATION[number % len(YEARS_ROTATION)]
        age = rng.choices(list(AGE_EFFECT), weights=AGE_WEIGHTS)[0]
        step = list(YEARS_EFFECT).index(years)
        work = rng.choices(WORK_STATUS, weights=[0.15 + 0.2 * step, 0.03 + 0.04 * step, 0.4, 0.1, 0.2])[0]
        person = {"years-in-netherlands": years, "age-band": age, "work-status": work}
        levels = _levels(person, channel.name if channel else "", shift, rng)
        language = rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]
        values = {question: _value(question, levels, person, language, rng) for question in questions}
        asked = asked_questions(questions, {q.pk: v for q, v in values.items() if v is not None})
        asked_ids = {q.pk for q in asked}
        response = services.start_response(
            survey=survey, language=language, start_key=secrets.token_urlsafe(24), channel=channel
        )
        services.save_answers(
            response=response, answers={q: v for q, v in values.items() if q.pk in asked_ids}, step=len(questions)
        )
        services.submit_response(response=response, asked=asked_ids)


def _levels(person: dict[str, str], channel: str, shift: dict[str, float], rng: random.Random) -> dict[str, float]:
    """A person's expected score (0-100) per indicator code."""
    outlook = rng.gauss(0, 8) + AGE_EFFECT[person["age-band"]]
    years = YEARS_EFFECT[person["years-in-netherlands"]]
    levels = {}
    for code, level in LEVEL.items():
        levels[code] = (
            level
            + outlook
            + years * (1.0 if code in TIME_SENSITIVE else OTHER_YEARS_FACTOR)
            + CHANNEL_EFFECT.get(channel, {}).get(code, 0.0)
            + shift.get(code, 0.0)
            + rng.gauss(0, SPREAD.get(code, PERSONAL_SPREAD))
        )
    levels["work"] += WORK_EFFECT.get(person["work-status"], 0.0)
    return levels


def _value(
    question: Question, levels: dict[str, float], person: dict[str, str], language: str, rng: random.Random
) -> object:
    code = question.bank_question.code if question.bank_question_id else question.code
    # Everyone answers how long they have been here: a "no answer" group below k would make a
    # breakdown by years hide the smallest band as well (secondary suppression).
    if code != "years-in-netherlands" and rng.random() < SKIPPED:
        return None
    if question.is_scored:
        if question.allow_not_applicable and rng.random() < NOT_APPLICABLE_SHARE:
            return NOT_APPLICABLE
        if question.allow_dont_know and rng.random() < DONT_KNOW_SHARE:
            return DONT_KNOW
        return _scale_value(question, levels[question.indicator.code], rng)
    if code in person:
        return person[code]
    if question.section == Section.OPEN:
        return rng.choice(OPEN_ANSWERS[language]) if rng.random() < OPEN_ANSWERED else None
    if question.type == QuestionType.SINGLE:
        return _choose(question, rng)
    if question.type == QuestionType.MULTIPLE:
        return [_choose(question, rng)]
    if question.type == QuestionType.NUMBER:
        return rng.randint(question.min_value or 1, min(question.max_value or 8, 8))
    return None
