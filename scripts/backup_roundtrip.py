#!/usr/bin/env python
"""Prove that a backup restores: write data, back up, drop the database, restore, compare.

On the PostgreSQL server of ``DATABASE_URL`` (or ``--admin-url``; the user needs CREATEDB) it
creates a throwaway database and, as a deployment would:

1. migrates it, creates the cache table and loads the demo (``seed_demo``: municipalities, staff,
   partners, observations, two survey waves with their responses, answers and scores), then adds
   a respondent halfway through whose open answer holds tabs, newlines, quotes, backslashes, Arabic
   and an emoji, an answers export with its queued task, a throttle counter and a session;
2. takes a fingerprint of every table of the public schema (its row count and the md5 of all its
   rows as text, ordered by primary key), of every sequence (its last value) and of the schema
   itself (columns, indexes, constraints);
3. runs ``make backup``, drops the database, creates it again empty, runs ``make restore FILE=…``
   (which also runs ``manage.py migrate --check``);
4. fingerprints again and compares: one line per table, then the verdict. Exit status 1 on any
   difference, 2 when the round trip could not be run.

The throwaway database and the dump are removed afterwards (``--keep`` leaves them). Usage:
``DATABASE_URL=postgres://… .venv/bin/python scripts/backup_roundtrip.py [--responses 320]``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from backup import ROOT, BackupError, connect, database_settings
from psycopg2 import sql

# Written through the product's own services, in `manage.py shell` on the throwaway database.
EXTRA_DATA = """
import secrets
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from reports.models import Export
from reports.tasks import build_answers_xlsx
from surveys import services
from surveys.models import Survey, SurveyStatus
from surveys.scales import TEXT
from tenants.models import User

survey = Survey.objects.filter(status=SurveyStatus.OPEN).order_by("pk").first()
assert survey is not None, "the demo has no open survey"
response = services.start_response(survey=survey, language="ar", start_key=secrets.token_urlsafe(24))
question = survey.visible_questions().filter(type__in=TEXT).first()
awkward = "tab\\t newline\\n quote' \\"double\\" back\\\\slash عربي 🙂"
services.save_answers(response=response, answers={question: awkward})
export = Export.objects.create(survey=survey, created_by=User.objects.get(username="rivierstad-editor"), language="nl")
build_answers_xlsx.enqueue(export.pk)
cache.set("throttle:roundtrip", 3, 600)
session = SessionStore()
session["roundtrip"] = True
session.create()
"""
# A table the demo must have filled: an empty database would compare equal too.
MUST_HAVE_ROWS = ("surveys_answer", "surveys_indicatorscore", "reports_export", "integration_mapping_cache")

Fingerprint = dict[str, tuple[int, str]]


def table_fingerprints(connection) -> Fingerprint:
    """Per table of the public schema: (row count, md5 of its rows as text ordered by primary key)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
        )
        tables = [name for (name,) in cursor.fetchall()]
        found: Fingerprint = {}
        for table in tables:
            cursor.execute(
                "SELECT a.attname FROM pg_index i"
                " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                " WHERE i.indrelid = %s::regclass AND i.indisprimary"
                " ORDER BY array_position(i.indkey::int2[], a.attnum)",
                [f'public."{table}"'],
            )
            key = [sql.SQL("t.{}").format(sql.Identifier(column)) for (column,) in cursor.fetchall()]
            # Without a primary key, the rows' own text orders them just as well for a comparison.
            order = sql.SQL(", ").join(key) if key else sql.SQL("t::text")
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY {}), '')) FROM {} AS t"
                ).format(order, sql.Identifier("public", table))
            )
            count, digest = cursor.fetchone()
            found[table] = (count, digest)
    return found


def sequence_fingerprints(connection) -> Fingerprint:
    """Per sequence of the public schema: (its last value, or 0 and "unused" before its first use)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename"
        )
        return {name: (last or 0, "" if last is not None else "unused") for name, last in cursor.fetchall()}


SCHEMA_QUERIES = {
    "columns": "SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity,"
    " identity_generation, character_maximum_length FROM information_schema.columns"
    " WHERE table_schema = 'public' ORDER BY 1, 2",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2",
    "constraints": "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c"
    " JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' ORDER BY 1, 2",
}


def schema_fingerprints(connection) -> Fingerprint:
    """The schema's columns, indexes and constraints: (how many, md5 of their definitions)."""
    found: Fingerprint = {}
    with connection.cursor() as cursor:
        for what, query in SCHEMA_QUERIES.items():
            cursor.execute(f"SELECT count(*), md5(coalesce(string_agg(row::text, E'\\n'), '')) FROM ({query}) AS row")  # noqa: S608 (constant queries)
            found[f"schema: {what}"] = cursor.fetchone()
    return found


