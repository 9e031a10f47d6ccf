#!/usr/bin/env python
"""Time and peak memory of the answers exports: the streamed CSV and the worker's XLSX.

One run starts a throwaway PostgreSQL 15 cluster (as benchmarks/reports.py does: durable defaults,
production settings with DEBUG off), migrates it and loads, with benchmarks/report_fixtures.py, the
40-question survey twice: the current wave with ``--responses`` completed responses (default
25,000) and the previous wave with ``--small`` (default 5,000); plus a tiny survey of its own with
20 responses for the warm-ups. For each size it then measures, each time in a fresh child process:

- CSV: ``GET answers.csv`` through ``django.test.Client`` as the municipality's administrator,
  consuming the ``StreamingHttpResponse`` chunk by chunk (bytes counted, not kept): wall time, time
  to the first byte, CPU, size, and the increase of the process's peak RSS (``ru_maxrss``) over the
  baseline after Django setup and one warm-up download of the tiny survey; then a second, traced
  download for the ``tracemalloc`` peak of Python allocations.
- XLSX: ``POST exports/new/`` (the view ``export_start``, which enqueues ``build_answers_xlsx``
  through django-tasks-db), then the real worker ``manage.py db_worker --batch --no-startup-delay
  --no-reload`` as a child process, waited for with ``os.wait4`` for its own ``ru_maxrss``: time from
  enqueue until the Export is READY (and the task's own run time), file size and the worker's peak
  RSS, against a worker that built the tiny survey's export. Then the task function once more,
  ``build_answers_xlsx.call(export_id)``, in the same child under ``tracemalloc``.

Usage (from the project root): ``.venv/bin/python benchmarks/exports.py [--responses 25000 --small
5000]``; see benchmarks/README.md. ``DATABASE_URL=…`` uses that database instead of a throwaway one.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TINY = 20  # completed responses of the warm-up survey
AIM_CSV_S = 10.0  # the CSV of 25,000 responses
AIM_XLSX_S = 60.0  # the XLSX of 25,000 responses, enqueue to READY
AIM_MB = 200.0  # peak memory of the process, both exports
# "About the same at 5,000 as at 25,000": the larger increase of the peak RSS at most this much
# above the smaller one (MB), or at most this factor of it.
CONSTANT_MB, CONSTANT_FACTOR = 15.0, 1.5
REFERENCE = (
    "reference: a published Django survey app took 145 s for a CSV of 10,000 responses x 30 answers "
    "(300,000 answers: 483 us per answer); one query plus pandas took 0.4 s (1.3 us per answer)"
)
WORKER = ["manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"]


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def mb(kib: float) -> float:
    """ru_maxrss is in KiB on Linux."""
    return kib / 1024


def rss_now_kib() -> int:
    """The current RSS (VmRSS) of this process, in KiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# ---------------------------------------------------------------------------------------------
# Child processes (python -m benchmarks.exports --child KIND OPTIONS RESULT_FILE).


def _setup() -> None:
    import django

    django.setup()


def _client(structure: dict):
    from django.test import Client

    from tenants.models import User

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(User.objects.get(pk=structure["user"]))
    return client


def child_setup(options: dict) -> dict:
    """The surveys and their rows: the tiny one first (its load is quick on empty tables), then
    both waves of the benchmark survey."""
    _setup()
    from benchmarks import report_fixtures
    from tenants import services as tenant_services
    from tenants.models import Municipality, Role, User

    started = time.perf_counter()
    tiny = report_fixtures.make_structure()
    report_fixtures.load(tiny, TINY, 0, seed=options["seed"])
    structure = report_fixtures.make_structure()
    # One login for both: the benchmark's administrator also administers the tiny survey's municipality.
    tenant_services.add_member(
        municipality=Municipality.objects.get(pk=tiny["municipality"]),
        user=User.objects.get(pk=structure["user"]),
        role=Role.ADMINISTRATOR,
    )
    made = time.perf_counter() - started
    log(f"structures made; loading {options['responses']:,} + {options['small']:,} completed responses in bulk")
    loaded = report_fixtures.load(structure, options["responses"], options["small"], seed=options["seed"])
    log(f"loaded in {loaded['timings']['total']:.1f} s")
    return {"tiny": tiny, "structure": structure, "made": made, "loaded": loaded}


