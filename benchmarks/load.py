#!/usr/bin/env python
"""Load and soak: 1,000 newcomers at once, then a soak of mixed traffic, and a check in the database.

One run serves the app with gunicorn (gthread workers, production settings) on PostgreSQL 15 with
the background worker (``manage.py db_worker``) beside it, and drives it from separate processes on
127.0.0.1 only:

  (a) burst  N newcomers (default 1,000) start their journey at the same moment: public link ->
             consent -> every page GET + POST -> review -> final submit -> thank-you page;
  (b) soak   for a fixed time (default 600 s): newcomers filling in the questionnaire, officers
             opening dashboards (plain and ?by=), results.json (plain and ?by=) and the streamed
             answers CSV, and XLSX exports through the worker (start, poll until ready, download).

Every newcomer writes a unique marker into the open question. At the end the database must hold
every acknowledged response (a final submit answered with the redirect to the thank-you page)
exactly once, completed, with as many answers as the client sent and its indicator scores.

Usage (from the project root): ``.venv/bin/python benchmarks/load.py [--quick]``; see
benchmarks/README.md. The load generator uses the standard library only.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.questionnaire import (  # noqa: E402
    HOST,
    OPEN_TEXT,
    Browser,
    Fatal,
    GiveUp,
    Gunicorn,
    Postgres,
    Unexpected,
    django_env,
    django_step,
    hidden_value,
    journey,
    log,
    percentile,
)

MARKER = re.compile(r"\[(load-[0-9a-f]+-[a-z0-9-]+)\]")
FAILURE_CATEGORIES = ("5xx", "connection", "timeout")
JOURNEY_KINDS = ("entry", "start", "consent", "page-get", "page-post", "review", "submit", "thanks")
STAFF_KINDS = ("sign-in", "dashboard", "dashboard ?by=", "results.json", "results.json ?by=", "answers.csv")
XLSX_KINDS = ("exports page", "xlsx start", "xlsx poll", "xlsx download")
KEEP_ALIVE = 5  # gunicorn's --keep-alive; a client idle for longer opens a new connection first
XLSX_POLL_SECONDS = 1.0
XLSX_READY_LIMIT = 300.0


# ---------------------------------------------------------------------------------------------
# The load generator: processes x threads, standard library only.


class LoadBrowser(Browser):
    """A respondent or officer with optional think time before each request but the first."""

    def __init__(self, port: int, language: str, events: list, timeout: float, think: float, rng: random.Random):
        super().__init__(port, language, events, timeout)
        self.think = think
        self.rng = rng
        self.last_used: float | None = None

    def send(self, kind: str, method: str, path: str, form: list[tuple[str, str]] | None = None):
        if self.think > 0 and self.last_used is not None:
            time.sleep(self.rng.uniform(0.5, 1.5) * self.think)
        if self.last_used is not None and time.monotonic() - self.last_used > KEEP_ALIVE - 1:
            # The server closes idle keep-alive connections; don't send into one it may be closing.
            self.connection.close()
        try:
            return super().send(kind, method, path, form)
        finally:
            self.last_used = time.monotonic()


class Sink:
    """What one client process's threads record (list.append is atomic under the GIL)."""

    def __init__(self) -> None:
        self.events: list = []  # (kind, finished, latency) of every answered request
        self.failures: list = []  # (kind, category)
        self.acknowledged: list = []  # (marker, answers sent)
        self.errors: list[str] = []
        self.error_count = 0
        self.abandoned = 0
        self.journeys = 0
        self.fatal: str | None = None
        self._lock = threading.Lock()

    def error(self, message: str) -> None:
        with self._lock:
            self.error_count += 1
            if len(self.errors) < 5:
                self.errors.append(message)

    def add(self, counter: str) -> None:
        with self._lock:
            setattr(self, counter, getattr(self, counter) + 1)

    def as_dict(self) -> dict:
        return {name: value for name, value in vars(self).items() if not name.startswith("_")}


