#!/usr/bin/env python
"""Server time of the results views over 1,000,000 answers, beside the bare SQL they need.

One run starts a throwaway PostgreSQL 15 cluster (as benchmarks/questionnaire.py does), migrates it,
builds two waves of the 40-question survey with the product's services and loads their responses,
answers and indicator scores in bulk (benchmarks/report_fixtures.py): by default 25,000 completed
responses in the current wave (plus 1,000 in progress: just over 1,000,000 answer rows) and 12,500 in
the previous wave. Then, in one process with production settings (DEBUG off), it sends each results
view through ``django.test.Client`` as a logged-in administrator: one warm-up, then ``--repeat``
timed requests (median, min, max), each with a ``connection.execute_wrapper`` that counts the
view's SQL queries and times each of them. Beside each view it times the "SQL floor": the bare aggregate
statements the view's figures need, straight through the database cursor, and prints the ratio
server time / floor. The aim: every dashboard view under 300 ms of server time.

Usage (from the project root): ``.venv/bin/python benchmarks/reports.py [--responses 2000]``; see
benchmarks/README.md. ``DATABASE_URL=…`` uses that database instead of a throwaway cluster.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

AIM_MS = 300.0  # PRODUCT.md, "Performance": every dashboard view under 300 ms of server time
INDICATOR = "work"  # the indicator page measured

# The SQL floor of each view: the aggregate statements its figures need, nothing else (no session,
# no user, no survey lookup, no rendering). The %(name)s parameters are set in ``inner``.
COUNT_COMPLETED = "SELECT count(*) FROM surveys_response WHERE survey_id = %(survey)s AND status = 'completed'"
PLAIN = """
    SELECT indicator_id, count(*), avg(score), sum(CASE WHEN score >= 75 THEN 1 ELSE 0 END)
    FROM surveys_indicatorscore WHERE survey_id = %(survey)s GROUP BY indicator_id"""
BREAKDOWN = """
    SELECT s.indicator_id, a.choice, count(*), avg(s.score), sum(CASE WHEN s.score >= 75 THEN 1 ELSE 0 END)
    FROM surveys_indicatorscore s
    LEFT JOIN surveys_answer a ON a.response_id = s.response_id AND a.question_id = %(background)s
    WHERE s.survey_id = %(survey)s GROUP BY s.indicator_id, a.choice"""
GROUP_SIZES = """
    SELECT a.choice, count(*)
    FROM surveys_response r
    LEFT JOIN surveys_answer a ON a.response_id = r.id AND a.question_id = %(background)s
    WHERE r.survey_id = %(survey)s AND r.status = 'completed' GROUP BY a.choice"""
COUNT_BOTH = """
    SELECT survey_id, count(*) FROM surveys_response
    WHERE survey_id IN (%(survey)s, %(previous)s) AND status = 'completed' GROUP BY survey_id"""
COMPARE = """
    SELECT survey_id, indicator_id, count(*), avg(score), sum(CASE WHEN score >= 75 THEN 1 ELSE 0 END)
    FROM surveys_indicatorscore WHERE survey_id IN (%(survey)s, %(previous)s) GROUP BY survey_id, indicator_id"""
ONE_INDICATOR = """
    SELECT count(*), avg(score), sum(CASE WHEN score >= 75 THEN 1 ELSE 0 END)
    FROM surveys_indicatorscore WHERE survey_id = %(survey)s AND indicator_id = %(indicator)s"""
QUESTION_DISTRIBUTION = """
    SELECT a.question_id, a.number, count(*)
    FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id AND r.status = 'completed'
    WHERE a.survey_id = %(survey)s AND a.indicator_id = %(indicator)s GROUP BY a.question_id, a.number"""
FLOORS = {
    "plain": [("completed responses", COUNT_COMPLETED), ("indicator aggregate", PLAIN)],
    "breakdown": [
        ("completed responses per background answer", GROUP_SIZES),
        ("indicator x background aggregate", BREAKDOWN),
    ],
    "compare": [("completed responses, 2 waves", COUNT_BOTH), ("indicator aggregate, 2 waves", COMPARE)],
    "indicator": [
        ("completed responses", COUNT_COMPLETED),
        ("one indicator's aggregate", ONE_INDICATOR),
        ("its questions' answer distribution", QUESTION_DISTRIBUTION),
    ],
}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


# ---------------------------------------------------------------------------------------------
# Inside the benchmark's Django environment (python -m benchmarks.reports --inner OPTIONS).


def views(structure: dict) -> list[dict]:
    """The rows of the report: label, URL name, query string and the floor beside it."""
    by = {"by": structure["background_code"]}
    return [
        {"label": "dashboard", "name": "results", "query": {}, "floor": "plain"},
        {"label": f"dashboard ?by={by['by']}", "name": "results", "query": by, "floor": "breakdown"},
        {
            "label": "dashboard ?compare=<previous wave>",
            "name": "results",
            "query": {"compare": structure["previous"]["public_id"]},
            "floor": "compare",
        },
        {"label": f"indicator page ({INDICATOR})", "name": "results_indicator", "query": {}, "floor": "indicator"},
        {"label": "results.json", "name": "results_json", "query": {}, "floor": "plain"},
        {"label": f"results.json ?by={by['by']}", "name": "results_json", "query": by, "floor": "breakdown"},
        # The latest wave's plain result, beside who covers each indicator.
        {"label": "coverage map", "name": "coverage", "query": {}, "floor": "plain"},
    ]


def url_for(name: str, structure: dict) -> str:
    """reverse() for a results URL, whatever its parameters are called: the municipality's slug,
    the survey's public id, and for the indicator page the indicator's code (or, failing that, pk)."""
    from django.urls import NoReverseMatch, get_resolver, reverse

    candidates = get_resolver().reverse_dict.getlist(name)
    if not candidates:
        raise NoReverseMatch(f"no URL named {name!r} (yet)")
    survey = structure["current"]
    tried = []
    for possibilities, _pattern, _defaults, _converters in candidates:
        for _format, params in possibilities:
            for indicator in (structure["indicator_code"], structure["indicator_id"]):
                kwargs = {}
                for param in params:
                    if param in ("slug", "municipality", "municipality_slug"):
                        kwargs[param] = structure["slug"]
                    elif param in ("public_id", "survey", "survey_id", "survey_public_id"):
                        kwargs[param] = survey["public_id"]
                    else:
                        kwargs[param] = indicator
                try:
                    return reverse(name, kwargs=kwargs)
                except NoReverseMatch:
                    tried.append(kwargs)
    raise NoReverseMatch(f"{name!r} does not reverse with {tried}")


def time_view(client, url: str, repeat: int) -> dict:
    """One warm-up GET, then ``repeat`` timed GETs. Every request runs with a
    ``connection.execute_wrapper`` that counts its SQL queries and times each one (about a
    microsecond per query; CaptureQueriesContext would round each time to the millisecond)."""
    from django.db import close_old_connections, connection

    queries: list[tuple[float, str, object]] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql, params))

    def get() -> dict:
        queries.clear()
        close_old_connections()  # what gunicorn's request_started does before every request
        with connection.execute_wrapper(timed):
            started, cpu_started = time.perf_counter(), time.process_time()
            reply = client.get(url)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        sql = sum(seconds for seconds, _sql, _params in queries)
        return {"reply": reply, "wall": wall, "cpu": cpu, "sql": sql, "queries": list(queries)}

    try:
        request = get()
        if request["reply"].status_code != 200:
            return {"error": f"answers {request['reply'].status_code}" + _location(request["reply"])}
        timed_requests = []
        for _ in range(repeat):
            request = get()
            if request["reply"].status_code != 200:
                reply = request["reply"]
                return {"error": f"answers {reply.status_code} on a timed request" + _location(reply)}
            timed_requests.append(request)
    except Exception as error:  # a view being written may raise anything; report it, go on
        return {"error": f"raised {type(error).__name__}: {str(error)[:200]}"}
    counts = sorted({len(r["queries"]) for r in timed_requests})
    reply = timed_requests[-1]["reply"]
    return {
        "times": [r["wall"] for r in timed_requests],
        "cpu": statistics.median(r["cpu"] for r in timed_requests),
        "sql_time": statistics.median(r["sql"] for r in timed_requests),
        "rest": statistics.median(r["wall"] - r["sql"] for r in timed_requests),
        "queries": str(counts[0]) if len(counts) == 1 else f"{counts[0]}-{counts[-1]}",
        "bytes": len(reply.content),
        "content_type": reply.get("Content-Type", ""),
        "content": reply.content,
        "captured": timed_requests[-1]["queries"],
    }


def _location(reply) -> str:
    return f" to {reply['Location']}" if reply.get("Location") else ""


def time_floor(statements: list[tuple[str, str]], parameters: dict, repeat: int) -> dict:
    """The floor's statements in turn through Django's cursor (rows fetched): warm-up, then ``repeat``
    rounds. Median of the rounds' totals, and of every statement."""
    from django.db import connection

    def one_round() -> list[float]:
        elapsed = []
        for _label, sql in statements:
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(sql, parameters)
                cursor.fetchall()
                elapsed.append(time.perf_counter() - started)
        return elapsed

    one_round()
    rounds = [one_round() for _ in range(repeat)]
    return {
        "total": statistics.median(sum(r) for r in rounds),
        "min": min(sum(r) for r in rounds),
        "statements": [statistics.median(r[i] for r in rounds) for i in range(len(statements))],
    }