def _stream_csv(client, slug: str, public_id: str) -> dict:
    from django.db import close_old_connections
    from django.urls import reverse

    url = reverse("answers_csv", kwargs={"slug": slug, "public_id": public_id})
    close_old_connections()  # what gunicorn's request_started does
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.get(url)
    if response.status_code != 200 or not response.streaming:
        raise SystemExit(f"GET {url} answered {response.status_code} (streaming: {response.streaming})")
    first = None
    size = lines = chunks = 0
    for chunk in response.streaming_content:
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
        lines += chunk.count(b"\n")
        chunks += 1
    response.close()
    return {
        "url": url,
        "wall": time.perf_counter() - started,
        "cpu": time.process_time() - cpu_started,
        "first_byte": first or 0.0,
        "bytes": size,
        "lines": lines,
        "chunks": chunks,
    }


def child_csv(options: dict) -> dict:
    """One CSV download, measured after a warm-up download of the tiny survey; then a traced one."""
    _setup()
    setup_peak = peak_kib()
    client = _client(options["structure"])
    slug = options["structure"]["slug"]
    warm = _stream_csv(client, options["tiny"]["slug"], options["tiny"]["public_id"])
    gc.collect()
    baseline, baseline_rss = peak_kib(), rss_now_kib()
    measured = _stream_csv(client, slug, options["public_id"])
    peak, end_rss = peak_kib(), rss_now_kib()
    gc.collect()
    tracemalloc.start()
    traced = _stream_csv(client, slug, options["public_id"])
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        **measured,
        "warm_lines": warm["lines"],
        "setup_peak_kib": setup_peak,
        "baseline_kib": baseline,
        "baseline_rss_kib": baseline_rss,
        "peak_kib": peak,
        "end_rss_kib": end_rss,
        "tracemalloc_peak": traced_peak,
        "traced_wall": traced["wall"],
        "traced_bytes": traced["bytes"],
    }


def _xlsx_dimension(path: str) -> str:
    """The sheet's <dimension ref="A1:…"/> (written by XlsxWriter before the rows)."""
    with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as sheet:
        head = sheet.read(4096).decode("utf-8", "replace")
    start = head.find('<dimension ref="')
    return head[start + 16 : head.find('"', start + 16)] if start >= 0 else "?"


def _worker_export(client, slug: str, public_id: str, env: dict, logfile: str, holder: dict) -> dict:
    """Enqueue through the view, run the real worker until it has nothing left, read the Export."""
    from django.core.files.storage import default_storage
    from django.db import close_old_connections
    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    from reports.models import Export

    url = reverse("export_start", kwargs={"slug": slug, "public_id": public_id})
    close_old_connections()
    started = time.perf_counter()
    response = client.post(url)
    if response.status_code != 302:
        raise SystemExit(f"POST {url} answered {response.status_code}")
    enqueued = time.perf_counter()
    export = Export.objects.filter(survey__public_id=public_id).order_by("-created_at").first()
    task = DBTaskResult.objects.filter(task_path__endswith="build_answers_xlsx").order_by("-enqueued_at").first()
    if export is None or task is None or task.args_kwargs.get("args") != [export.pk]:
        raise SystemExit(f"no export or task after POST {url}: {export!r}, {task and task.args_kwargs}")
    with open(logfile, "ab") as out:
        worker = subprocess.Popen([sys.executable, *WORKER], cwd=ROOT, env=env, stdout=out, stderr=out)
        holder["worker"] = worker
        _pid, status, usage = os.wait4(worker.pid, 0)
        worker.returncode = os.waitstatus_to_exitcode(status)
        holder["worker"] = None
    ended = time.perf_counter()
    export.refresh_from_db()
    task.refresh_from_db()
    if export.status != "ready":
        tail = Path(logfile).read_text(errors="replace")[-3000:]
        raise SystemExit(f"the export is {export.status} ({export.error}); worker exit {worker.returncode}:\n{tail}")
    path = default_storage.path(export.file_name)
    return {
        "enqueue_to_ready": (export.finished_at - export.created_at).total_seconds(),
        "task_run": (task.finished_at - task.started_at).total_seconds(),
        "queued": (task.started_at - task.enqueued_at).total_seconds(),
        "post": enqueued - started,
        "worker_wall": ended - enqueued,
        "worker_exit": worker.returncode,
        "worker_peak_kib": usage.ru_maxrss,
        "worker_cpu": usage.ru_utime + usage.ru_stime,
        "bytes": os.path.getsize(path),
        "dimension": _xlsx_dimension(path),
        "rows_done": export.rows_done,
        "rows_total": export.rows_total,
        "task_status": task.status,
    }


