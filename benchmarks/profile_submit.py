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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WARM = 20  # submits before any measurement: templates, translations, URL resolver, connection
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


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

    def respondent(key: str) -> tuple[Client, str, float, int]:
        client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
        client.cookies[cookie] = key
        close_old_connections()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/answer/check/")
        elapsed = time.perf_counter() - started
        if page.status_code != 200:
            raise SystemExit(f"GET /answer/check/ answered {page.status_code}")
        return client, TOKEN.search(page.content.decode()).group(1), elapsed, len(queries)

    def submit(client: Client, token: str) -> None:
        close_old_connections()  # what gunicorn's request_started signal does
        reply = client.post("/answer/check/", {"csrfmiddlewaretoken": token})
        if reply.status_code != 302 or reply["Location"] != "/answer/thanks/":
            raise SystemExit(f"POST /answer/check/ answered {reply.status_code} {reply.get('Location')}")

    sql_time = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_time[0] += time.perf_counter() - started

    for key in keys[:WARM]:
        submit(*respondent(key)[:2])
    keys = keys[WARM:]

    # 1. Timed, no profiler.
    walls, sqls, get_walls, get_queries = [], [], [], []
    for key in keys[:submits]:
        client, token, get_wall, get_count = respondent(key)
        get_walls.append(get_wall)
        get_queries.append(get_count)
        sql_time[0] = 0.0
        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            submit(client, token)
            walls.append(time.perf_counter() - started)
        sqls.append(sql_time[0])
    keys = keys[submits:]

    # 2. The statements of one submit (COMMIT included: Django logs it while queries are captured).
    client, token, _, _ = respondent(keys.pop(0))
    with CaptureQueriesContext(connection) as captured:
        submit(client, token)

    # 3. cProfile.
    profiler = cProfile.Profile()
    for key in keys[:submits]:
        client, token, _, _ = respondent(key)
        profiler.enable()
        submit(client, token)
        profiler.disable()

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.2f} ms"

    walls.sort()
    print(f"Final submit (POST /answer/check/) through django.test.Client, {len(walls)} prepared respondents")
    print(f"  database: {connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}")
    cache = settings.CACHES["default"]["BACKEND"]
    print(f"  DEBUG={settings.DEBUG}, SESSION_ENGINE={settings.SESSION_ENGINE}, cache {cache}")
    print(
        f"  wall per POST: mean {ms(statistics.mean(walls))}, p50 {ms(walls[len(walls) // 2])}, "
        f"p90 {ms(walls[int(len(walls) * 0.9)])}, max {ms(walls[-1])}"
    )
    print(
        f"  of which in SQL (cursor.execute round trips, not COMMIT): mean {ms(statistics.mean(sqls))}; "
        f"Python and COMMIT: {ms(statistics.mean(walls) - statistics.mean(sqls))}"
    )
    print(
        f"  (not counted in (d)) GET /answer/check/ before it: mean {ms(statistics.mean(get_walls))}, "
        f"{statistics.mean(get_queries):.0f} SQL statements"
    )
    print()
    print(f"SQL statements of one final submit: {len(captured)} (plus the health check SELECT 1, not logged)")
    for number, query in enumerate(captured.captured_queries, start=1):
        sql = re.sub(r"\s+", " ", query["sql"])
        print(f"  {number:2}. {float(query['time']) * 1000:6.2f} ms  {sql[:230]}{'…' if len(sql) > 230 else ''}")
    print()
    for order, title in (("cumulative", "cumulative time"), ("tottime", "own time")):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(order).print_stats(28)
        text = out.getvalue()
        print(f"cProfile over {min(submits, len(keys))} submits, by {title}:")
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
