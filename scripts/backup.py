#!/usr/bin/env python
"""Back up and restore the PostgreSQL database of ``DATABASE_URL`` (``make backup``, ``make restore``).

``backup.py backup`` writes ``$BACKUP_DIR/integration-mapping-<UTC time>.dump`` (default
``backups/``) with ``pg_dump --format=custom`` and prints its path. The file holds every answer, so
the directory and the file are made readable by their owner only.

``backup.py restore FILE`` restores such a file into ``DATABASE_URL``'s database with
``pg_restore --clean --if-exists --no-owner --single-transaction``: all or nothing, no questions
asked, objects owned by ``DATABASE_URL``'s user. Then ``manage.py migrate --check`` confirms that
the database matches this version of the code.

pg_dump and pg_restore must have the server's major version (PostgreSQL 15 here): an older
pg_dump refuses to dump a newer server, and a dump made by a newer pg_dump cannot be read by an
older pg_restore. ``/usr/lib/postgresql/<major>/bin`` is used when present (Debian's layout, where
PATH may hold another version), else PATH. The connection is passed through libpq's environment
variables, never on the command line, so the password does not show in the process list.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import psycopg2

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}
# Query options of DATABASE_URL that libpq also understands, as its environment variables.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}
DUMP_MAGIC = b"PGDMP"  # the first bytes of a custom-format dump


class BackupError(Exception):
    """A problem the operator can fix; printed without a traceback."""


def database_settings(url: str, *, variable: str = "DATABASE_URL") -> dict:
    """Django's settings for ``url`` (parsed as the app parses it), or a clear refusal."""
    if not url:
        raise BackupError(
            f"{variable} is not set. Backups are for PostgreSQL: {variable}=postgres://user:password@host:5432/name"
            " (the development SQLite database is the single file db.sqlite3: copy it)."
        )
    if urlsplit(url).scheme not in POSTGRES_SCHEMES:
        raise BackupError(
            f"{variable} is not a PostgreSQL database ({urlsplit(url).scheme or 'no scheme'}://…): make backup and"
            " make restore work with PostgreSQL only (for SQLite, copy the database file)."
        )
    return dj_database_url.parse(url)


def libpq_environment(database: dict) -> dict[str, str]:
    """The environment that points pg_dump, pg_restore and psql at ``database``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    pairs = {
        "PGDATABASE": database.get("NAME"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
    }
    for option, variable in LIBPQ_OPTIONS.items():
        pairs[variable] = database.get("OPTIONS", {}).get(option)
    env.update({key: str(value) for key, value in pairs.items() if value not in (None, "")})
    return env


def connect(database: dict):
    """A psycopg2 connection to ``database`` (autocommit), with a readable error."""
    try:
        connection = psycopg2.connect(
            dbname=database.get("NAME") or None,
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
            **{key: value for key, value in database.get("OPTIONS", {}).items() if key in LIBPQ_OPTIONS},
        )
    except psycopg2.OperationalError as error:
        # libpq's message names host, port and database, never the password.
        raise BackupError(f"Cannot connect to the database: {str(error).strip()}") from None
    connection.autocommit = True
    return connection


def server_major(database: dict) -> int:
    connection = connect(database)
    try:
        return connection.server_version // 10000  # 150018 -> 15
    finally:
        connection.close()


def client_tool(name: str, major: int) -> str:
    """pg_dump, pg_restore or psql of the server's major version, or a refusal that says what to install."""
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    found = [candidate for candidate in candidates if candidate.is_file() and os.access(candidate, os.X_OK)]
    if not found:
        raise BackupError(
            f"{name} is not installed. It comes with PostgreSQL's client tools of the server's version:"
            f" apt-get install postgresql-client-{major} (Debian), then run this again."
        )
    versions = []
    for tool in found:
        output = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout  # noqa: S603 (a found PostgreSQL tool, no input)
        match = re.search(r"(\d+)(?:\.\d+)?", output)
        tool_major = int(match.group(1)) if match else -1
        if tool_major == major:
            return str(tool)
        versions.append(f"{tool} is version {tool_major if tool_major >= 0 else 'unknown'}")
    raise BackupError(
        f"The server runs PostgreSQL {major}, but {'; '.join(versions)}. {name} must have the server's major"
        f" version: apt-get install postgresql-client-{major} (Debian puts it in /usr/lib/postgresql/{major}/bin,"
        " which is used first)."
    )