def inner(options: dict) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from benchmarks import report_fixtures
    from indicators.models import Indicator
    from surveys.models import Question
    from tenants.models import User

    # A view that raises is reported in its row; its traceback would bury the report.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    started = time.perf_counter()
    structure = report_fixtures.make_structure()
    made = time.perf_counter() - started
    log(
        f"survey structure made with the services in {made:.1f} s; loading {options['responses']} + "
        f"{options['previous']} completed responses in bulk"
    )
    loaded = report_fixtures.load(structure, options["responses"], options["previous"], seed=options["seed"])
    log(f"loaded in {loaded['timings']['total']:.1f} s")
    indicator = Indicator.objects.get(code=INDICATOR)
    background = Question.objects.get(survey_id=structure["current"]["id"], code=report_fixtures.BACKGROUND_CODE)
    structure |= {
        "indicator_code": indicator.code,
        "indicator_id": indicator.pk,
        "background_code": background.code,
    }
    parameters = {
        "survey": structure["current"]["id"],
        "previous": structure["previous"]["id"],
        "background": background.pk,
        "indicator": indicator.pk,
    }

    repeat = options["repeat"]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(User.objects.get(pk=structure["user"]))
    log(f"timing the views ({repeat} requests each after 1 warm-up) and their SQL floors")
    ceiling = time_view(client, "/bench/ceiling/", repeat)
    rows = []
    for view in views(structure):
        try:
            url = url_for(view["name"], structure)
        except Exception as error:
            rows.append({**view, "url": "", "result": {"error": str(error)}})
            continue
        if view["query"]:
            from django.utils.http import urlencode

            url += "?" + urlencode(view["query"])
        rows.append({**view, "url": url, "result": time_view(client, url, repeat)})
    floors = {key: time_floor(statements, parameters, repeat) for key, statements in FLOORS.items()}

    # The report.
    counts = loaded["counts"]
    total_answers = counts["current"]["answers"] + counts["previous"]["answers"]
    print()
    print("Integration Mapping: results views over 1,000,000 answers")
    print(
        f"  Django {django.__version__}, Python {platform.python_version()}, PostgreSQL "
        f"{connection.pg_version // 10000}.{connection.pg_version % 10000}, {os.cpu_count()} CPUs, "
        f"DEBUG={settings.DEBUG}, settings {os.environ.get('DJANGO_SETTINGS_MODULE')}"
    )
    print(f"  load average when the run started: {options['load']:.2f} (other work on the machine skews every figure)")
    print(f"  municipality {structure['slug']} (k = {structure['min_group_size']}), user {structure['username']}")
    timings = loaded["timings"]
    print(
        f"  load: structure through the services {made:.1f} s; bulk INSERT ... SELECT {timings['insert']:.1f} s, "
        f"VACUUM ANALYZE {timings['vacuum_analyze']:.1f} s"
    )
    print("    (" + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in timings["steps"].items()) + ")")
    for key in ("current", "previous"):
        c = counts[key]
        survey = structure[key]
        print(
            f"  {key:<8} wave {survey['wave']!r} ({survey['public_id']}): {c['completed']:,} completed + "
            f"{c['in_progress']:,} in progress; {c['answers']:,} answers ({c['dont_know']:,} don't know = "
            f"{c['dont_know'] / max(c['answers'], 1):.1%}, {c['open']:,} open), "
            f"{c['indicator_scores']:,} indicator scores"
        )
    sizes = ", ".join(f"{table} {counts[table + '_bytes'] / 2**20:.0f} MB" for table in report_fixtures.TABLES)
    print(f"  all waves: {total_answers:,} answer rows; on disk with indexes: {sizes}")
    print()
    print(
        f"Server time: django.test.Client in-process (whole view, middleware, session, template, chart JSON; "
        f"no network), {repeat} requests after 1 warm-up. SQL floor: the bare aggregate statements, median of "
        f"{repeat} rounds. Aim: under {AIM_MS:.0f} ms."
    )
    header = (
        f"  {'view':<42} {'p50 ms':>7} {'min':>7} {'max':>7} {'CPU':>7} {'queries':>7} {'in SQL':>7} {'rest':>7}"
        f" {'KB':>6}"
        f" | {'floor ms':>8} {'ratio':>6} | aim"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    blank = f"{'':>7} " * 7 + f"{'':>6}"

    def figures(result: dict) -> str:
        median = statistics.median(result["times"])
        return (
            f"{ms(median):>7} {ms(min(result['times'])):>7} {ms(max(result['times'])):>7} {ms(result['cpu']):>7} "
            f"{result['queries']:>7} "
            f"{ms(result['sql_time']):>7} {ms(result['rest']):>7} {result['bytes'] / 1024:>6.1f}"
        )

    label = "GET /bench/ceiling/ (bare view)"
    print(f"  {label:<42} {ceiling['error'] if 'error' in ceiling else figures(ceiling) + ' |'}")
    ok = True
    for row in rows:
        result, floor = row["result"], floors[row["floor"]]
        if "error" in result:
            ok = False
            print(f"  {row['label']:<42} NOT MEASURED: {row['url'] or row['name']} {result['error']}")
            print(f"  {'':<42} {blank} | {ms(floor['total']):>8}")
            continue
        median = statistics.median(result["times"])
        above = median * 1000 > AIM_MS
        ok &= not above
        print(
            f"  {row['label']:<42} {figures(result)} | {ms(floor['total']):>8} {median / floor['total']:>6.1f} | "
            f"{f'ABOVE {AIM_MS:.0f} ms' if above else 'ok'}"
        )
    for line in (
        "p50/min/max: server time (wall) of the timed requests. CPU: median CPU time of this Python process per",
        "request (PostgreSQL's work not included; less sensitive than wall time to other load on the machine).",
        "queries: SQL queries per request. in SQL: their time (each timed around cursor.execute), median per",
        "request. rest: median of wall - in SQL (Python: pandas, charts, templates, middleware). KB: response body.",
        "floor: the bare aggregate statements below. ratio = p50 / floor.",
    ):
        print("  " + line)
    print()
    print("SQL floors (median ms per statement; through Django's cursor, rows fetched):")
    for key, statements in FLOORS.items():
        used = ", ".join(row["label"] for row in rows if row["floor"] == key)
        print(f"  {key} ({ms(floors[key]['total'])} ms; for {used}):")
        for (label, sql), seconds in zip(statements, floors[key]["statements"], strict=True):
            print(f"    {ms(seconds):>7} ms  {label}: {' '.join(sql.split())}")
    for row in rows:
        result = row["result"]
        if "json" in result.get("content_type", ""):
            try:
                keys = list(json.loads(result["content"]))
            except (ValueError, TypeError):
                keys = ["(not JSON)"]
            print(f"  {row['label']}: {result['content_type']}, top-level keys {keys}")
    if options["sql"]:
        for row in rows:
            captured = sorted(row["result"].get("captured", []), key=lambda query: -query[0])
            if not captured:
                continue
            print()
            print(
                f"The {len(captured)} SQL queries of {row['label']} ({row['url']}; last timed request), slowest first:"
            )
            for seconds, sql, params in captured:
                sql = " ".join(sql.split())
                shown = f"{sql[:300]}{'…' if len(sql) > 300 else ''}"
                print(f"  {ms(seconds):>7} ms  {shown}  params {str(params)[:100]}")
    print()
    verdict = "met" if ok else "NOT met (see the rows marked ABOVE 300 ms or NOT MEASURED)"
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    print(f"aim (every dashboard view under {AIM_MS:.0f} ms of server time over 1,000,000 answers): {verdict}")
    if counts["current"]["answers"] < 1_000_000:
        print(
            f"note: the current wave holds only {counts['current']['answers']:,} answer rows "
            f"(--responses {options['responses']}); the aim is for 1,000,000, the default size"
        )
    return 0 if ok else 1


# ---------------------------------------------------------------------------------------------
# The orchestrator: PostgreSQL, migrate, collectstatic, the inner process, clean-up.


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--responses",
        type=int,
        default=25_000,
        help="completed responses in the current wave (default 25000: about 1,005,000 answer rows with the "
        "in-progress ones)",
    )
    parser.add_argument(
        "--previous", type=int, help="completed responses in the previous wave (default half of --responses)"
    )
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per view after 1 warm-up (default 7)")
    parser.add_argument(
        "--keep", action="store_true", help="leave the throwaway cluster running (prints its URL and how to remove it)"
    )
    parser.add_argument(
        "--sql", action="store_true", help="also print every SQL query of each view with its time (last request)"
    )
    parser.add_argument("--unsafe-pg", action="store_true", help="CI's fsync=off etc. for the throwaway cluster")
    parser.add_argument("--seed", type=float, default=0.42, help="PostgreSQL setseed() value, -1 to 1 (default 0.42)")
    args = parser.parse_args(argv)
    if args.previous is None:
        args.previous = args.responses // 2
    if args.responses < 1 or args.previous < 0 or args.repeat < 5:
        parser.error("--responses must be positive, --previous not negative and --repeat at least 5")
    if not -1 <= args.seed <= 1:
        parser.error("--seed must be between -1 and 1")
    return args