def newcomer(job: dict, sink: Sink, marker: str, rng: random.Random, language: str) -> None:
    browser = LoadBrowser(job["port"], language, sink.events, job["timeout"], job["think"], rng)
    result = {"acknowledged": 0, "expect_pages": job["pages"], "expect_questions": job["questions"], "sent": None}
    started = time.monotonic()
    try:
        journey(browser, job["token"], rng, result, job["give_up_at"], text=f"{OPEN_TEXT} [{marker}]")
        sink.events.append(("journey (whole)", time.monotonic(), time.monotonic() - started))
    except GiveUp:
        sink.add("abandoned")
    except Unexpected as error:
        sink.error(f"newcomer: {error}")
    finally:
        browser.close()
        sink.failures.extend(browser.failures)
        sink.add("journeys")
        if result["acknowledged"]:
            sink.acknowledged.append((marker, result["sent"]))


def sign_in(browser: Browser, username: str, password: str) -> None:
    page = browser.expect("sign-in", "GET", "/accounts/login/", 200).body
    form = [
        ("csrfmiddlewaretoken", hidden_value(page, "csrfmiddlewaretoken")),
        ("username", username),
        ("password", password),
    ]
    browser.expect("sign-in", "POST", "/accounts/login/", 302, form=form)


def officer(job: dict, sink: Sink, rng: random.Random) -> None:
    """Dashboards, results.json and the answers CSV in a random mix until the soak ends."""
    staff = job["staff"]
    base, by = staff["base"], urllib.parse.quote(staff["by"])
    requests = [
        ("dashboard", f"{base}results/"),
        ("dashboard ?by=", f"{base}results/?by={by}"),
        ("dashboard ?by=", f"{base}results/?by=channel"),
        ("results.json", f"{base}results.json"),
        ("results.json ?by=", f"{base}results.json?by={by}"),
        ("answers.csv", f"{base}answers.csv"),
    ]
    browser = LoadBrowser(job["port"], "nl", sink.events, job["timeout"], job["staff_think"], rng)
    try:
        sign_in(browser, staff["username"], staff["password"])
        while time.monotonic() < job["end_at"]:
            kind, path = rng.choice(requests)
            try:
                body = browser.expect(kind, "GET", path, 200).body
                if kind.startswith("results.json"):
                    json.loads(body)
                elif kind == "answers.csv" and body.count("\n") < 1:
                    raise Unexpected("answers.csv without a header line")
            except (Unexpected, ValueError) as error:
                sink.error(f"{kind}: {error}")
    except Unexpected as error:
        sink.error(f"officer: {error}")
    finally:
        browser.close()
        sink.failures.extend(browser.failures)


def exporter(job: dict, sink: Sink, rng: random.Random) -> None:
    """XLSX exports through the worker: start, poll until ready, download; then wait and repeat."""
    staff = job["staff"]
    base = staff["base"]
    browser = LoadBrowser(job["port"], "nl", sink.events, job["timeout"], 0.0, rng)
    try:
        sign_in(browser, staff["username"], staff["password"])
        while time.monotonic() < job["end_at"]:
            try:
                page = browser.expect("exports page", "GET", f"{base}exports/", 200).body
                form = [("csrfmiddlewaretoken", hidden_value(page, "csrfmiddlewaretoken"))]
                started = time.monotonic()
                reply = browser.expect("xlsx start", "POST", f"{base}exports/new/", 302, form=form)
                detail = urllib.parse.urlsplit(reply.location).path
                while True:
                    state = json.loads(browser.expect("xlsx poll", "GET", f"{detail}?format=json", 200).body)
                    if state["finished"]:
                        break
                    if time.monotonic() - started > XLSX_READY_LIMIT:
                        raise Unexpected(f"XLSX export not ready after {XLSX_READY_LIMIT:g} s: {state}")
                    time.sleep(XLSX_POLL_SECONDS)
                if state["status"] != "ready":
                    raise Unexpected(f"XLSX export finished as {state['status']}")
                body = browser.expect("xlsx download", "GET", f"{detail}download/", 200).body
                if not body.startswith("PK"):
                    raise Unexpected("the XLSX download is not a zip file")
                finished = time.monotonic()
                sink.events.append(("xlsx start -> downloaded", finished, finished - started))
            except (Unexpected, ValueError, KeyError) as error:
                sink.error(f"xlsx: {error}")
            time.sleep(max(0.0, min(job["xlsx_interval"], job["end_at"] - time.monotonic())))
    except Unexpected as error:
        sink.error(f"exporter: {error}")
    finally:
        browser.close()
        sink.failures.extend(browser.failures)


