#!/usr/bin/env python
"""How many completed 40-question responses per second the questionnaire takes, next to two bounds
and to its final submit alone.

One run serves the app with gunicorn (2 sync workers, production settings) on PostgreSQL and
drives it from separate load-generator processes on 127.0.0.1 only:

  (a) ceiling     a bare Django view returning a tiny response (same gunicorn, same middleware);
  (b) write floor one transaction inserting one Response and 40 Answers with bulk_create;
  (c) questionnaire the real journey of a respondent through a public link, page by page, up to
                  the final submit and the thank-you page;
  (d) final submit alone: POST /answer/check/ for prepared responses whose 40 answers are stored
                  (each after an uncounted GET of the review page for the CSRF token).

Usage (from the project root, with the virtualenv's Python): ``.venv/bin/python
benchmarks/questionnaire.py [--quick]``; see benchmarks/README.md. Standard library only.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import math
import multiprocessing
import os
import platform
import random
import re
import secrets
import shlex
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # the only address this benchmark ever talks to
PG_VERSION = "15"
# CI's settings (.ci/run): fast, but a crash loses data. Off by default: see --unsafe-pg.
UNSAFE_PG = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
THROTTLE_VARIABLES = ("RESPOND_THROTTLE_LINK_FAILURES", "RESPOND_THROTTLE_STARTS", "RESPOND_THROTTLE_ANSWERS")
MAX_ERRORS_PER_CLIENT = 20
# Part (d) prepares this many responses per second of warm-up + measurement (3400 for the default
# 2 + 15 s): more than twice what the reference machine submits, so the clients never run out.
# Without the review GET (--submit-without-get) a submit costs less, so twice as many.
SUBMITS_PER_SECOND = 200
MIN_SUBMIT_RESPONSES = 400
SUBMIT_AIM = 0.70  # the aim for "d final submit rate ÷ b write rate"


# ---------------------------------------------------------------------------------------------
# The load generator: runs in separate processes, standard library only.


class Fatal(Exception):
    """Stops the whole benchmark (e.g. a CSRF failure: every further request would fail too)."""


class Unexpected(Exception):
    """One request did not get the expected answer; the respondent gives up this journey."""


class GiveUp(Exception):
    """A journey still running at the hard time limit (``--grace`` after the part's end)."""


def squeeze(text: str, limit: int = 300) -> str:
    return re.sub(r"\s+", " ", text)[:limit]


@dataclass
class Reply:
    status: int
    location: str
    body: str


class Browser:
    """One respondent: its own cookie jar and one HTTP/1.1 connection (reopened when the server
    closes it; gunicorn's sync workers close every connection after the response)."""

    def __init__(self, port: int, language: str, events: list, timeout: float = 30) -> None:
        self.port = port
        self.language = language
        self.events = events
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
        self.requests = 0
        # (kind, "timeout" | "connection" | "5xx") per failed request, for load.py's error counts.
        self.failures: list[tuple[str, str]] = []

    def close(self) -> None:
        self.connection.close()

    def send(self, kind: str, method: str, path: str, form: list[tuple[str, str]] | None = None) -> Reply:
        headers = {"Accept-Language": self.language, "User-Agent": "integration-mapping-benchmark"}
        if self.cookies:
            # The production cookies are marked Secure; a browser sends them only over https. The
            # benchmark speaks plain http on loopback, so it sends them regardless.
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.failures.append((kind, "timeout" if isinstance(error, TimeoutError) else "connection"))
            raise Unexpected(f"{method} {path}: {type(error).__name__}: {error}") from None
        finished = time.monotonic()
        self.requests += 1
        self.events.append((kind, finished, finished - started))
        if response.status >= 500:
            self.failures.append((kind, "5xx"))
        for header in response.msg.get_all("Set-Cookie") or []:
            self._store_cookie(header)
        reply = Reply(response.status, response.getheader("Location", ""), data.decode("utf-8", "replace"))
        if reply.status == 403:
            raise Fatal(f"403 Forbidden on {method} {path} (CSRF?). Response body:\n{reply.body}")
        return reply

    def _store_cookie(self, header: str) -> None:
        jar = SimpleCookie()
        try:
            jar.load(header)
        except CookieError:
            return
        for name, morsel in jar.items():
            if morsel["max-age"] == "0" or morsel.value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def expect(self, kind: str, method: str, path: str, status: int, *, to: str | None = None, form=None) -> Reply:
        reply = self.send(kind, method, path, form)
        target = urllib.parse.urlsplit(reply.location).path if reply.location else ""
        if reply.status != status or (to is not None and target != to):
            raise Unexpected(
                f"{method} {path}: expected {status}{' to ' + to if to else ''}, got {reply.status}"
                f"{' to ' + target if target else ''}: {squeeze(reply.body)}"
            )
        return reply


INPUT = re.compile(r"<input\b([^>]*)>", re.S)
TEXTAREA = re.compile(r"<textarea\b([^>]*)>", re.S)
ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')


def attributes(tag: str) -> dict[str, str]:
    return {name: html.unescape(value or "") for name, value in ATTRIBUTE.findall(tag)}


def hidden_value(page: str, name: str) -> str:
    for tag in INPUT.findall(page):
        found = attributes(tag)
        if found.get("name") == name:
            return found.get("value", "")
    raise Unexpected(f"no {name} in the page: {squeeze(page)}")


OPEN_TEXT = "Ik heb werk gevonden en wil nu beter Nederlands leren."


def page_answers(page: str, rng: random.Random, text: str = OPEN_TEXT) -> tuple[list[tuple[str, str]], int]:
    """The form a respondent sends for one page: an answer to every question, and the ``shown``
    inputs that are not disabled. Returns the fields and the number of questions answered."""
    choices: dict[str, list[str]] = {}
    texts: list[str] = []
    shown: list[str] = []
    for tag in INPUT.findall(page):
        found = attributes(tag)
        name = found.get("name", "")
        if name == "shown" and "disabled" not in found:
            shown.append(found.get("value", ""))
        elif name.startswith("q-") and found.get("type") in ("radio", "checkbox"):
            choices.setdefault(name, []).append(found.get("value", ""))
        elif name.startswith("q-"):
            texts.append(name)
    texts += [attributes(tag).get("name", "") for tag in TEXTAREA.findall(page)]
    fields = [("csrfmiddlewaretoken", hidden_value(page, "csrfmiddlewaretoken"))]
    for name, values in choices.items():
        real = [value for value in values if value != "dk"]  # not "don't know": a real answer
        fields.append((name, rng.choice(real)))
    for name in texts:
        fields.append((name, text))
    fields += [("shown", code) for code in shown]
    fields.append(("action", "next"))
    return fields, len(choices) + len(texts)


def journey(
    browser: Browser, token: str, rng: random.Random, result: dict, give_up_at: float, text: str = OPEN_TEXT
) -> None:
    """One respondent from the public link to the thank-you page. ``text`` answers the open
    questions; ``result["sent"]`` is the number of questions answered when the final submit goes out."""
    started = time.monotonic()
    browser.expect("entry", "GET", f"/s/{token}/", 302, to="/answer/")
    page = browser.expect("start", "GET", "/answer/", 200).body
    form = [
        ("csrfmiddlewaretoken", hidden_value(page, "csrfmiddlewaretoken")),
        ("start_key", hidden_value(page, "start_key")),
        ("consent", "yes"),
    ]
    browser.expect("consent", "POST", "/answer/", 302, to="/answer/1/", form=form)
    path, pages, answered = "/answer/1/", 0, 0
    while path != "/answer/check/":
        if time.monotonic() > give_up_at:
            raise GiveUp
        pages += 1
        if pages > 100:
            raise Unexpected("more than 100 pages")
        page = browser.expect("page-get", "GET", path, 200).body
        fields, count = page_answers(page, rng, text)
        answered += count
        reply = browser.expect("page-post", "POST", path, 302, form=fields)
        path = urllib.parse.urlsplit(reply.location).path
        expected = {f"/answer/{pages + 1}/", "/answer/check/"}
        if path not in expected:
            raise Unexpected(f"POST /answer/{pages}/ redirected to {path}, expected one of {sorted(expected)}")
    page = browser.expect("review", "GET", "/answer/check/", 200).body
    form = [("csrfmiddlewaretoken", hidden_value(page, "csrfmiddlewaretoken"))]
    result["sent"] = answered
    browser.expect("submit", "POST", "/answer/check/", 302, to="/answer/thanks/", form=form)
    result["acknowledged"] += 1
    browser.expect("thanks", "GET", "/answer/thanks/", 200)
    finished = time.monotonic()
    browser.events.append(("journey", finished, finished - started))
    if (pages, answered) != (result["expect_pages"], result["expect_questions"]):
        raise Unexpected(
            f"answered {answered} questions on {pages} pages, expected "
            f"{result['expect_questions']} on {result['expect_pages']}"
        )


CSRF_CHARACTERS = string.ascii_letters + string.digits  # django.middleware.csrf.CSRF_ALLOWED_CHARS


def final_submit(browser: Browser, cookie: str, session_key: str, without_get: bool) -> None:
    """Part (d): one prepared respondent who only has the final submit left. The review page is
    fetched for its CSRF token (kind "submit-get", not counted); only the POST counts.

    ``without_get`` (--submit-without-get, not what a browser does): the client makes its own CSRF
    secret, as cookie and as form field (Django accepts an unmasked 32-character secret in both),
    so the server does nothing but the POST."""
    browser.cookies[cookie] = session_key
    if without_get:
        token = "".join(secrets.choice(CSRF_CHARACTERS) for _ in range(32))
        browser.cookies["csrftoken"] = token
    else:
        page = browser.expect("submit-get", "GET", "/answer/check/", 200).body
        if "csrftoken" not in browser.cookies:
            raise Unexpected("GET /answer/check/ set no csrftoken cookie")
        token = hidden_value(page, "csrfmiddlewaretoken")
    form = [("csrfmiddlewaretoken", token)]
    browser.expect("submit", "POST", "/answer/check/", 302, to="/answer/thanks/", form=form)


def run_client(job: dict) -> dict:
    """One load-generator client for one part, in its own process. Starts at ``start_at`` and
    begins no new request (or journey) after ``end_at``; gives up journeys at ``give_up_at``."""
    rng = random.Random(job["seed"])
    events: list = []
    result = {
        "events": events,
        "errors": [],
        "error_count": 0,
        "acknowledged": 0,
        "abandoned": 0,
        "fatal": None,
        "cpu": 0.0,
        "expect_pages": job.get("pages"),
        "expect_questions": job.get("questions"),
        "used": [],  # part (d): the session keys this client used
        "exhausted": False,  # part (d): ran out of prepared responses before the end
    }
    sessions = list(job.get("sessions") or [])
    language = "nl" if job["index"] % 2 == 0 else "en-GB,en;q=0.8"
    time.sleep(max(0.0, job["start_at"] - time.monotonic()))
    cpu_started = time.process_time()
    requests = 0
    browser = Browser(job["port"], language, events)
    try:
        while time.monotonic() < job["end_at"] and requests < job["max_requests"]:
            if result["error_count"] >= MAX_ERRORS_PER_CLIENT:
                break
            try:
                if job["part"] == "ceiling":
                    browser.expect("request", "GET", "/bench/ceiling/", 200)
                elif job["part"] == "floor":
                    browser.expect("request", "POST", "/bench/write-floor/", 201, form=[])
                    result["acknowledged"] += 1
                elif job["part"] == "submit":
                    if not sessions:
                        result["exhausted"] = True
                        break
                    key = sessions.pop(0)
                    result["used"].append(key)
                    respondent = Browser(job["port"], language, events)
                    try:
                        final_submit(respondent, job["cookie"], key, job["without_get"])
                        result["acknowledged"] += 1
                    finally:
                        requests += respondent.requests
                        respondent.close()
                else:
                    respondent = Browser(job["port"], language, events)
                    try:
                        journey(respondent, job["token"], rng, result, job["give_up_at"])
                    except GiveUp:
                        result["abandoned"] += 1
                    finally:
                        requests += respondent.requests
                        respondent.close()
            except Unexpected as error:
                result["error_count"] += 1
                if len(result["errors"]) < 3:
                    result["errors"].append(str(error))
            if job["part"] in ("ceiling", "floor"):
                requests = browser.requests
    except Fatal as error:
        result["fatal"] = str(error)
    finally:
        browser.close()
    result["cpu"] = time.process_time() - cpu_started
    return result


# ---------------------------------------------------------------------------------------------
# The orchestrator: PostgreSQL, Django's setup, gunicorn, the parts and the report.


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Postgres:
    """A throwaway PostgreSQL cluster in a temporary directory, as .ci/run makes one."""

    def __init__(self, unsafe: bool) -> None:
        self.unsafe = unsafe
        self.directory: str | None = None
        self.started = False
        self.bin = Path(f"/usr/lib/postgresql/{PG_VERSION}/bin")
        if not (self.bin / "initdb").exists():
            initdb = shutil.which("initdb")
            if not initdb:
                raise SystemExit(f"PostgreSQL {PG_VERSION} is not installed (no initdb); or pass DATABASE_URL")
            self.bin = Path(initdb).parent

    def run(self, *command: str) -> None:
        """Run a PostgreSQL tool; as the postgres user when we are root (initdb refuses root)."""
        root = os.geteuid() == 0
        argv = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(command)] if root else list(command)
        completed = subprocess.run(argv, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            raise SystemExit(f"{shlex.join(command)} failed:\n{completed.stdout}{completed.stderr}")

    def start(self) -> str:
        self.directory = tempfile.mkdtemp(prefix="im-bench-pg.")
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        data, port = f"{self.directory}/data", free_port()
        self.run(
            str(self.bin / "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "--encoding=UTF8", "--locale=C.UTF-8"
        )
        options = f"-p {port} -k {self.directory} -c listen_addresses={HOST}"
        if self.unsafe:
            options += f" {UNSAFE_PG}"
        self.run(str(self.bin / "pg_ctl"), "-D", data, "-l", f"{self.directory}/log", "-w", "-o", options, "start")
        self.started = True
        psql = [str(self.bin / "psql"), "-h", HOST, "-p", str(port), "-U", "postgres", "-qc"]
        self.run(*psql, "CREATE ROLE bench LOGIN PASSWORD 'bench'")
        self.run(*psql, "CREATE DATABASE integration_mapping OWNER bench")
        return f"postgres://bench:bench@{HOST}:{port}/integration_mapping"

    def version(self) -> str:
        return subprocess.run([str(self.bin / "postgres"), "--version"], capture_output=True, text=True).stdout.strip()

    def stop(self) -> None:
        if self.directory is None:
            return
        if self.started:
            try:
                self.run(str(self.bin / "pg_ctl"), "-D", f"{self.directory}/data", "-m", "immediate", "stop")
            except SystemExit as error:
                log(f"could not stop PostgreSQL: {error}")
            self.started = False
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory = None


class Gunicorn:
    def __init__(
        self, python: str, env: dict, workers: int, logfile: str, options: list[str] | None = None, stdout=None
    ) -> None:
        """``options`` replaces ``--workers N --worker-class sync`` (load.py serves with gthread);
        ``stdout`` (a file) takes the app's own log lines, which go to standard output.

        gunicorn reads ./gunicorn.conf.py (production's: preloading, max_requests, its own logging)
        unless told otherwise: an empty configuration file keeps the benchmark to the options here."""
        self.port = free_port()
        self.logfile = logfile
        config = f"{logfile}.conf.py"
        Path(config).write_text("# empty: the benchmark passes every option on the command line\n")
        command = [
            python,
            "-m",
            "gunicorn",
            "integration_mapping.wsgi:application",
            "--config",
            config,
            *(options if options is not None else ["--workers", str(workers), "--worker-class", "sync"]),
            "--bind",
            f"{HOST}:{self.port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
            "--error-logfile",
            logfile,
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=stdout, start_new_session=True)

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", "/bench/ceiling/")
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    return
                raise SystemExit(f"gunicorn answers {status} on /bench/ceiling/:\n{self.log_tail()}")
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"gunicorn did not start within {seconds} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(Path(self.logfile).read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()  # gunicorn's master stops its workers gracefully
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group this script started
            self.process.wait()


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


@dataclass
class Part:
    name: str
    window: tuple[float, float]
    results: list[dict]
    wall: float
    events: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.events = [event for result in self.results for event in result["events"]]

    def measured(self, *kinds: str) -> list[float]:
        start, end = self.window
        return [latency for kind, finished, latency in self.events if kind in kinds and start <= finished < end]

    def rate(self, *kinds: str) -> float:
        return len(self.measured(*kinds)) / (self.window[1] - self.window[0])

    def line(self, label: str, *kinds: str, unit: str = "req/s") -> str:
        latencies = self.measured(*kinds)
        return (
            f"{label:<34} {self.rate(*kinds):8.1f} {unit:<12} p50 {percentile(latencies, 0.5) * 1000:7.1f} ms"
            f"   p99 {percentile(latencies, 0.99) * 1000:7.1f} ms   (n={len(latencies)})"
        )

    def total(self, key: str) -> int:
        return sum(result[key] for result in self.results)

    def client_cpu(self) -> str:
        share = sum(result["cpu"] for result in self.results) / (self.wall * (os.cpu_count() or 1))
        return f"  (the load generator itself used {share:.0%} of the machine's CPU time during this part)"


def run_part(pool, name: str, args: argparse.Namespace, port: int, fixture: dict, prepared: dict | None) -> Part:
    start_at = time.monotonic() + 0.5
    measure_from = start_at + args.warmup
    end_at = measure_from + args.duration
    jobs = [
        {
            "part": name,
            "index": index,
            "port": port,
            "seed": args.seed * 1000 + index,
            # Respondents start one after another over the warm-up, so journeys do not run in lockstep.
            "start_at": start_at + (index * args.warmup / args.clients if name == "questionnaire" else 0),
            "end_at": end_at,
            "give_up_at": end_at + args.grace,
            "max_requests": args.max_requests,
            "token": fixture["token"],
            "pages": fixture["pages"],
            "questions": fixture["questions"],
            # Part (d): every client gets its own share of the prepared sessions.
            "sessions": prepared["sessions"][index :: args.clients] if name == "submit" and prepared else [],
            "cookie": prepared["cookie"] if prepared else "",
            "without_get": args.submit_without_get,
        }
        for index in range(args.clients)
    ]
    results = []
    for result in pool.imap_unordered(run_client, jobs):
        if result["fatal"]:
            pool.terminate()
            raise SystemExit(f"part {name} stopped: {result['fatal']}")
        results.append(result)
    part = Part(name, (measure_from, end_at), results, time.monotonic() - start_at)
    for result in results:
        for error in result["errors"]:
            log(f"{name}: {error}")
    return part


def django_env(args: argparse.Namespace, database_url: str, static_root: str) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "BENCH_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),  # 67 random characters
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url,
            "BENCH_STATIC_ROOT": static_root,
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(dict.fromkeys(THROTTLE_VARIABLES, "1000000000"))
    return env


def django_step(python: str, env: dict, *command: str) -> str:
    completed = subprocess.run([python, *command], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stdout}{completed.stderr}")
    return completed.stdout


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=15.0, help="measured seconds per part (default 15)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each part (default 2)")
    parser.add_argument("--quick", action="store_true", help="3 s per part and 1 s warm-up: a smoke test")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client processes (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument(
        "--parts",
        default="abcd",
        help="which parts to run: a ceiling, b write floor, c questionnaire, d final submit alone (default abcd)",
    )
    parser.add_argument(
        "--grace",
        type=float,
        default=60.0,
        help="seconds after a part's end in which running journeys may still finish (default 60)",
    )
    parser.add_argument(
        "--max-requests", type=int, default=1_000_000, help="upper bound on requests per client and part"
    )
    parser.add_argument(
        "--unsafe-pg",
        action="store_true",
        help="run the throwaway cluster with CI's fsync=off, synchronous_commit=off, full_page_writes=off",
    )
    parser.add_argument(
        "--static-root", help="collect static files here (e.g. staticfiles) instead of a temporary directory"
    )
    parser.add_argument(
        "--submit-responses",
        type=int,
        help=f"responses prepared for part (d) (default {SUBMITS_PER_SECOND} per second of warm-up and measurement, "
        f"twice that with --submit-without-get, at least {MIN_SUBMIT_RESPONSES}: more than a run can use)",
    )
    parser.add_argument(
        "--submit-without-get",
        action="store_true",
        help="part (d) without the review GET: the client makes its own CSRF token (no browser does this)",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup = 3.0, 1.0
    if not set(args.parts) <= set("abcd") or not args.parts:
        parser.error("--parts takes letters from abcd")
    if args.submit_responses is None:
        per_second = SUBMITS_PER_SECOND * (2 if args.submit_without_get else 1)
        args.submit_responses = max(MIN_SUBMIT_RESPONSES, math.ceil(per_second * (args.warmup + args.duration)))
    if args.submit_responses < args.clients:
        parser.error("--submit-responses must be at least --clients")
    if args.clients < 1 or args.workers < 1 or args.duration <= 0:
        parser.error("--clients, --workers and --duration must be positive")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    wall_start = time.monotonic()
    load = os.getloadavg()[0]
    venv_python = ROOT / ".venv" / "bin" / "python"
    python = str(venv_python) if venv_python.exists() else sys.executable
    scratch = tempfile.mkdtemp(prefix="im-bench.")
    postgres = gunicorn = pool = None
    stopping = {"signal": None}

    def on_signal(number: int, _frame: object) -> None:
        stopping["signal"] = number
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        database_url = os.environ.get("DATABASE_URL", "")
        if database_url:
            log("using DATABASE_URL (the benchmark's municipality, survey and responses stay there)")
            database = "DATABASE_URL"
        else:
            postgres = Postgres(unsafe=args.unsafe_pg)
            database_url = postgres.start()
            durability = "fsync=off etc. (--unsafe-pg)" if args.unsafe_pg else "default durability (fsync on)"
            database = f"throwaway cluster: {postgres.version()}, {durability}"
            log(f"PostgreSQL started ({database})")
        static_root = args.static_root or f"{scratch}/static"
        env = django_env(args, database_url, str(Path(static_root).resolve()))
        log("migrate")
        django_step(python, env, "manage.py", "migrate", "--noinput")
        django_step(python, env, "manage.py", "createcachetable")  # production's throttle counters
        log(f"collectstatic into {static_root}")
        django_step(python, env, "manage.py", "collectstatic", "--noinput")
        fixture = json.loads(django_step(python, env, "-m", "benchmarks.fixtures", "setup"))
        env["BENCH_SURVEY_ID"] = str(fixture["survey"])
        log(f"survey {fixture['survey']}: {fixture['questions']} questions on {fixture['pages']} pages")
        prepared = prepared_path = None
        if "d" in args.parts:
            prepared_path = f"{scratch}/prepared-sessions.json"
            log(f"part (d): preparing {args.submit_responses} responses with 40 answers and a session each")
            started = time.monotonic()
            command = ("-m", "benchmarks.fixtures", "prepare", str(fixture["survey"]), str(args.submit_responses))
            django_step(python, env, *command, prepared_path, str(args.seed))
            prepared = json.loads(Path(prepared_path).read_text())
            log(f"part (d): {len(prepared['sessions'])} prepared in {time.monotonic() - started:.1f} s")
        gunicorn = Gunicorn(python, env, args.workers, f"{scratch}/gunicorn.log")
        gunicorn.wait_ready()
        log(f"gunicorn on {HOST}:{gunicorn.port} with {args.workers} sync workers")

        pool = multiprocessing.get_context("spawn").Pool(args.clients)
        pool.map(time.sleep, [0] * args.clients)  # all client processes are up before any part starts
        parts: dict[str, Part] = {}
        for letter, name in (("a", "ceiling"), ("b", "floor"), ("c", "questionnaire"), ("d", "submit")):
            if letter in args.parts:
                log(f"part ({letter}) {name}: {args.warmup:g} s warm-up + {args.duration:g} s measured")
                parts[letter] = run_part(pool, name, args, gunicorn.port, fixture, prepared)
        pool.close()
        pool.join()
        pool = None
        gunicorn.stop()
        server_log = gunicorn.log_tail()
        ids = [str(fixture["survey"]), str(fixture["channel"]), *([prepared_path] if prepared_path else [])]
        counts = json.loads(django_step(python, env, "-m", "benchmarks.fixtures", "count", *ids))
        ok = report(args, parts, counts, fixture, database, python, load)
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
        if gunicorn is not None:
            gunicorn.stop()
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def report(
    args: argparse.Namespace,
    parts: dict[str, Part],
    counts: dict,
    fixture: dict,
    database: str,
    python: str,
    load: float,
) -> bool:
    versions = subprocess.run(
        [python, "-c", "import django, gunicorn; print(django.__version__, gunicorn.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    print()
    print("Integration Mapping benchmark")
    print(
        f"  gunicorn {versions[1] if len(versions) > 1 else '?'} ({args.workers} sync workers), "
        f"Django {versions[0] if versions else '?'}, Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    print(f"  database: {database}")
    print(f"  load average when the run started: {load:.2f} (other work on the machine skews every figure)")
    print(
        f"  {args.clients} client processes on {HOST}, {args.warmup:g} s warm-up + {args.duration:g} s measured "
        "per part; rates count what completed inside the measured window"
    )
    ok = True
    errors = 0
    if "a" in parts:
        a = parts["a"]
        print()
        print("(a) ceiling: bare view, tiny HttpResponse")
        print("  " + a.line("GET /bench/ceiling/", "request"))
        print(a.client_cpu())
        errors += a.total("error_count")
    if "b" in parts:
        b = parts["b"]
        print()
        print("(b) write floor: 1 Response + 40 Answers, bulk_create, one transaction")
        print("  " + b.line("POST /bench/write-floor/", "request"))
        print(b.client_cpu())
        errors += b.total("error_count")
    if "c" in parts:
        c = parts["c"]
        kinds = ("entry", "start", "consent", "page-get", "page-post", "review", "submit", "thanks")
        requests_per_journey = 6 + 2 * fixture["pages"]
        print()
        print(
            f"(c) questionnaire: {fixture['questions']} questions on {fixture['pages']} pages, "
            f"{requests_per_journey} requests per respondent"
        )
        print("  " + c.line("completed responses (journey)", "journey", unit="resp/s"))
        print("  " + c.line("all requests", *kinds))
        print("  " + c.line("page GET", "page-get"))
        print("  " + c.line("page POST (save a page)", "page-post"))
        print("  " + c.line("final submit (POST /answer/check/)", "submit", unit="submits/s"))
        print(c.client_cpu())
        errors += c.total("error_count")
    if "d" in parts:
        d = parts["d"]
        print()
        print(
            f"(d) final submit alone: prepared responses ({fixture['questions']} answers stored, "
            "at the review), one POST each"
            + (" (--submit-without-get: no review GET, client-made CSRF token)" if args.submit_without_get else "")
        )
        print("  " + d.line("final submit (POST /answer/check/)", "submit", unit="submits/s"))
        if not args.submit_without_get:
            print("  " + d.line("not counted: GET /answer/check/", "submit-get") + " (for the CSRF token)")
        used = sum(len(result["used"]) for result in d.results)
        left = args.submit_responses - used
        print(f"  prepared responses: {args.submit_responses}, used {used} (including the warm-up), {left} left")
        print(d.client_cpu())
        errors += d.total("error_count")
        if any(result["exhausted"] for result in d.results):
            ok = False
            print("  RAN OUT of prepared responses before the end: the rate is too low; raise --submit-responses")
    print()
    if "a" in parts and "b" in parts:
        ratio = parts["b"].rate("request") / parts["a"].rate("request")
        print(f"b / a (write floor vs ceiling):              {ratio:.3f}")
    if "b" in parts and "c" in parts:
        ratio = parts["c"].rate("submit") / parts["b"].rate("request")
        print(f"c final submits/s / b writes/s:              {ratio:.3f}")
    if "b" in parts and "d" in parts:
        ratio = parts["d"].rate("submit") / parts["b"].rate("request")
        verdict = "met" if ratio >= SUBMIT_AIM else "NOT met"
        print(f"d final submit rate ÷ b write rate:          {ratio:.3f}   (aim ≥ {SUBMIT_AIM:.2f}: {verdict})")
    print()
    if "c" in parts:
        c, db = parts["c"], counts["questionnaire"]
        acknowledged = c.total("acknowledged")
        good = (
            acknowledged == db["completed"]
            and db["answers"] == fixture["questions"] * db["completed"]
            and db["not_40"] == 0
        )
        ok &= good
        print(
            f"correctness (c): {acknowledged} acknowledged completions (302 to thanks), "
            f"{db['completed']} completed Response rows, {db['answers']} Answer rows "
            f"(40 x {db['completed']} = {40 * db['completed']}), {db['not_40']} responses without exactly 40 answers, "
            f"{db['in_progress']} left in progress ({c.total('abandoned')} journeys abandoned): "
            f"{'OK' if good else 'MISMATCH'}"
        )
    if "d" in parts:
        d, db = parts["d"], counts["submit"]
        acknowledged = d.total("acknowledged")
        used = [key for result in d.results for key in result["used"]]
        good = (
            acknowledged == db["completed"]
            and db["answers"] == fixture["questions"] * db["completed"]
            and db["not_40"] == 0
            and len(used) == len(set(used))
            and db["completed"] + db["in_progress"] == db["prepared"]
        )
        ok &= good
        print(
            f"correctness (d): {acknowledged} acknowledged submits (302 to thanks), {db['completed']} of the "
            f"{db['prepared']} prepared responses completed, "
            f"{db['answers']} Answer rows (40 x {db['completed']} = {40 * db['completed']}), "
            f"{db['not_40']} completed responses without exactly 40 answers, {len(used) - len(set(used))} sessions "
            f"used twice, {db['in_progress']} left in progress: {'OK' if good else 'MISMATCH'}"
        )
    if "b" in parts:
        b, db = parts["b"], counts["floor"]
        acknowledged = b.total("acknowledged")
        good = acknowledged == db["completed"] and db["answers"] == fixture["questions"] * db["completed"]
        ok &= good
        print(
            f"correctness (b): {acknowledged} acknowledged writes (201), {db['completed']} Response rows, "
            f"{db['answers']} Answer rows: {'OK' if good else 'MISMATCH'}"
        )
    if errors:
        ok = False
        print(f"errors: {errors} unexpected responses (see the [bench] lines on stderr)")
    return ok


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
