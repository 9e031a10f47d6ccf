"""Benchmark data, made with the product's own services (like integration_mapping.testing.build_survey).

``python -m benchmarks.fixtures setup`` creates a municipality, a published, fully translated
survey with exactly 40 questions on 16 pages and a public channel, and prints them as JSON.
``python -m benchmarks.fixtures count SURVEY_ID CHANNEL_ID`` prints what the database holds.
Both need the benchmark's environment (DJANGO_SETTINGS_MODULE=benchmarks.settings and the rest).
"""

from __future__ import annotations

import json
import secrets
import sys

import django

QUESTIONS = 40
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


def count(survey_id: int, channel_id: int) -> dict:
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
    return {
        "questionnaire": tally(responses.filter(channel_id=channel_id)),
        "floor": tally(responses.filter(Q(channel__isnull=True) & Q(start_key__startswith=FLOOR_PREFIX))),
    }


def main(argv: list[str]) -> None:
    django.setup()
    if argv[:1] == ["setup"]:
        result = setup()
    elif argv[:1] == ["count"] and len(argv) == 3:
        result = count(int(argv[1]), int(argv[2]))
    else:
        raise SystemExit("usage: python -m benchmarks.fixtures setup | count SURVEY_ID CHANNEL_ID")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