def run_client(job: dict) -> dict:
    """One client process: its threads start together at ``start_at``."""
    sink = Sink()
    threads = []

    def guarded(target, *arguments) -> None:
        try:
            target(*arguments)
        except Fatal as error:
            sink.fatal = str(error)

    def newcomers_loop(index: int) -> None:
        rng = random.Random(job["seed"] * 100_000 + index)
        language = "nl" if index % 2 == 0 else "en-GB,en;q=0.8"
        number = 0
        while True:
            marker = f"load-{job['run']}-{job['name']}-{job['index']}-{index}-{number}"
            newcomer(job, sink, marker, rng, language)
            number += 1
            if job["part"] == "burst" or time.monotonic() >= job["end_at"] or sink.fatal:
                return

    for index in range(job["newcomers"]):
        threads.append(threading.Thread(target=guarded, args=(newcomers_loop, index), daemon=True))
    for index in range(job["officers"]):
        rng = random.Random(job["seed"] * 100_000 + 50_000 + index)
        threads.append(threading.Thread(target=guarded, args=(officer, job, sink, rng), daemon=True))
    if job["exporter"]:
        rng = random.Random(job["seed"] * 100_000 + 99_999)
        threads.append(threading.Thread(target=guarded, args=(exporter, job, sink, rng), daemon=True))
    time.sleep(max(0.0, job["start_at"] - time.monotonic()))
    cpu_started = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, job["give_up_at"] + job["timeout"] + 5 - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        sink.error("a client thread was still running after the hard time limit")
    result = sink.as_dict()
    result["cpu"] = time.process_time() - cpu_started
    return result


# ---------------------------------------------------------------------------------------------
# Django-side steps (``python -m benchmarks.load --inner …``), in the benchmark's environment.


def inner_staff(survey_id: int) -> dict:
    """An administrator of the survey's municipality, and what the officers' URLs need."""
    from surveys.models import Survey
    from surveys.scales import QuestionType, Section
    from tenants import services as tenant_services
    from tenants.models import Role

    survey = Survey.objects.select_related("municipality").get(pk=survey_id)
    background = survey.visible_questions().get(section=Section.BACKGROUND, type=QuestionType.SINGLE)
    password = secrets.token_urlsafe(18)
    user = tenant_services.ensure_user(username=f"bench-load-{secrets.token_hex(4)}", password=password)
    tenant_services.add_member(municipality=survey.municipality, user=user, role=Role.ADMINISTRATOR)
    return {
        "username": user.username,
        "password": password,
        "base": f"/m/{survey.municipality.slug}/surveys/{survey.public_id}/",
        "by": background.code,
    }