def fingerprint(database: dict) -> tuple[Fingerprint, Fingerprint, Fingerprint]:
    connection = connect(database)
    try:
        return table_fingerprints(connection), sequence_fingerprints(connection), schema_fingerprints(connection)
    finally:
        connection.close()


def compare(kind: str, before: Fingerprint, after: Fingerprint, unit: str) -> int:
    """Print one line per name; return how many differ."""
    differences = 0
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        if old == new:
            print(f"  ok    {kind:<9} {name:<48} {old[0]:>9,} {unit}  {old[1][:12]}")
        else:
            differences += 1
            print(f"  DIFF  {kind:<9} {name:<48} before {describe(old, unit)}, after {describe(new, unit)}")
    return differences


def describe(value: tuple[int, str] | None, unit: str) -> str:
    return "missing" if value is None else f"{value[0]:,} {unit} {value[1][:12]}"


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def step(title: str, command: list[str], env: dict[str, str]) -> str:
    print(f"== {title}", end="", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (fixed commands)
    print(f" ({time.monotonic() - started:.1f} s)", flush=True)
    if result.returncode != 0:
        raise BackupError(f"{title} failed (exit {result.returncode}):\n{(result.stdout + result.stderr).strip()}")
    return result.stdout


def round_trip(admin_url: str, *, responses: int, keep: bool) -> int:
    admin = database_settings(admin_url, variable="--admin-url / DATABASE_URL")
    name = f"im_roundtrip_{secrets.token_hex(4)}"
    url = with_database(admin_url, name)
    target = database_settings(url)
    workdir = Path(tempfile.mkdtemp(prefix="im-roundtrip-"))
    make = shutil.which("make") or "make"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    env |= {
        "DATABASE_URL": url,
        "BACKUP_DIR": str(workdir),
        # Development mode spares the round trip a production configuration; the cache is the
        # production one, so that its table is backed up too.
        "DJANGO_DEBUG": "true",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_CACHE_BACKEND": "django.core.cache.backends.db.DatabaseCache",
    }
    server = connect(admin)
    created = False
    try:
        with server.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        created = True
        print(f"Throwaway database {name} on {admin.get('HOST') or 'the local socket'}:{admin.get('PORT') or 5432}")
        manage = [sys.executable, "manage.py"]
        step("migrate", [*manage, "migrate", "--no-input", "--verbosity", "0"], env)
        step("createcachetable", [*manage, "createcachetable"], env)
        step(f"seed_demo ({responses} responses)", [*manage, "seed_demo", "--responses", str(responses)], env)
        step("more data: a half-filled response, an export and its task, a throttle count, a session",
             [*manage, "shell", "--no-imports", "--command", EXTRA_DATA], env)  # fmt: skip
        before = fingerprint(target)
        empty = [table for table in MUST_HAVE_ROWS if before[0].get(table, (0, ""))[0] == 0]
        if empty:
            raise BackupError(f"Nothing was written to {', '.join(empty)}: the round trip would prove nothing.")
        print(f"   {len(before[0])} tables, {sum(count for count, _ in before[0].values()):,} rows")

        dump = Path(step("make backup", [make, "-s", "--no-print-directory", "backup"], env).strip().splitlines()[-1])
        print(f"   {dump} ({dump.stat().st_size:,} bytes)")

        print(f"== drop database {name} and create it empty", flush=True)
        with server.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        emptied = fingerprint(target)[0]
        if emptied:
            raise BackupError(f"The new database is not empty: {', '.join(emptied)}")

        step("make restore", [make, "-s", "--no-print-directory", "restore", f"FILE={dump}"], env)
        after = fingerprint(target)

        print("== compare")
        differences = compare("table", before[0], after[0], "rows")
        differences += compare("sequence", before[1], after[1], "last value")
        differences += compare("schema", before[2], after[2], "items")
        if differences:
            print(f"Round trip FAILED: {differences} difference(s) between the database and its restored backup.")
            return 1
        print(
            f"Round trip passed: all {len(after[0])} tables ({sum(c for c, _ in after[0].values()):,} rows),"
            f" {len(after[1])} sequences and the schema are equal after backup, drop and restore."
        )
        return 0
    finally:
        if keep:
            print(f"Kept: database {name}, dump in {workdir}")
        else:
            if created:
                with server.cursor() as cursor:
                    cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            shutil.rmtree(workdir, ignore_errors=True)
        server.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--admin-url", default=os.environ.get("DATABASE_URL", "").strip(),
                        help="a database on the server, for CREATE/DROP DATABASE (default: DATABASE_URL)")  # fmt: skip
    parser.add_argument("--responses", type=int, default=320, help="completed demo responses (default 320)")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database and the dump")
    arguments = parser.parse_args()
    try:
        return round_trip(arguments.admin_url, responses=arguments.responses, keep=arguments.keep)
    except BackupError as error:
        print(f"Round trip could not run: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
