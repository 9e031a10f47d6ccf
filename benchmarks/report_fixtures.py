"""Benchmark data for the results views (benchmarks/reports.py): two waves, loaded in bulk.

The survey structure is made with the product's own services, as ``benchmarks.fixtures.setup``
does: a municipality with an administrator, a fully translated survey with all 14 indicators
(38 scored agreement questions, 10 indicators x 3 + 4 x 2), one single-choice background question
with 4 options (code ``years-in-netherlands``) and one open question, two channels. The first wave
is published and later closed; the second is made from it with ``services.copy_as_new_wave`` (same
question codes) and published.

The responses, answers and indicator scores are NOT written through the services one by one: each
wave's rows are made inside PostgreSQL with ``INSERT ... SELECT`` over ``generate_series`` (one
statement per table), and ``IndicatorScore`` is computed from the loaded answers with one
``INSERT ... SELECT ... avg(score) GROUP BY`` (what ``services.store_indicator_scores`` writes per
respondent at the final submit). Then ``VACUUM ANALYZE``.

The answers are plausible: a respondent's scale point comes from an indicator's base level, the
respondent's background group (how long they have lived here; the effect differs per indicator and
is negative for some), the wave (the current one is a little higher), a personal level and noise
per answer. About 5% of the scored answers are "don't know" (``dont_know`` true, no number, no
score), about 2% of the background answers too, and 40% of the completed responses have an open
answer. Each wave also has in-progress responses (1 per 25 completed) with the answers of their
first pages only, as a live database has: reports must leave them out.

All randomness is PostgreSQL's ``random()`` after ``setseed``, so a run with the same sizes and seed
loads the same data.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

BACKGROUND_CODE = "years-in-netherlands"
BACKGROUND_OPTIONS = [
    ("under-1", "Korter dan 1 jaar", "Less than 1 year"),
    ("1-3", "1 tot 3 jaar", "1 to 3 years"),
    ("3-5", "3 tot 5 jaar", "3 to 5 years"),
    ("over-5", "Langer dan 5 jaar", "More than 5 years"),
]
# The share of respondents in each background group, in the order above (cumulative bounds).
GROUP_BOUNDS = (0.20, 0.50, 0.75)
OPEN_CODE = "in-your-own-words"
ADMIN_USERNAME_PREFIX = "bench-reports-admin-"
START_KEY_PREFIX = "rep-"  # the loaded responses' start keys: rep-<survey id>-<number>
DONT_KNOW_SHARE = 0.05
BACKGROUND_DONT_KNOW_SHARE = 0.02
OPEN_SHARE = 0.40
IN_PROGRESS_PER_COMPLETED = 1 / 25
CURRENT_WAVE_LIFT = 4.0  # points on the 0-100 scale the current wave's respondents score higher
OPEN_ANSWERS = [
    "Ik heb werk gevonden en wil nu beter Nederlands leren.",
    "De taalles helpt, maar ik wil meer met Nederlanders praten.",
    "Mijn huis is te klein voor ons gezin.",
    "Ik wil graag een opleiding doen, maar ik weet niet hoe.",
    "Mijn buren zijn aardig, ik voel me hier welkom.",
    "Het is moeilijk om een huisarts te vinden.",
    "Ik zoek werk dat past bij mijn diploma.",
    "My children are happy at school, and I am learning Dutch.",
]
TABLES = ("surveys_response", "surveys_answer", "surveys_indicatorscore")


def _bilingual(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def indicator_profile(number: int) -> tuple[float, float]:
    """(base level 0-100, points per background group step) of an indicator, by its circle number.

    Bases run from 45 to 74 and the group effect from -2 to +6 points per step (x3 steps), so the
    indicators differ, and a breakdown by time in the country differs per indicator too."""
    return 45.0 + (number * 37) % 30, float((number * 5) % 9 - 2)


def make_structure(suffix: str | None = None) -> dict:
    """Municipality, administrator, both waves and their questions, through the services."""
    from django.db import transaction

    from benchmarks.fixtures import STATEMENTS, THREE_QUESTIONS
    from indicators.models import Indicator
    from surveys import services
    from surveys.models import Question
    from surveys.respond import questionnaire_pages
    from surveys.scales import QuestionType, Section
    from tenants import services as tenant_services
    from tenants.models import Municipality, Role

    suffix = suffix or secrets.token_hex(4)
    indicators = list(Indicator.objects.order_by("number"))
    if len(indicators) != 14:
        raise SystemExit(f"expected the 14 seeded indicators, found {len(indicators)}: run migrate first")
    with transaction.atomic():
        municipality = Municipality.objects.create(name=f"Rapportstad {suffix}", slug=f"bench-reports-{suffix}")
        password = secrets.token_urlsafe(18)
        user = tenant_services.ensure_user(username=ADMIN_USERNAME_PREFIX + suffix, password=password)
        tenant_services.add_member(municipality=municipality, user=user, role=Role.ADMINISTRATOR)
        previous = services.create_survey(
            municipality=municipality,
            title="Hoe gaat het met je?",
            wave_label="Voorjaar 2026",
            base_language="nl",
            languages=["nl", "en"],
            indicators=indicators,
            add_suggested=False,
        )
        previous.title = _bilingual("Hoe gaat het met je?", "How are you doing?")
        previous.introduction = _bilingual("Welkom bij deze vragenlijst.", "Welcome to this questionnaire.")
        previous.consent = _bilingual("Je antwoorden blijven anoniem.", "Your answers stay anonymous.")
        previous.save()
        for number, indicator in enumerate(indicators):
            count = 3 if number < THREE_QUESTIONS else 2
            for index, (nl, en) in enumerate(STATEMENTS[:count]):
                services.add_own_question(
                    survey=previous,
                    section=Section.INDICATOR,
                    indicator=indicator,
                    type=QuestionType.AGREEMENT,
                    text=_bilingual(nl.format(nl=indicator.name_nl.lower()), en.format(en=indicator.name_en.lower())),
                    reverse_scored=index == 2,
                )
        background = services.add_own_question(
            survey=previous,
            section=Section.BACKGROUND,
            type=QuestionType.SINGLE,
            text=_bilingual("Hoe lang woon je in Nederland?", "How long have you lived in the Netherlands?"),
            options=[{"value": value, "label": _bilingual(nl, en)} for value, nl, en in BACKGROUND_OPTIONS],
            required=True,
        )
        opened = services.add_own_question(
            survey=previous,
            section=Section.OPEN,
            type=QuestionType.LONG_TEXT,
            text=_bilingual(
                "Waar sta je nu, en waar wil je naartoe?", "Where are you now, and where do you want to go?"
            ),
        )
        # Readable codes for the URLs (?by=years-in-netherlands); nothing is answered yet, and
        # copy_as_new_wave copies the codes, so both waves have them.
        Question.objects.filter(pk=background.pk).update(code=BACKGROUND_CODE)
        Question.objects.filter(pk=opened.pk).update(code=OPEN_CODE)
        services.publish(survey=previous)
        services.create_channel(survey=previous, name="Website gemeente")
        services.create_channel(survey=previous, name="Taalhuis")
        current = services.copy_as_new_wave(survey=previous, wave_label="Voorjaar 2027")
        services.publish(survey=current)
        services.close(survey=previous)
    questions = current.visible_questions().count()
    if questions != 40:
        raise SystemExit(f"the benchmark survey has {questions} questions, not 40")
    return {
        "municipality": municipality.pk,
        "slug": municipality.slug,
        "min_group_size": municipality.min_group_size,
        "user": user.pk,
        "username": user.username,
        "current": {"id": current.pk, "public_id": current.public_id, "wave": current.wave_label},
        "previous": {"id": previous.pk, "public_id": previous.public_id, "wave": previous.wave_label},
        "questions": questions,
        "pages": len(questionnaire_pages(current)),
    }


def _load_wave(
    cursor, survey_id: int, completed: int, in_progress: int, lift: float, started, pages: int, steps: dict
) -> None:
    """Responses, answers and indicator scores of one wave, in a handful of statements. Adds each
    statement's seconds to ``steps``."""

    def run(step: str, sql: str, params: object = None) -> None:
        began = time.perf_counter()
        cursor.execute(sql, params)
        steps[step] = steps.get(step, 0.0) + time.perf_counter() - began

    from surveys.models import Question, Survey
    from surveys.scales import Section

    survey = Survey.objects.get(pk=survey_id)
    channels = list(survey.channels.order_by("pk").values_list("pk", flat=True))
    questions = list(survey.visible_questions())
    scored = [q for q in questions if q.section == Section.INDICATOR]
    background = next(q for q in questions if q.code == BACKGROUND_CODE)
    opened = next(q for q in questions if q.code == OPEN_CODE)
    # The scored questions in questionnaire order (indicators around the circle), with their profile.
    scored.sort(key=Question.order_key.fget)
    cursor.execute("DROP TABLE IF EXISTS bench_q, bench_r")
    cursor.execute(
        "CREATE TEMP TABLE bench_q (question_id bigint, indicator_id bigint, reverse boolean, base float8,"
        " slope float8, ord int)"
    )
    cursor.executemany(
        "INSERT INTO bench_q VALUES (%s, %s, %s, %s, %s, %s)",
        [
            (q.pk, q.indicator_id, q.reverse_scored, *indicator_profile(q.indicator.number), order)
            for order, q in enumerate(scored, start=1)
        ],
    )
    total = completed + in_progress
    # Exactly ``in_progress`` of the numbers 1..total are in progress, spread evenly: those where
    # g * in_progress / total passes a whole number.
    status = (
        f"CASE WHEN g::bigint * {in_progress} / {total} > (g - 1)::bigint * {in_progress} / {total}"
        " THEN 'in_progress' ELSE 'completed' END"
    )
    stride = max(1, total // max(in_progress, 1))  # only spreads the in-progress ones over the pages
    window = 30 * 24 * 3600  # the wave's responses arrive over 30 days
    run(
        "responses",
        f"""
        INSERT INTO surveys_response
            (survey_id, channel_id, invitation_id, language, status, start_key, step, started_at, completed_at)
        SELECT %(survey)s, (%(channels)s::bigint[])[1 + g %% 2], NULL,
               CASE WHEN g %% 3 = 0 THEN 'en' ELSE 'nl' END,
               status,
               %(prefix)s || %(survey)s || '-' || g,
               CASE WHEN status = 'completed' THEN %(pages)s + 1 ELSE 1 + (g / %(stride)s) %% %(pages)s END,
               at,
               CASE WHEN status = 'completed' THEN at + (8 + g %% 17) * interval '1 minute' END
        FROM (
            SELECT g, {status} AS status,
                   %(started)s::timestamptz + (g::float8 / %(total)s * %(window)s) * interval '1 second' AS at
            FROM generate_series(1, %(total)s) AS g
        ) AS numbered
        ORDER BY g
        """,
        {
            "survey": survey_id,
            "channels": channels,
            "prefix": START_KEY_PREFIX,
            "pages": pages,
            "started": started,
            "total": total,
            "stride": stride,
            "window": window,
        },
    )
    # One row per loaded response: its background group, open answer or not, personal level.
    b1, b2, b3 = GROUP_BOUNDS
    run(
        "respondents (temp)",
        f"""
        CREATE TEMP TABLE bench_r AS
        SELECT id AS response_id, status = 'completed' AS completed, step,
               CASE WHEN u < {b1} THEN 0 WHEN u < {b2} THEN 1 WHEN u < {b3} THEN 2 ELSE 3 END AS grp,
               v < {BACKGROUND_DONT_KNOW_SHARE} AS background_dk,
               w < {OPEN_SHARE} AS has_open,
               1 + floor(x * 30)::int AS reached,
               (p1 + p2 + p3 + p4 - 2) * sqrt(3) * 10 AS person
        FROM (
            SELECT id, status, step, random() AS u, random() AS v, random() AS w, random() AS x,
                   random() AS p1, random() AS p2, random() AS p3, random() AS p4
            FROM surveys_response
            WHERE survey_id = %s AND start_key LIKE %s
            ORDER BY id
        ) AS drawn
        """,
        [survey_id, f"{START_KEY_PREFIX}{survey_id}-%"],
    )
    # The scored answers. The latent level (0-100) of one answer: the indicator's base, its group
    # effect, the wave, the person and noise (sd 15); its scale point: 1 + level / 25, within 1-5.
    # Score = (point - 1) * 25 whichever way the question is worded; a reverse-scored question
    # stores the opposite number (6 - point), as Question.score reads it back.
    # In-progress respondents answered the first ``reached`` scored questions only.
    run(
        "scored answers",
        f"""
        INSERT INTO surveys_answer
            (response_id, survey_id, indicator_id, question_id, number, choice, text, dont_know, not_applicable, score)
        SELECT response_id, %(survey)s, indicator_id, question_id,
               CASE WHEN dk THEN NULL WHEN reverse THEN 6 - point ELSE point END,
               '', '', dk, false,
               CASE WHEN dk THEN NULL ELSE (point - 1) * 25.0 END
        FROM (
            SELECT response_id, indicator_id, question_id, reverse, ord, dk,
                   greatest(1, least(5, round(1 + level / 25)))::int AS point
            FROM (
                SELECT r.response_id, q.indicator_id, q.question_id, q.reverse, q.ord,
                       random() < {DONT_KNOW_SHARE} AS dk,
                       q.base + q.slope * (r.grp - 1.5) * 2 + %(lift)s + r.person
                         + (random() + random() + random() + random() - 2) * sqrt(3) * 15 AS level
                FROM bench_r r CROSS JOIN bench_q q
                WHERE r.completed OR q.ord <= r.reached
            ) AS drawn
        ) AS pointed
        ORDER BY response_id, ord
        """,
        {"survey": survey_id, "lift": lift},
    )
    # The background answer (completed responses: it comes after the indicator pages).
    run(
        "background answers",
        """
        INSERT INTO surveys_answer
            (response_id, survey_id, indicator_id, question_id, number, choice, text, dont_know, not_applicable, score)
        SELECT response_id, %s, NULL, %s, NULL,
               CASE WHEN background_dk THEN '' ELSE (%s::text[])[grp + 1] END, '', background_dk, false, NULL
        FROM bench_r WHERE completed ORDER BY response_id
        """,
        [survey_id, background.pk, [value for value, _nl, _en in BACKGROUND_OPTIONS]],
    )
    # The open answer (40% of the completed responses).
    run(
        "open answers",
        """
        INSERT INTO surveys_answer
            (response_id, survey_id, indicator_id, question_id, number, choice, text, dont_know, not_applicable, score)
        SELECT response_id, %s, NULL, %s, NULL, '', (%s::text[])[1 + (response_id %% %s)::int], false, false, NULL
        FROM bench_r WHERE completed AND has_open ORDER BY response_id
        """,
        [survey_id, opened.pk, OPEN_ANSWERS, len(OPEN_ANSWERS)],
    )
    # What services.store_indicator_scores writes at each final submit, for all respondents at once.
    run(
        "indicator scores",
        """
        INSERT INTO surveys_indicatorscore (response_id, survey_id, indicator_id, score)
        SELECT a.response_id, a.survey_id, a.indicator_id, avg(a.score)
        FROM surveys_answer a JOIN bench_r r ON r.response_id = a.response_id
        WHERE r.completed AND a.indicator_id IS NOT NULL AND a.score IS NOT NULL
        GROUP BY a.response_id, a.survey_id, a.indicator_id
        ORDER BY a.response_id, a.indicator_id
        """,
    )
    cursor.execute("DROP TABLE bench_q, bench_r")


def load(structure: dict, completed: int, previous_completed: int, seed: float = 0.42) -> dict:
    """Both waves' rows in one transaction, then VACUUM ANALYZE. Returns timings and counts.

    Row by row, the foreign-key triggers would cost more than the inserts (Django's foreign keys
    are DEFERRABLE INITIALLY DEFERRED: some 6 million checks at COMMIT for 1.5 million answers).
    So the three tables' own foreign keys are dropped inside the transaction and added again, with
    the same names and definitions, after the load: PostgreSQL then validates each with one join.
    DDL is transactional, so a failed load leaves the schema as it was.
    """
    from django.db import connection, transaction
    from django.utils import timezone

    quote = connection.ops.quote_name
    timings: dict[str, float] = {}
    steps: dict[str, float] = {}
    started = time.perf_counter()
    now = timezone.now().replace(microsecond=0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conrelid, conname",
            [list(TABLES)],
        )
        foreign_keys = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        cursor.execute("SELECT setseed(%s)", [seed])
        waves = (
            ("previous", previous_completed, 0.0, now - timedelta(days=400)),
            ("current", completed, CURRENT_WAVE_LIFT, now - timedelta(days=31)),
        )
        for key, number, lift, wave_start in waves:
            if number <= 0:
                continue
            in_progress = round(number * IN_PROGRESS_PER_COMPLETED)
            _load_wave(cursor, structure[key]["id"], number, in_progress, lift, wave_start, structure["pages"], steps)
        began = time.perf_counter()
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        steps[f"{len(foreign_keys)} foreign keys added and validated"] = time.perf_counter() - began
    timings["insert"] = time.perf_counter() - started
    timings["steps"] = steps
    analysed = time.perf_counter()
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    timings["vacuum_analyze"] = time.perf_counter() - analysed
    timings["total"] = time.perf_counter() - started
    return {"timings": timings, "counts": counts(structure)}


def counts(structure: dict) -> dict:
    from django.db import connection

    result = {}
    with connection.cursor() as cursor:
        for key in ("previous", "current"):
            survey_id = structure[key]["id"]
            cursor.execute(
                "SELECT count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'in_progress')"
                " FROM surveys_response WHERE survey_id = %s",
                [survey_id],
            )
            completed, in_progress = cursor.fetchone()
            cursor.execute(
                "SELECT count(*), count(*) FILTER (WHERE dont_know), count(*) FILTER (WHERE score IS NOT NULL),"
                " count(*) FILTER (WHERE text <> '') FROM surveys_answer WHERE survey_id = %s",
                [survey_id],
            )
            answers, dont_know, scored, texts = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM surveys_indicatorscore WHERE survey_id = %s", [survey_id])
            (scores,) = cursor.fetchone()
            result[key] = {
                "completed": completed,
                "in_progress": in_progress,
                "answers": answers,
                "dont_know": dont_know,
                "scored": scored,
                "open": texts,
                "indicator_scores": scores,
            }
        for table in TABLES:
            cursor.execute(f"SELECT pg_total_relation_size('{table}')")
            result[f"{table}_bytes"] = cursor.fetchone()[0]
    return result