def child_xlsx(options: dict, holder: dict) -> dict:
    """A worker on the tiny survey (baseline), one on the measured survey, then the task function
    once more in this process under tracemalloc."""
    _setup()
    from django.contrib.auth import get_user_model

    from reports.models import Export
    from reports.tasks import build_answers_xlsx
    from surveys.models import Survey

    client = _client(options["structure"])
    env = dict(os.environ)
    tiny = _worker_export(client, options["tiny"]["slug"], options["tiny"]["public_id"], env, options["log"], holder)
    measured = _worker_export(client, options["structure"]["slug"], options["public_id"], env, options["log"], holder)
    export = Export.objects.create(
        survey=Survey.objects.get(public_id=options["public_id"]),
        created_by=get_user_model().objects.get(pk=options["structure"]["user"]),
        language="nl",
    )
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    build_answers_xlsx.call(export.pk)
    traced_wall = time.perf_counter() - started
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        **measured,
        "baseline_kib": tiny["worker_peak_kib"],
        "tiny_enqueue_to_ready": tiny["enqueue_to_ready"],
        "tiny_worker_wall": tiny["worker_wall"],
        "tracemalloc_peak": traced_peak,
        "traced_wall": traced_wall,
    }


def child(kind: str, options: dict, result_file: str) -> int:
    holder: dict = {"worker": None}

    def on_signal(_number: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        if kind == "setup":
            result = child_setup(options)
        elif kind == "csv":
            result = child_csv(options)
        else:
            result = child_xlsx(options, holder)
    finally:
        worker = holder["worker"]
        if worker is not None and worker.returncode is None:
            worker.terminate()
            with contextlib.suppress(ChildProcessError):
                os.waitpid(worker.pid, 0)
    Path(result_file).write_text(json.dumps(result, default=str))
    return 0


# ---------------------------------------------------------------------------------------------
# The orchestrator: PostgreSQL, migrate, the child processes, the report, clean-up.


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--responses", type=int, default=25_000, help="completed responses of the large survey (default 25000)"
    )
    parser.add_argument("--small", type=int, default=5_000, help="completed responses of the small one (default 5000)")
    parser.add_argument(
        "--keep", action="store_true", help="leave the throwaway cluster running (prints its URL and how to remove it)"
    )
    parser.add_argument("--unsafe-pg", action="store_true", help="CI's fsync=off etc. for the throwaway cluster")
    parser.add_argument("--seed", type=float, default=0.42, help="PostgreSQL setseed() value, -1 to 1 (default 0.42)")
    args = parser.parse_args(argv)
    if args.responses < 1 or args.small < 1:
        parser.error("--responses and --small must be positive")
    if not -1 <= args.seed <= 1:
        parser.error("--seed must be between -1 and 1")
    return args