def inner_check(path: str) -> dict:
    """Every acknowledged marker: its responses, their status, answers and indicator scores."""
    from django.db.models import Count

    from surveys.models import Answer, IndicatorScore, Response, ResponseStatus

    claim = json.loads(Path(path).read_text())
    survey_id = claim["survey"]
    found: dict[str, set[int]] = {}
    texts = Answer.objects.filter(survey_id=survey_id, text__contains=f"[load-{claim['run']}-")
    for text, response_id in texts.values_list("text", "response_id"):
        for marker in MARKER.findall(text):
            found.setdefault(marker, set()).add(response_id)
    ids = set().union(*found.values()) if found else set()
    status = dict(Response.objects.filter(pk__in=ids).values_list("pk", "status"))

    def per_response(queryset) -> dict[int, int]:
        return dict(
            queryset.filter(response_id__in=ids)
            .values("response_id")
            .annotate(n=Count("id"))
            .values_list("response_id", "n")
        )

    answers = per_response(Answer.objects.all())
    scores = per_response(IndicatorScore.objects.all())
    scored = dict(
        Answer.objects.filter(response_id__in=ids, score__isnull=False)
        .values("response_id")
        .annotate(n=Count("indicator_id", distinct=True))
        .values_list("response_id", "n")
    )
    counts = {"acknowledged": 0, "stored once": 0, "missing": 0, "duplicated": 0, "not completed": 0,
              "answers differ": 0, "scores differ": 0, "good": 0}  # fmt: skip
    examples: list[str] = []
    acknowledged = dict(claim["acknowledged"])
    for marker, sent in acknowledged.items():
        counts["acknowledged"] += 1
        responses = found.get(marker, set())
        problem = None
        if not responses:
            counts["missing"] += 1
            problem = "missing"
        elif len(responses) > 1:
            counts["duplicated"] += 1
            problem = f"stored {len(responses)} times"
        else:
            counts["stored once"] += 1
            (response_id,) = responses
            if status[response_id] != ResponseStatus.COMPLETED:
                counts["not completed"] += 1
                problem = f"status {status[response_id]}"
            elif answers.get(response_id, 0) != sent:
                counts["answers differ"] += 1
                problem = f"{answers.get(response_id, 0)} answers stored, {sent} sent"
            elif scores.get(response_id, 0) != claim["indicators"] or scored.get(response_id, 0) != claim["indicators"]:
                counts["scores differ"] += 1
                problem = f"{scores.get(response_id, 0)} indicator scores, {claim['indicators']} expected"
        if problem is None:
            counts["good"] += 1
        elif len(examples) < 5:
            examples.append(f"{marker}: {problem}")
    unacknowledged = [marker for marker in found if marker not in acknowledged]
    completed_unacknowledged = sum(
        1 for marker in unacknowledged if any(status[pk] == ResponseStatus.COMPLETED for pk in found[marker])
    )
    counts["completed, not acknowledged"] = completed_unacknowledged
    counts["in progress, not acknowledged"] = len(unacknowledged) - completed_unacknowledged
    counts["completed responses of the survey"] = Response.objects.filter(
        survey_id=survey_id, status=ResponseStatus.COMPLETED
    ).count()
    return {"counts": counts, "examples": examples}


def inner(argv: list[str]) -> None:
    import django

    django.setup()
    if argv[:1] == ["staff"] and len(argv) == 2:
        result = inner_staff(int(argv[1]))
    elif argv[:1] == ["check"] and len(argv) == 2:
        result = inner_check(argv[1])
    else:
        raise SystemExit("usage: python -m benchmarks.load --inner staff SURVEY_ID | check FILE")
    print(json.dumps(result))


# ---------------------------------------------------------------------------------------------
# The orchestrator.


