"""URL converters."""

from __future__ import annotations


class TokenConverter:
    """A random identifier from ``secrets.token_urlsafe``: only that alphabet matches.

    Anything else is a 404 before a view runs, so odd bytes never reach a query (PostgreSQL
    refuses a NUL character with an error, not an empty result).
    """

    regex = "[A-Za-z0-9_-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