def report(args: argparse.Namespace, setup: dict, results: dict, load: float, started: float) -> int:
    loaded = setup["loaded"]
    counts = loaded["counts"]
    sizes = [("large", args.responses), ("small", args.small)]
    print()
    print("Integration Mapping: answers exports (CSV streamed, XLSX by the worker)")
    print(
        f"  Python {platform.python_version()}, {os.cpu_count()} CPUs, {setup['pg']}; production settings "
        f"(benchmarks.settings, DEBUG off), MEDIA_ROOT a temporary directory"
    )
    print(f"  load average when the run started: {load:.2f} (other work on the machine skews every figure)")
    timings = loaded["timings"]
    print(
        f"  load: structures through the services {setup['made']:.1f} s; bulk INSERT ... SELECT "
        f"{timings['insert']:.1f} s, VACUUM ANALYZE {timings['vacuum_analyze']:.1f} s"
    )
    for key, wave in (("current", "large"), ("previous", "small")):
        c = counts[key]
        print(
            f"  {wave} survey ({setup['structure'][key]['public_id']}): {c['completed']:,} completed + "
            f"{c['in_progress']:,} in progress; {c['answers']:,} answers ({c['open']:,} open)"
        )
    print(f"  {REFERENCE}")
    ok = True
    print()
    print(
        "CSV: GET answers.csv through django.test.Client (administrator), streaming_content consumed and counted;"
        " fresh process per size"
    )
    header = (
        f"  {'responses':>9} {'wall s':>7} {'1st byte':>8} {'CPU s':>6} {'MB':>6} {'rows':>7} {'us/answer':>9}"
        f" {'peak RSS MB':>11} {'base MB':>7} {'+MB':>6} {'tracemalloc MB':>14}"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    for label, number in sizes:
        r = results[label]["csv"]
        rows = r["lines"] - 1
        ok &= rows == number
        print(
            f"  {number:>9,} {r['wall']:>7.2f} {r['first_byte']:>8.3f} {r['cpu']:>6.2f} {r['bytes'] / 1e6:>6.1f}"
            f" {rows:>7,} {r['wall'] / (number * 40) * 1e6:>9.2f} {mb(r['peak_kib']):>11.1f}"
            f" {mb(r['baseline_kib']):>7.1f} {mb(r['peak_kib'] - r['baseline_kib']):>6.1f}"
            f" {r['tracemalloc_peak'] / 2**20:>14.1f}" + ("" if rows == number else f"  ROWS WRONG: {rows} != {number}")
        )
    print(
        "  wall: from client.get() to the last chunk; 1st byte: to the first chunk; CPU: this process's CPU time"
        " (PostgreSQL's not included). MB: 10^6 bytes."
    )
    print(
        "  peak RSS: ru_maxrss of the process at the end; base: after Django setup and a warm-up download of a"
        f" {TINY}-response survey; +MB: the increase. tracemalloc: peak of Python allocations in a second, traced"
        " download (traced wall "
        + ", ".join(f"{results[label]['csv']['traced_wall']:.1f} s" for label, _number in sizes)
        + ")."
    )
    print()
    print(
        "XLSX: POST exports/new/ (export_start enqueues build_answers_xlsx), then "
        f"`{' '.join(WORKER)}` in a child process (os.wait4 for its ru_maxrss)"
    )
    header = (
        f"  {'responses':>9} {'enq->READY s':>12} {'task s':>7} {'worker s':>8} {'CPU s':>6} {'MB':>6}"
        f" {'sheet':>9} {'peak RSS MB':>11} {'base MB':>7} {'+MB':>6} {'tracemalloc MB':>14}"
    )
    print(header)
    print("  " + "-" * (len(header) - 2))
    for label, number in sizes:
        r = results[label]["xlsx"]
        expected_last = number + 1
        good = r["dimension"].endswith(str(expected_last)) and r["rows_total"] == number
        ok &= good
        print(
            f"  {number:>9,} {r['enqueue_to_ready']:>12.2f} {r['task_run']:>7.2f} {r['worker_wall']:>8.2f}"
            f" {r['worker_cpu']:>6.2f} {r['bytes'] / 1e6:>6.1f} {r['dimension'].split(':')[-1]:>9}"
            f" {mb(r['worker_peak_kib']):>11.1f} {mb(r['baseline_kib']):>7.1f}"
            f" {mb(r['worker_peak_kib'] - r['baseline_kib']):>6.1f} {r['tracemalloc_peak'] / 2**20:>14.1f}"
            + ("" if good else f"  ROWS WRONG: sheet {r['dimension']}, rows_total {r['rows_total']}")
        )
    tiny = results["large"]["xlsx"]
    print(
        "  enq->READY: Export.created_at to finished_at (includes the worker's start-up: it is started after the"
        " enqueue); task: the DBTaskResult's started_at to finished_at; worker s: the worker process's life."
    )
    print(
        "  CPU: the worker's user + system time. sheet: last cell of the sheet's <dimension> (header + rows)."
        f" peak RSS: the worker's ru_maxrss; base: a worker that built the {TINY}-response export"
        f" ({tiny['tiny_enqueue_to_ready']:.2f} s enq->READY); +MB: the increase."
    )
    print(
        "  tracemalloc: peak of Python allocations in build_answers_xlsx.call(export_id) run once more in the"
        " measuring process (traced wall "
        + ", ".join(f"{results[label]['xlsx']['traced_wall']:.1f} s" for label, _number in sizes)
        + ")."
    )

    print()
    big, small = results["large"], results["small"]
    factor = args.responses / args.small
    print(f"Ratios {args.responses:,} / {args.small:,} (x{factor:.1f} the responses):")
    csv_up = [results[label]["csv"]["peak_kib"] - results[label]["csv"]["baseline_kib"] for label, _n in sizes]
    xlsx_up = [
        results[label]["xlsx"]["worker_peak_kib"] - results[label]["xlsx"]["baseline_kib"] for label, _n in sizes
    ]
    print(
        f"  CSV  time x{big['csv']['wall'] / small['csv']['wall']:.2f}, peak RSS increase {_ratio(*csv_up)}, "
        f"tracemalloc x{big['csv']['tracemalloc_peak'] / small['csv']['tracemalloc_peak']:.2f}"
    )
    print(
        f"  XLSX time x{big['xlsx']['enqueue_to_ready'] / small['xlsx']['enqueue_to_ready']:.2f} (task alone "
        f"x{big['xlsx']['task_run'] / small['xlsx']['task_run']:.2f}), peak RSS increase {_ratio(*xlsx_up)}, "
        f"tracemalloc x{big['xlsx']['tracemalloc_peak'] / small['xlsx']['tracemalloc_peak']:.2f}"
    )
    print()
    print("Aims:")
    checks = []
    scale = "" if args.responses == 25_000 else f" (measured at {args.responses:,}; the aim is for 25,000)"
    checks.append(
        (f"CSV of 25,000 under {AIM_CSV_S:.0f} s{scale}", big["csv"]["wall"] < AIM_CSV_S, f"{big['csv']['wall']:.2f} s")
    )
    checks.append(
        (
            f"XLSX of 25,000 under {AIM_XLSX_S:.0f} s, enqueue to READY{scale}",
            big["xlsx"]["enqueue_to_ready"] < AIM_XLSX_S,
            f"{big['xlsx']['enqueue_to_ready']:.2f} s",
        )
    )
    for kind, key, what in (("csv", "peak_kib", "CSV process"), ("xlsx", "worker_peak_kib", "XLSX worker")):
        peaks = [results[label][kind][key] for label, _n in sizes]
        checks.append(
            (
                f"{what}: peak RSS under {AIM_MB:.0f} MB (whole process)",
                max(mb(p) for p in peaks) < AIM_MB,
                " / ".join(f"{mb(p):.1f} MB" for p in peaks),
            )
        )
        up = [mb(results[label][kind][key] - results[label][kind]["baseline_kib"]) for label, _n in sizes]
        constant = up[0] <= max(up[1] + CONSTANT_MB, up[1] * CONSTANT_FACTOR)
        checks.append(
            (
                f"{what}: constant memory (increase at {args.responses:,} within {CONSTANT_MB:.0f} MB or "
                f"x{CONSTANT_FACTOR} of that at {args.small:,})",
                constant,
                f"+{up[0]:.1f} MB vs +{up[1]:.1f} MB",
            )
        )
    for label, met, figure in checks:
        ok &= met
        print(f"  {'met    ' if met else 'MISSED '} {label}: {figure}")
    print()
    print(f"load average at the end: {os.getloadavg()[0]:.2f}; total wall time {time.monotonic() - started:.1f} s")
    return 0 if ok else 1


def _ratio(big: float, small: float) -> str:
    if small <= 0:
        return f"{mb(big):+.1f} MB vs {mb(small):+.1f} MB"
    return f"x{big / small:.2f} ({mb(big):+.1f} vs {mb(small):+.1f} MB)"


def outer(argv: list[str]) -> int:
    from benchmarks.questionnaire import Postgres, django_env, django_step

    args = parse_args(argv)
    wall = time.monotonic()
    load = os.getloadavg()[0]
    venv_python = ROOT / ".venv" / "bin" / "python"
    python = str(venv_python) if venv_python.exists() else sys.executable
    scratch = tempfile.mkdtemp(prefix="im-exports.")
    postgres = None
    running: dict = {"child": None}
    stopping = {"signal": None}

    def on_signal(number: int, _frame: object) -> None:
        stopping["signal"] = number
        raise KeyboardInterrupt

    def run_child(kind: str, options: dict, env: dict) -> dict:
        result_file = f"{scratch}/{kind}-{time.monotonic_ns()}.json"
        command = [python, "-m", "benchmarks.exports", "--child", kind, json.dumps(options), result_file]
        running["child"] = subprocess.Popen(command, cwd=ROOT, env=env)
        status = running["child"].wait()
        running["child"] = None
        if status != 0:
            raise SystemExit(f"the {kind} child process failed (exit {status})")
        return json.loads(Path(result_file).read_text())

    signal.signal(signal.SIGTERM, on_signal)
    database_url = ""
    try:
        database_url = os.environ.get("DATABASE_URL", "")
        if database_url:
            log("using DATABASE_URL (the benchmark's municipalities, surveys, responses and exports stay there)")
            pg = "PostgreSQL from DATABASE_URL"
        else:
            postgres = Postgres(unsafe=args.unsafe_pg)
            database_url = postgres.start()
            pg = postgres.version() + (" (--unsafe-pg)" if args.unsafe_pg else ", fsync on")
            log(f"PostgreSQL started: {pg}")
        env = django_env(args, database_url, f"{scratch}/static")
        env["PYTHONPATH"] = str(ROOT)
        env["DJANGO_MEDIA_ROOT"] = f"{scratch}/media"
        log("migrate, collectstatic")
        django_step(python, env, "manage.py", "migrate", "--noinput", "--skip-checks")
        django_step(python, env, "manage.py", "collectstatic", "--noinput")
        setup = run_child("setup", {"responses": args.responses, "small": args.small, "seed": args.seed}, env)
        setup["pg"] = pg
        results: dict = {}
        for label, key, number in (("large", "current", args.responses), ("small", "previous", args.small)):
            options = {
                "structure": setup["structure"],
                "tiny": setup["tiny"]["current"] | {"slug": setup["tiny"]["slug"]},
                "public_id": setup["structure"][key]["public_id"],
                "log": f"{scratch}/worker.log",
            }
            log(f"CSV of {number:,} responses")
            results[label] = {"csv": run_child("csv", options, env)}
            log(f"XLSX of {number:,} responses (worker)")
            results[label]["xlsx"] = run_child("xlsx", options, env)
        return report(args, setup, results, load, wall)
    except KeyboardInterrupt:
        log("interrupted")
        return 128 + (stopping["signal"] or signal.SIGINT)
    finally:
        from benchmarks.reports import clean_up

        clean_up(running["child"], postgres, keep=args.keep, database_url=database_url, scratch=scratch)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.exit(child(sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]))
    sys.exit(outer(sys.argv[1:]))