class Worker:
    """``manage.py db_worker`` beside gunicorn, as in production."""

    def __init__(self, python: str, env: dict, logfile: str) -> None:
        self.logfile = open(logfile, "wb")  # noqa: SIM115 (closed in stop())
        command = [python, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.5"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.logfile, stderr=subprocess.STDOUT, start_new_session=True
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.logfile.close()


def server_errors(path: str) -> tuple[int, list[str]]:
    """Responses with status >= 500 in the app's JSON request log (integration_mapping.requests),
    and the first few ERROR lines of the app's log."""
    count, errors = 0, []
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if '"integration_mapping.requests"' in line:
                try:
                    count += json.loads(line).get("status", 0) >= 500
                except ValueError:
                    continue
            elif '"level": "ERROR"' in line and len(errors) < 3:
                errors.append(line.strip()[:400])
    return count, errors


def gunicorn_options(args: argparse.Namespace) -> list[str]:
    return [
        "--workers", str(args.workers), "--worker-class", "gthread", "--threads", str(args.threads),
        "--worker-connections", str(args.worker_connections), "--backlog", str(args.backlog),
        "--keep-alive", str(KEEP_ALIVE),
    ]  # fmt: skip


def split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


def run_part(pool, part: str, args: argparse.Namespace, base_job: dict) -> tuple[list[dict], float, float]:
    start_at = time.monotonic() + 1.0
    if part == "burst":
        end_at = start_at  # every newcomer makes exactly one journey
        give_up_at = start_at + args.burst_limit
        newcomers = [n for n in split(args.newcomers, args.processes) if n]
        jobs = [{"newcomers": n, "officers": 0, "exporter": False} for n in newcomers]
    else:
        end_at = start_at + args.soak
        give_up_at = end_at + args.grace
        jobs = [
            {"newcomers": n, "officers": 0, "exporter": False} for n in split(args.soak_newcomers, args.processes) if n
        ]
        jobs.append({"newcomers": 0, "officers": args.officers, "exporter": args.xlsx})
    for index, job in enumerate(jobs):
        job.update(base_job, part=part, name=part[0], index=index, seed=args.seed * 1000 + index)
        job.update(start_at=start_at, end_at=end_at, give_up_at=give_up_at)
    results = []
    for result in pool.imap_unordered(run_client, jobs):
        if result["fatal"]:
            pool.terminate()
            raise SystemExit(f"part {part} stopped: {result['fatal']}")
        results.append(result)
    for result in results:
        for error in result["errors"]:
            log(f"{part}: {error}")
    return results, start_at, end_at


def summarise(title: str, results: list[dict], start_at: float, window_end: float | None, kinds: tuple) -> dict:
    """Print one part's table; returns its totals. ``window_end`` None: the part lasts until its last
    answer (the burst); otherwise only what finished inside [start_at, window_end) counts for rates."""
    events = [event for result in results for event in result["events"]]
    failures = [failure for result in results for failure in result["failures"]]
    end = window_end or max((finished for _kind, finished, _latency in events), default=start_at + 1)
    seconds = max(end - start_at, 1e-9)
    inside = [event for event in events if window_end is None or event[1] < window_end]
    requests = [event for event in inside if event[0] not in ("journey (whole)", "xlsx start -> downloaded")]
    cpu = sum(result["cpu"] for result in results)
    print()
    print(title)
    print(
        f"  {len(requests)} requests answered in {seconds:.1f} s: throughput {len(requests) / seconds:.1f} req/s; "
        f"the load generator used {cpu / (seconds * (os.cpu_count() or 1)):.0%} of the machine's CPU time"
    )
    header = f"  {'kind':<26} {'n':>7} {'req/s':>7} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}"
    print(header + "   " + " ".join(f"{category:>10}" for category in FAILURE_CATEGORIES))
    failure_total = dict.fromkeys(FAILURE_CATEGORIES, 0)
    for kind in (*kinds, "journey (whole)", "xlsx start -> downloaded"):
        latencies = [latency for event_kind, _finished, latency in inside if event_kind == kind]
        counted = {category: failures.count((kind, category)) for category in FAILURE_CATEGORIES}
        if not latencies and not any(counted.values()):
            continue
        for category, number in counted.items():
            failure_total[category] += number
        print(
            f"  {kind:<26} {len(latencies):>7} {len(latencies) / seconds:>7.1f} "
            f"{percentile(latencies, 0.5) * 1000:>9.1f} {percentile(latencies, 0.95) * 1000:>9.1f} "
            f"{percentile(latencies, 0.99) * 1000:>9.1f}   "
            + " ".join(f"{counted[category]:>10}" for category in FAILURE_CATEGORIES)
        )
    totals = {
        "errors": sum(result["error_count"] for result in results),
        "abandoned": sum(result["abandoned"] for result in results),
        "journeys": sum(result["journeys"] for result in results),
        "acknowledged": sum(len(result["acknowledged"]) for result in results),
        "failures": failure_total,
    }
    print(
        f"  journeys {totals['journeys']}, acknowledged (302 to thanks) {totals['acknowledged']}, "
        f"abandoned at the time limit {totals['abandoned']}, failed journeys or requests {totals['errors']}; "
        f"status >= 500 {failure_total['5xx']}, connection errors {failure_total['connection']}, "
        f"timeouts {failure_total['timeout']}"
    )
    return totals


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 100 newcomers, a 60 s soak")
    parser.add_argument("--newcomers", type=int, default=1000, help="concurrent journeys in part (a) (default 1000)")
    parser.add_argument("--soak", type=float, default=600.0, help="soak duration in seconds (default 600)")
    parser.add_argument("--parts", default="ab", help="a burst, b soak (default ab)")
    parser.add_argument(
        "--think", type=float, default=0.0, help="newcomers' mean think time per request in s (default 0: off)"
    )
    parser.add_argument(
        "--soak-newcomers", type=int, default=20, help="newcomers filling in during the soak (default 20)"
    )
    parser.add_argument("--officers", type=int, default=4, help="officers browsing results during the soak (default 4)")
    parser.add_argument(
        "--staff-think", type=float, default=0.0, help="officers' mean pause per request in s (default 0)"
    )
    parser.add_argument("--no-xlsx", dest="xlsx", action="store_false", help="no XLSX exports in the soak")
    parser.add_argument("--xlsx-interval", type=float, default=30.0, help="seconds between XLSX exports (default 30)")
    parser.add_argument("--processes", type=int, default=20, help="client processes (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn gthread workers (default 2)")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (default 8)")
    parser.add_argument(
        "--worker-connections", type=int, default=1200, help="open connections per worker (default 1200)"
    )
    parser.add_argument("--backlog", type=int, default=2048, help="gunicorn's listen backlog (default 2048)")
    parser.add_argument("--timeout", type=float, default=120.0, help="client socket timeout in s (default 120)")
    parser.add_argument(
        "--burst-limit", type=float, default=1800.0, help="part (a) gives up journeys after this (default 1800 s)"
    )
    parser.add_argument(
        "--grace", type=float, default=120.0, help="soak journeys may finish this long after its end (default 120 s)"
    )
    parser.add_argument("--unsafe-pg", action="store_true", help="CI's fsync=off settings for the cluster")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.quick:
        args.newcomers, args.soak = 100, 60.0
    if not args.parts or not set(args.parts) <= set("ab"):
        parser.error("--parts takes letters from ab")
    if min(args.newcomers, args.processes, args.workers, args.threads) < 1 or args.soak <= 0:
        parser.error("--newcomers, --processes, --workers, --threads and --soak must be positive")
    return args


def main(argv: list[str]) -> int:
    if argv[:1] == ["--inner"]:
        inner(argv[1:])
        return 0
    args = parse_args(argv)
    wall_start = time.monotonic()
    load = os.getloadavg()[0]
    venv_python = ROOT / ".venv" / "bin" / "python"
    python = str(venv_python) if venv_python.exists() else sys.executable
    scratch = tempfile.mkdtemp(prefix="im-load.")
    postgres = gunicorn = worker = pool = None
    stopping = {"signal": None}

    def on_signal(number: int, _frame: object) -> None:
        stopping["signal"] = number
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        database_url = os.environ.get("DATABASE_URL", "")
        if database_url:
            database = "DATABASE_URL (the benchmark's municipality, survey and responses stay there)"
        else:
            postgres = Postgres(unsafe=args.unsafe_pg)
            database_url = postgres.start()
            durability = "fsync=off etc. (--unsafe-pg)" if args.unsafe_pg else "default durability (fsync on)"
            database = f"throwaway cluster: {postgres.version()}, {durability}"
        log(f"database: {database}")
        env = django_env(args, database_url, f"{scratch}/static")
        env["DJANGO_MEDIA_ROOT"] = f"{scratch}/media"
        django_step(python, env, "manage.py", "migrate", "--noinput")
        django_step(python, env, "manage.py", "createcachetable")  # production's throttle counters
        django_step(python, env, "manage.py", "collectstatic", "--noinput")
        fixture = json.loads(django_step(python, env, "-m", "benchmarks.fixtures", "setup"))
        staff = json.loads(
            django_step(python, env, "-m", "benchmarks.load", "--inner", "staff", str(fixture["survey"]))
        )
        log(f"survey {fixture['survey']}: {fixture['questions']} questions on {fixture['pages']} pages")
        options = gunicorn_options(args)
        # The app's log lines (one per request in production) go to a file, not into the report.
        app_log = open(f"{scratch}/app.log", "wb")  # noqa: SIM115 (closed with the scratch directory)
        gunicorn = Gunicorn(python, env, args.workers, f"{scratch}/gunicorn.log", options, stdout=app_log)
        gunicorn.wait_ready()
        worker = Worker(python, env, f"{scratch}/worker.log")
        log(f"gunicorn on {HOST}:{gunicorn.port}: {' '.join(options)}; db_worker running")
        run = secrets.token_hex(4)
        base_job = {
            "run": run,
            "port": gunicorn.port,
            "token": fixture["token"],
            "pages": fixture["pages"],
            "questions": fixture["questions"],
            "timeout": args.timeout,
            "think": args.think,
            "staff_think": args.staff_think,
            "xlsx_interval": args.xlsx_interval,
            "staff": staff,
        }
        pool = multiprocessing.get_context("spawn").Pool(args.processes + 1)
        pool.map(time.sleep, [0] * (args.processes + 1))  # every client process is up first
        parts = {}
        if "a" in args.parts:
            log(f"part (a): {args.newcomers} newcomers at once in {args.processes} processes")
            parts["a"] = run_part(pool, "burst", args, base_job)
        if "b" in args.parts:
            log(f"part (b): soak of {args.soak:g} s")
            parts["b"] = run_part(pool, "soak", args, base_job)
        pool.close()
        pool.join()
        pool = None
        worker.stop()
        gunicorn.stop()
        server_log = gunicorn.log_tail()
        app_log.close()
        logged_5xx, app_errors = server_errors(f"{scratch}/app.log")

        acknowledged = [
            pair for results, _s, _e in parts.values() for result in results for pair in result["acknowledged"]
        ]
        claim = {"survey": fixture["survey"], "run": run, "acknowledged": acknowledged, "indicators": 14}
        claim_path = f"{scratch}/acknowledged.json"
        Path(claim_path).write_text(json.dumps(claim))
        check = json.loads(django_step(python, env, "-m", "benchmarks.load", "--inner", "check", claim_path))

        versions = subprocess.run(
            [python, "-c", "import django, gunicorn; print(django.__version__, gunicorn.__version__)"],
            capture_output=True, text=True, check=False,
        ).stdout.split()  # fmt: skip
        print()
        print("Integration Mapping load and soak")
        print(
            f"  Django {versions[0]}, gunicorn {versions[1]}, Python {platform.python_version()}, {os.cpu_count()} CPUs"
        )
        print(
            f"  gunicorn {' '.join(options)} --timeout 60, an empty --config (not the repo's gunicorn.conf.py): "
            f"holds {args.workers * args.worker_connections} open connections"
        )
        print("  background worker: manage.py db_worker beside gunicorn")
        print(f"  database: {database}")
        print(f"  load average when the run started: {load:.2f}; at the end: {os.getloadavg()[0]:.2f}")
        print(
            f"  survey: {fixture['questions']} questions on {fixture['pages']} pages, "
            f"{6 + 2 * fixture['pages']} requests per newcomer; client processes: {args.processes}; "
            f"think time {args.think:g} s"
        )
        ok = True
        if "a" in parts:
            results, start_at, _end = parts["a"]
            totals = summarise(
                f"(a) burst: {args.newcomers} newcomers start at once (rates over the whole burst)",
                results, start_at, None, JOURNEY_KINDS,
            )  # fmt: skip
            ok &= totals["errors"] == 0 and totals["abandoned"] == 0
        if "b" in parts:
            results, start_at, end_at = parts["b"]
            totals = summarise(
                f"(b) soak: {args.soak:g} s; {args.soak_newcomers} newcomers, {args.officers} officers, "
                f"{'an XLSX export every ' + format(args.xlsx_interval, 'g') + ' s' if args.xlsx else 'no XLSX'}",
                results, start_at, end_at, (*JOURNEY_KINDS, *STAFF_KINDS, *XLSX_KINDS),
            )  # fmt: skip
            ok &= totals["errors"] == 0
            if args.xlsx and not any(kind == "xlsx start -> downloaded" for r in results for kind, *_ in r["events"]):
                ok = False
                print("  NO XLSX export completed during the soak")
        counts = check["counts"]
        stored = counts["good"] == counts["acknowledged"] and counts["acknowledged"] > 0
        ok &= stored
        print()
        print(
            "database check: " + ", ".join(f"{name} {number}" for name, number in counts.items())
            + f" (each with the answers its client sent and {claim['indicators']} indicator scores)"
        )  # fmt: skip
        for example in check["examples"]:
            print(f"  {example}")
        print(f"acknowledged = stored: {'yes' if stored else 'no'} ({counts['good']} of {counts['acknowledged']})")
        print(f"the app's request log: {logged_5xx} responses with status >= 500")
        ok &= logged_5xx == 0
        for line in app_errors:
            log(f"app log: {line}")
        if server_log.strip():
            log(f"gunicorn's log (last lines):\n{server_log}")
        print(f"total wall time: {time.monotonic() - wall_start:.1f} s")
        return 0 if ok else 1
    except KeyboardInterrupt:
        log("interrupted")
        return 128 + (stopping["signal"] or signal.SIGINT)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        if worker is not None:
            worker.stop()
        if gunicorn is not None:
            gunicorn.stop()
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
