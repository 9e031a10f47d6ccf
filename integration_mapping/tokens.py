"""Random identifiers and secret tokens, shared by every app that hands out links."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 18  # 144 random bits


def new_public_id() -> str:
    """A non-sequential identifier for URLs (not a secret)."""
    return secrets.token_urlsafe(9)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """Tokens carry at least 128 random bits, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()