def outer(argv: list[str]) -> int:
    from benchmarks.questionnaire import Postgres, django_env, django_step

    args = parse_args(argv)
    wall = time.monotonic()
    load = os.getloadavg()[0]
    venv_python = ROOT / ".venv" / "bin" / "python"
    python = str(venv_python) if venv_python.exists() else sys.executable
    scratch = tempfile.mkdtemp(prefix="im-reports.")
    postgres = child = None
    stopping = {"signal": None}

    def on_signal(number: int, _frame: object) -> None:
        stopping["signal"] = number
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        database_url = os.environ.get("DATABASE_URL", "")
        if database_url:
            log("using DATABASE_URL (the benchmark's municipality, surveys and responses stay there)")
        else:
            postgres = Postgres(unsafe=args.unsafe_pg)
            database_url = postgres.start()
            log(f"PostgreSQL started: {postgres.version()}{' (--unsafe-pg)' if args.unsafe_pg else ', fsync on'}")
        env = django_env(args, database_url, f"{scratch}/static")
        env["PYTHONPATH"] = str(ROOT)
        log("migrate, collectstatic")
        # --skip-checks: the system checks import every URLconf, and the results views may be half
        # written while this runs; the script reports a view it cannot reach and goes on.
        django_step(python, env, "manage.py", "migrate", "--noinput", "--skip-checks")
        django_step(python, env, "manage.py", "collectstatic", "--noinput")
        options = {
            "responses": args.responses,
            "previous": args.previous,
            "repeat": args.repeat,
            "seed": args.seed,
            "sql": args.sql,
            "load": load,
        }
        child = subprocess.Popen(
            [python, "-m", "benchmarks.reports", "--inner", json.dumps(options)], cwd=ROOT, env=env
        )
        status = child.wait()
        print(f"total wall time: {time.monotonic() - wall:.1f} s")
        return status
    except KeyboardInterrupt:
        log("interrupted")
        return 128 + (stopping["signal"] or signal.SIGINT)
    finally:
        clean_up(child, postgres, keep=args.keep, database_url=database_url, scratch=scratch)


def clean_up(child, postgres, *, keep: bool, database_url: str, scratch: str) -> None:
    """Stop the child process and the throwaway cluster (or say how, with --keep); remove scratch."""
    if child is not None and child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    if postgres is not None:
        if keep and postgres.directory:
            data = f"{postgres.directory}/data"
            stop = shlex.join([str(postgres.bin / "pg_ctl"), "-D", data, "-m", "immediate", "stop"])
            if os.geteuid() == 0:
                stop = shlex.join(["su", "postgres", "-s", "/bin/sh", "-c", stop])
            log(f"--keep: the cluster stays up: DATABASE_URL={database_url}")
            log(f"  remove it with: {stop} && rm -rf {shlex.quote(postgres.directory)}")
        else:
            postgres.stop()
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--inner"]:
        sys.exit(inner(json.loads(sys.argv[2])))
    sys.exit(outer(sys.argv[1:]))
