"""Benchmark data, made with the product's own services (like integration_mapping.testing.build_survey).

``python -m benchmarks.fixtures setup`` creates a municipality, a published, fully translated
survey with exactly 40 questions on 16 pages and a public channel, and prints them as JSON.
``python -m benchmarks.fixtures prepare SURVEY_ID N FILE`` prepares part (d), the final submit
alone: N in-progress responses with all 40 answers stored (through ``surveys.services``, as the
questionnaire stores them) on a channel of their own, each with a database session in the shape
``surveys.respond_views.State.save`` writes. It writes the session keys to FILE (JSON).
``python -m benchmarks.fixtures count SURVEY_ID CHANNEL_ID [FILE]`` prints what the database holds
(with FILE: also what became of part (d)'s prepared responses).
All need the benchmark's environment (DJANGO_SETTINGS_MODULE=benchmarks.settings and the rest).
"""

from __future__ import annotations

import json
import random
import secrets
import sys
from pathlib import Path

import django

QUESTIONS = 40
# Part (d)'s prepared responses carry this start_key prefix (and a channel of their own).
SUBMIT_PREFIX = "submit-"
OPEN_ANSWER = "Ik heb werk gevonden en wil nu beter Nederlands leren."
# Indicators (in circle order) that get three questions; the others get two. 10 x 3 + 4 x 2 = 38,
# plus one background question and one open question = 40.
THREE_QUESTIONS = 10
STATEMENTS = [
    ("Het gaat goed met mij op het gebied van {nl}.", "Things go well for me in the area of {en}."),
    ("Ik weet waar ik hulp kan vragen over {nl}.", "I know where to ask for help with {en}."),
    ("Ik maak me vaak zorgen over {nl}.", "I often worry about {en}."),
]