def run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (fixed tool and arguments)
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit {result.returncode}):\n{result.stderr.strip()}")


def backup(url: str, directory: Path) -> Path:
    database = database_settings(url)
    major = server_major(database)
    pg_dump = client_tool("pg_dump", major)
    pg_restore = client_tool("pg_restore", major)
    # Dumps hold every answer: only their owner may read them.
    os.umask(0o077)
    directory.mkdir(parents=True, exist_ok=True)
    if directory.resolve().is_relative_to(ROOT):
        # Inside the checkout (the default): never to be committed by accident.
        (directory / ".gitignore").write_text("*\n")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = directory / f"integration-mapping-{stamp}.dump"
    if target.exists():
        raise BackupError(f"{target} already exists; try again in a second.")
    partial = target.with_name(target.name + ".partial")
    env = libpq_environment(database)
    try:
        run([pg_dump, "--format=custom", "--no-password", f"--file={partial}"], env, "pg_dump")
        # A dump pg_restore cannot list is no backup: check before giving it the final name.
        run([pg_restore, "--list", str(partial)], env, "Reading the new dump back")
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(url: str, file: str) -> None:
    if not file:
        raise BackupError(
            "Say which backup to restore: make restore FILE=backups/integration-mapping-<time>.dump"
            " (it replaces what the database of DATABASE_URL holds)."
        )
    path = Path(file)
    if not path.is_file():
        raise BackupError(f"No such backup file: {path}")
    with path.open("rb") as handle:
        if handle.read(len(DUMP_MAGIC)) != DUMP_MAGIC:
            raise BackupError(f"{path} is not a pg_dump custom-format file (as make backup writes).")
    database = database_settings(url)
    major = server_major(database)
    pg_restore = client_tool("pg_restore", major)
    run(
        [
            pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
            "--no-password", f"--dbname={database['NAME']}", str(path),
        ],
        libpq_environment(database),
        "pg_restore (nothing was changed: it runs in one transaction)",
    )  # fmt: skip
    check_migrations(url)


def check_migrations(url: str) -> None:
    """``manage.py migrate --check`` on the restored database: does it match this code?"""
    env = {**os.environ, "DATABASE_URL": url}
    if not env.get("DJANGO_SECRET_KEY"):
        # The check needs Django's settings, not a secret: development mode with a throwaway key.
        env |= {"DJANGO_DEBUG": "true", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check", "--no-input"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(
            "Restored, but the database does not match this version of the code (manage.py migrate --check):\n"
            f"{(result.stdout + result.stderr).strip()}\n"
            "A backup from an older version: run `manage.py migrate` now. From a newer one: deploy that version."
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Back up or restore DATABASE_URL's PostgreSQL database.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("backup", help="write $BACKUP_DIR/integration-mapping-<UTC time>.dump and print its path")
    restore_parser = commands.add_parser("restore", help="restore FILE into DATABASE_URL's database")
    restore_parser.add_argument("file", nargs="?", default="")
    arguments = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "").strip()
    try:
        if arguments.command == "backup":
            directory = Path(os.environ.get("BACKUP_DIR", "").strip() or ROOT / "backups")
            print(backup(url, directory))
        else:
            restore(url, arguments.file.strip())
            print(f"Restored {arguments.file} into database {database_settings(url)['NAME']}; migrations match.")
    except BackupError as error:
        print(f"{parser.prog} {arguments.command}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
