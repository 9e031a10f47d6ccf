"""Throttles hold across app servers: in production the cache is one database table.

Two app servers are two processes with a cache object each. Here each is a separate cache
instance, and the questionnaire's requests alternate between them: on the database cache they count
together, on per-process memory caches (development) each counts alone.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]
TABLE = "integration_mapping_cache"
DATABASE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": TABLE}}
LINK_LIMIT = 3


def guesses(servers: list[object], count: int) -> list[int]:
    """``count`` unknown links tried by one client, each request served by the next app server."""
    client = Client()
    statuses = []
    original = caches["default"]
    try:
        for number in range(count):
            caches["default"] = servers[number % len(servers)]
            statuses.append(client.get(f"/s/guess-{number}/").status_code)
    finally:
        caches["default"] = original
    return statuses


@pytest.fixture
def link_limit(settings) -> None:
    settings.RESPOND_THROTTLE = {**settings.RESPOND_THROTTLE, "link": LINK_LIMIT}


@pytest.fixture
def database_cache(db: None) -> Iterator[None]:
    with override_settings(CACHES=DATABASE_CACHE):
        call_command("createcachetable", verbosity=0)  # rolled back with the test's transaction
        yield


def test_two_app_servers_share_the_throttle_on_the_database_cache(database_cache: None, link_limit: None) -> None:
    servers = [caches.create_connection("default"), caches.create_connection("default")]
    assert servers[0] is not servers[1]
    assert guesses(servers, 5) == [404, 404, 404, 429, 429]


def test_per_process_memory_caches_would_not_share_it(db: None, link_limit: None) -> None:
    """The control: the same requests against two processes' own memory caches are never stopped."""
    servers = [LocMemCache(f"server-{name}-{secrets.token_hex(4)}", {}) for name in ("a", "b")]
    assert guesses(servers, 5) == [404] * 5


def test_production_defaults_to_the_database_cache() -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env |= {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "integratie.example.nl",
        "DATABASE_URL": "sqlite:////tmp/integration-mapping-check.sqlite3",
    }
    shown = "from django.conf import settings; c = settings.CACHES['default']; print(c['BACKEND'], c['LOCATION'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "--command", shown],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.cache.backends.db.DatabaseCache", TABLE]
