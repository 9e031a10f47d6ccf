"""Per-client limits for the public pages: link guessing and submission floods; also used for
requests of a new password (per client and per e-mail address).

Counts live in the cache only, under a keyed hash of the client address (or e-mail address) that
changes every window: no IP address is stored, and nothing of this reaches a response or an answer.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 600


def _limits() -> dict[str, int]:
    return settings.RESPOND_THROTTLE


def _key(request: HttpRequest, scope: str, identity: str | None = None) -> str:
    window = int(time.time() // WINDOW_SECONDS)
    client = request.META.get("REMOTE_ADDR", "") if identity is None else identity
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{client}|{window}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def _count(key: str) -> int:
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def allow(request: HttpRequest, scope: str) -> bool:
    """Whether this client may do one more ``scope`` action in the current window.

    For "link", only failed look-ups count (see ``count_failure``): a client that keeps trying
    unknown tokens is stopped, one that opens real links is not.
    """
    limit = _limits()[scope]
    if scope == "link":
        return (cache.get(_key(request, "link-failure")) or 0) < limit
    return _count(_key(request, scope)) <= limit


def allow_at_most(request: HttpRequest, scope: str, limit: int, *, identity: str | None = None) -> bool:
    """Whether one more ``scope`` action is within ``limit`` for this client in the current window,
    or, with ``identity`` (e.g. an e-mail address), for that identity whichever client asks."""
    return _count(_key(request, scope, identity)) <= limit


def count_failure(request: HttpRequest, scope: str) -> None:
    _count(_key(request, f"{scope}-failure"))
