#!/usr/bin/env python
"""Where the time of the questionnaire's final submit (POST /answer/check/) goes.

It builds the same database as benchmarks/questionnaire.py (throwaway PostgreSQL 15 cluster with
durable defaults, production settings, the 40-question survey, responses prepared as for part (d))
and then, in one process, sends prepared respondents' final submits through ``django.test.Client``
with CSRF checks on:

1. ``--submits`` timed submits (no profiler): wall time per POST, and the time spent in SQL;
2. one submit under ``CaptureQueriesContext``: every SQL statement, COMMIT included, with its time;
3. ``--submits`` submits under cProfile: the functions the time goes to.

Each respondent's review page is fetched first for the CSRF token (not measured), as in part (d).
Before every request it calls ``close_old_connections()`` as gunicorn's ``request_started`` does, so
the connection health check (``SELECT 1``, CONN_HEALTH_CHECKS=True) is part of the request.

Usage (from the project root): ``.venv/bin/python benchmarks/profile_submit.py [--submits 300]``.
Nothing of the product is changed. ``DATABASE_URL=…`` uses that database instead of a cluster.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WARM = 20  # submits before any measurement: templates, translations, URL resolver, connection
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# Parts of the request the report breaks the profiled time into: (label, file suffix, function).
COMPONENTS = [
    ("newcomer_page wrapper (the whole view, below)", "surveys/frame.py", "wrapper"),
    ("  _active_response: State.load (survey, response)", "surveys/respond_views.py", "load"),
    ("  structure_for (pages built once per survey version)", "surveys/structure.py", "structure_for"),
    ("  stored_values (40 answers + their questions)", "surveys/respond.py", "stored_values"),
    ("  asked_questions", "surveys/respond.py", "asked_questions"),
    ("  throttle.allow (cache)", "surveys/throttle.py", "allow"),
    ("  services.submit_response (DELETE, UPDATE, scores, COMMIT)", "surveys/services.py", "submit_response"),
    ("  render_newcomer (review template)", "surveys/frame.py", "render_newcomer"),
    ("SessionMiddleware: session load (SELECT)", "django/contrib/sessions/backends/db.py", "load"),
    ("SessionMiddleware.process_response (session UPDATE, COMMIT)", "sessions/middleware.py", "process_response"),
    ("CsrfViewMiddleware.process_view", "django/middleware/csrf.py", "process_view"),
    ("connection health check (SELECT 1)", "backends/postgresql/base.py", "is_usable"),
    ("  all Model.__init__ (rows turned into objects)", "django/db/models/base.py", "__init__"),
    ("  all JSONField.from_db_value (json.loads)", "django/db/models/fields/json.py", "from_db_value"),
    (
        "  all psycopg2 cursor.execute (database round trips)",
        "~",
        "<method 'execute' of 'psycopg2.extensions.cursor' objects>",
    ),
    (
        "  all psycopg2 connection.commit (COMMIT, fsync)",
        "~",
        "<method 'commit' of 'psycopg2.extensions.connection' objects>",
    ),
]


def components(profiler: object, requests: int) -> list[str]:
    import pstats

    stats = pstats.Stats(profiler).stats
    total = sum(tt for _cc, _nc, tt, _ct, _callers in stats.values())
    lines = [f"  {'all profiled time':<62} {total / requests * 1000:7.2f} ms  100%"]
    for label, suffix, function in COMPONENTS:
        found = [
            (nc, ct)
            for (filename, _line, name), (_cc, nc, _tt, ct, _callers) in stats.items()
            if name == function and filename.endswith(suffix)
        ]
        if not found:
            continue
        calls, cumulative = sum(nc for nc, _ct in found), sum(ct for _nc, ct in found)
        lines.append(
            f"  {label:<62} {cumulative / requests * 1000:7.2f} ms  {cumulative / total:4.0%}"
            f"   ({calls / requests:g} calls per request)"
        )
    return lines


def inner(prepared_path: str, submits: int) -> None:
    """Runs inside the benchmark's Django environment."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.signals import request_started
    from django.db import close_old_connections, connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # The test client sends request_started, which empties the query log CaptureQueriesContext reads.
    request_started.disconnect(reset_queries)
    prepared = json.loads(Path(prepared_path).read_text())
    keys = list(prepared["sessions"])
    cookie = prepared["cookie"]
    # Per statement of one submit, in order: (SQL, seconds); COMMITs and the health check included.
    trace: list[tuple[str, float]] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            trace.append((sql, time.perf_counter() - started))

    def wrap(name: str, label: str) -> None:
        original = getattr(connection, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                trace.append((label, time.perf_counter() - started))

        setattr(connection, name, wrapper)

    wrap("_commit", "COMMIT")
    wrap("is_usable", "SELECT 1 (health check, CONN_HEALTH_CHECKS)")

    # One client (one handler: middleware, WhiteNoise's file scan, loaded once as in a gunicorn
    # worker); a fresh cookie jar for every respondent.
    shared = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")

    def review_page(key: str, profiler: object = None) -> tuple[Client, str, float, int]:
        client = shared
        client.cookies = SimpleCookie()
        client.cookies[cookie] = key
        close_old_connections()  # what gunicorn's request_started signal does
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            if profiler:
                profiler.enable()
            page = client.get("/answer/check/")
            if profiler:
                profiler.disable()
        elapsed = time.perf_counter() - started
        if page.status_code != 200:
            raise SystemExit(f"GET /answer/check/ answered {page.status_code}")
        return client, TOKEN.search(page.content.decode()).group(1), elapsed, len(queries)

    def submit(client: Client, token: str) -> None:
        close_old_connections()
        reply = client.post("/answer/check/", {"csrfmiddlewaretoken": token})
        if reply.status_code != 302 or reply["Location"] != "/answer/thanks/":
            raise SystemExit(f"POST /answer/check/ answered {reply.status_code} {reply.get('Location')}")

    for key in keys[:WARM]:
        submit(*review_page(key)[:2])
    keys = keys[WARM:]

    # 1. Timed, no profiler: wall time per POST and the time of each SQL statement.
    walls, get_walls, get_queries, traces = [], [], [], []
    for key in keys[:submits]:
        client, token, get_wall, get_count = review_page(key)
        get_walls.append(get_wall)
        get_queries.append(get_count)
        trace.clear()
        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            submit(client, token)
            walls.append(time.perf_counter() - started)
        traces.append(list(trace))
    keys = keys[submits:]

    # 2. The statements of one submit, as Django logs them (COMMIT included).
    client, token, _, _ = review_page(keys.pop(0))
    with CaptureQueriesContext(connection) as captured:
        submit(client, token)

    # 3. cProfile of the POSTs, and (separately) of the GETs before them.
    post_profile, get_profile = cProfile.Profile(), cProfile.Profile()
    profiled = keys[:submits]
    for key in profiled:
        client, token, _, _ = review_page(key, get_profile)
        post_profile.enable()
        submit(client, token)
        post_profile.disable()

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.2f} ms"

    def spread(values: list[float]) -> str:
        ordered = sorted(values)
        return (
            f"mean {ms(statistics.mean(ordered))}, p50 {ms(ordered[len(ordered) // 2])}, "
            f"p90 {ms(ordered[int(len(ordered) * 0.9)])}, max {ms(ordered[-1])}"
        )

    shapes = {tuple(sql for sql, _ in one) for one in traces}
    per_statement = [statistics.mean(one[index][1] for one in traces) for index in range(len(traces[0]))]
    in_db = statistics.mean(sum(seconds for _, seconds in one) for one in traces)
    cache = settings.CACHES["default"]["BACKEND"]
    print(f"Final submit (POST /answer/check/) through django.test.Client, {len(walls)} prepared respondents timed")
    print(f"  PostgreSQL {connection.pg_version}, DEBUG={settings.DEBUG}, {settings.SESSION_ENGINE}, cache {cache}")
    print(f"  wall per POST: {spread(walls)}")
    print(
        f"  of which waiting for PostgreSQL (statements, COMMITs, health check): mean {ms(in_db)} "
        f"({in_db / statistics.mean(walls):.0%}); Python: {ms(statistics.mean(walls) - in_db)}"
    )
    print(
        f"  for comparison, GET /answer/check/ (the review page; not counted in (d)): {spread(get_walls)}, "
        f"{statistics.mean(get_queries):.0f} SQL statements"
    )
    print()
    commits = sum(sql == "COMMIT" for sql, _ in traces[0])
    checks = sum(sql.startswith("SELECT 1 ") for sql, _ in traces[0])
    print(
        f"SQL of one final submit: {len(captured)} entries in Django's query log (BEGIN and COMMIT included; "
        f"psycopg2 sends BEGIN with the next statement). {len(traces[0])} round trips: "
        f"{len(traces[0]) - commits - checks} statements, {commits} COMMITs, {checks} health check; "
        f"{'the same sequence in every submit' if len(shapes) == 1 else f'{len(shapes)} different sequences'}"
    )
    for number, query in enumerate(captured.captured_queries, start=1):
        sql = re.sub(r"\s+", " ", query["sql"])
        print(f"  {number:2}. {sql[:150]}{'…' if len(sql) > 150 else ''}")
    print("  mean time per round trip, in order:")
    for (sql, _), seconds in zip(traces[0], per_statement, strict=True):
        sql = re.sub(r"\s+", " ", sql)
        print(f"    {seconds * 1000:6.3f} ms  {sql[:100]}{'…' if len(sql) > 100 else ''}")
    print()
    for title, profiler in (("POST /answer/check/", post_profile), ("GET /answer/check/", get_profile)):
        print(f"Where the time of {title} goes (cProfile over {len(profiled)} requests; per request, cumulative):")
        print("\n".join(components(profiler, len(profiled))))
        print()
    for order, profiler, title in (
        ("cumulative", post_profile, "POST"),
        ("tottime", post_profile, "POST"),
        ("cumulative", get_profile, "GET"),
    ):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(25)
        text = out.getvalue()
        print(f"cProfile of {title} /answer/check/ ({len(profiled)} requests), top 25 by {order}:")
        print(text[text.find("   ncalls") :].rstrip())
        print()