def bilingual(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def setup() -> dict:
    from indicators.models import Indicator
    from surveys import services
    from surveys.scales import QuestionType, Section
    from tenants.models import Municipality

    suffix = secrets.token_hex(4)
    municipality = Municipality.objects.create(name=f"Benchmarkstad {suffix}", slug=f"bench-{suffix}")
    indicators = list(Indicator.objects.order_by("number"))
    if len(indicators) != 14:
        raise SystemExit(f"expected the 14 seeded indicators, found {len(indicators)}: run migrate first")
    survey = services.create_survey(
        municipality=municipality,
        title="Hoe gaat het met je?",
        wave_label=f"Benchmark {suffix}",
        base_language="nl",
        languages=["nl", "en"],
        indicators=indicators,
        add_suggested=False,
    )
    survey.title = bilingual("Hoe gaat het met je?", "How are you doing?")
    survey.introduction = bilingual("Welkom bij deze vragenlijst.", "Welcome to this questionnaire.")
    survey.consent = bilingual("Je antwoorden blijven anoniem.", "Your answers stay anonymous.")
    survey.save()
    for number, indicator in enumerate(indicators):
        count = 3 if number < THREE_QUESTIONS else 2
        for index, (nl, en) in enumerate(STATEMENTS[:count]):
            services.add_own_question(
                survey=survey,
                section=Section.INDICATOR,
                indicator=indicator,
                type=QuestionType.AGREEMENT,
                text=bilingual(nl.format(nl=indicator.name_nl.lower()), en.format(en=indicator.name_en.lower())),
                reverse_scored=index == 2,
            )
    services.add_own_question(
        survey=survey,
        section=Section.BACKGROUND,
        type=QuestionType.SINGLE,
        text=bilingual("Hoe lang woon je hier?", "How long have you lived here?"),
        options=[
            {"value": "under-1", "label": bilingual("Korter dan 1 jaar", "Less than 1 year")},
            {"value": "1-3", "label": bilingual("1 tot 3 jaar", "1 to 3 years")},
            {"value": "over-3", "label": bilingual("Langer dan 3 jaar", "More than 3 years")},
        ],
        required=True,
    )
    services.add_own_question(
        survey=survey,
        section=Section.OPEN,
        type=QuestionType.LONG_TEXT,
        text=bilingual("Waar sta je nu, en waar wil je naartoe?", "Where are you now, and where do you want to go?"),
    )
    questions = survey.visible_questions().count()
    if questions != QUESTIONS:
        raise SystemExit(f"the benchmark survey has {questions} questions, not {QUESTIONS}")
    services.publish(survey=survey)
    channel = services.create_channel(survey=survey, name="Benchmark")
    from surveys.respond import questionnaire_pages

    return {
        "survey": survey.pk,
        "channel": channel.pk,
        "token": channel.token,
        "questions": questions,
        "pages": len(questionnaire_pages(survey)),
    }


def prepare(survey_id: int, number: int, path: str, seed: int = 1) -> dict:
    """Part (d): ``number`` responses that only lack the final submit, and a session for each.

    Each response is started and filled through ``surveys.services`` exactly as the questionnaire
    does it (start_response at consent, save_answers with the furthest step: one past the last page,
    which is the review). Each session holds what ``State.save`` stores after consent, so
    ``GET /answer/check/`` shows the review and ``POST /answer/check/`` submits. It all happens in one
    transaction (the services' own transactions become savepoints): only the setup is faster for it.
    """
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from surveys import services
    from surveys.models import Survey
    from surveys.respond import questionnaire_pages
    from surveys.respond_views import SESSION_KEY
    from surveys.scales import QuestionType, scale_points

    if "sessions.backends.db" not in settings.SESSION_ENGINE:
        raise SystemExit(f"part (d) prepares database sessions, but SESSION_ENGINE is {settings.SESSION_ENGINE}")
    rng = random.Random(seed)
    survey = Survey.objects.select_related("municipality").get(pk=survey_id)
    pages = questionnaire_pages(survey)
    questions = [question for page in pages for question in page.questions]
    if len(questions) != QUESTIONS:
        raise SystemExit(f"the benchmark survey has {len(questions)} questions, not {QUESTIONS}")

    def value(question: object) -> object:
        if question.is_scored:
            return rng.choice([point for point, _label in scale_points(question.type)])
        if question.type == QuestionType.SINGLE:
            return rng.choice(question.option_values())
        if question.is_text:
            return OPEN_ANSWER
        raise SystemExit(f"no benchmark answer for a {question.type} question")

    language = "nl"
    sessions = []
    with transaction.atomic():
        channel = services.create_channel(survey=survey, name="Benchmark: final submit alone")
        for _ in range(number):
            response = services.start_response(
                survey=survey,
                language=language,
                start_key=SUBMIT_PREFIX + secrets.token_urlsafe(24),
                channel=channel,
            )
            services.save_answers(
                response=response,
                answers={question: value(question) for question in questions},
                step=len(pages) + 1,
            )
            session = SessionStore()
            session[SESSION_KEY] = {
                "survey": survey.pk,
                "channel": channel.pk,
                "invitation": None,
                "response": response.pk,
                "language": language,
            }
            session.create()
            sessions.append(session.session_key)
    Path(path).write_text(
        json.dumps({"channel": channel.pk, "cookie": settings.SESSION_COOKIE_NAME, "sessions": sessions})
    )
    return {"channel": channel.pk, "prepared": len(sessions), "pages": len(pages), "step": len(pages) + 1}


def count(survey_id: int, channel_id: int, prepared_path: str | None = None) -> dict:
    from django.db.models import Count, Q

    from benchmarks.urls import FLOOR_PREFIX
    from surveys.models import Answer, Response, ResponseStatus

    def tally(responses: object) -> dict:
        completed = responses.filter(status=ResponseStatus.COMPLETED)
        per_response = completed.annotate(n=Count("answers"))
        return {
            "completed": completed.count(),
            "in_progress": responses.filter(status=ResponseStatus.IN_PROGRESS).count(),
            "answers": Answer.objects.filter(response__in=completed).count(),
            "not_40": per_response.exclude(n=QUESTIONS).count(),
        }

    responses = Response.objects.filter(survey_id=survey_id)
    result = {
        "questionnaire": tally(responses.filter(channel_id=channel_id)),
        "floor": tally(responses.filter(Q(channel__isnull=True) & Q(start_key__startswith=FLOOR_PREFIX))),
    }
    if prepared_path:
        prepared = json.loads(Path(prepared_path).read_text())
        submit = tally(responses.filter(channel_id=prepared["channel"], start_key__startswith=SUBMIT_PREFIX))
        submit["prepared"] = len(prepared["sessions"])
        result["submit"] = submit
    return result


def main(argv: list[str]) -> None:
    django.setup()
    if argv[:1] == ["setup"]:
        result = setup()
    elif argv[:1] == ["prepare"] and len(argv) in (4, 5):
        result = prepare(int(argv[1]), int(argv[2]), argv[3], *(int(seed) for seed in argv[4:]))
    elif argv[:1] == ["count"] and len(argv) in (3, 4):
        result = count(int(argv[1]), int(argv[2]), *argv[3:])
    else:
        raise SystemExit(
            "usage: python -m benchmarks.fixtures setup | prepare SURVEY_ID N FILE [SEED]"
            " | count SURVEY_ID CHANNEL_ID [FILE]"
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