def outer(argv: list[str]) -> int:
    from benchmarks.questionnaire import Postgres, django_env, django_step, log

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submits", type=int, default=300, help="submits timed, and submits profiled (default 300)")
    parser.add_argument("--unsafe-pg", action="store_true", help="CI's fsync=off etc. for the throwaway cluster")
    args = parser.parse_args(argv)
    venv_python = ROOT / ".venv" / "bin" / "python"
    python = str(venv_python) if venv_python.exists() else sys.executable
    scratch = tempfile.mkdtemp(prefix="im-profile.")
    postgres = None
    try:
        database_url = os.environ.get("DATABASE_URL", "")
        if not database_url:
            postgres = Postgres(unsafe=args.unsafe_pg)
            database_url = postgres.start()
            log(f"PostgreSQL started: {postgres.version()}{' (--unsafe-pg)' if args.unsafe_pg else ', fsync on'}")
        env = django_env(args, database_url, f"{scratch}/static")
        env["PYTHONPATH"] = str(ROOT)
        log("migrate, collectstatic, survey")
        django_step(python, env, "manage.py", "migrate", "--noinput")
        django_step(python, env, "manage.py", "collectstatic", "--noinput")
        fixture = json.loads(django_step(python, env, "-m", "benchmarks.fixtures", "setup"))
        env["BENCH_SURVEY_ID"] = str(fixture["survey"])
        number = WARM + 2 * args.submits + 1
        log(f"preparing {number} responses at the review")
        prepared = f"{scratch}/prepared.json"
        django_step(python, env, "-m", "benchmarks.fixtures", "prepare", str(fixture["survey"]), str(number), prepared)
        log("profiling")
        print(django_step(python, env, "-m", "benchmarks.profile_submit", "--inner", prepared, str(args.submits)))
        return 0
    finally:
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--inner"]:
        inner(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(outer(sys.argv[1:]))
