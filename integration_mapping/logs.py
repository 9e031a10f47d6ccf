"""Logs: one JSON object per line, and one line per request.

What must never reach a log: a token (a newcomer's link is /s/<token>/, staff invitations and
password resets carry tokens too), a query string, a form's content, an answer, an e-mail address,
a client's IP address. So a request is logged by its URL pattern ("/s/<token:token>/"), never by
its path; Django's own error lines ("Not Found: /s/…/") get their path swapped for the same
pattern; gunicorn's lines that would quote the request line are cut short; and an e-mail address
left in any message or traceback is masked as a last defence.

Wired in settings.LOGGING (the formatter) and settings.MIDDLEWARE (the request log, first), and
in gunicorn.conf.py for gunicorn's own lines.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse

request_logger = logging.getLogger("integration_mapping.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only when it cannot smuggle anything into a log line.
WELL_FORMED_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
UNMATCHED = "<unmatched>"
STATIC = "<static>"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
EMAIL_MASK = "<e-mail>"
# gunicorn's own lines that quote the request line (path, query string) or the client's address.
GUNICORN_CUT_SHORT = {
    "Error handling request": "Error handling request",
    "Invalid request from ip=": "Invalid request",
}

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# Every LogRecord has these attributes; any other was passed as `extra=` and becomes a field.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
# Never a field: Django passes the request itself, whose repr holds the path.
_NEVER_FIELDS = {"request"}


def route_of(request: HttpRequest) -> str:
    """The URL pattern that answered, e.g. "/s/<token:token>/": safe to log, unlike the path."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return "/" + match.route
    # Served by WhiteNoise before any URL was resolved: file names, never tokens.
    if settings.STATIC_URL and request.path.startswith(settings.STATIC_URL):
        return STATIC
    return UNMATCHED


class RequestLogMiddleware:
    """Give each request an id (the proxy's X-Request-ID when well formed) and log one line for it.

    First in MIDDLEWARE, so that the line covers every other middleware and the id is known to
    every line logged while the request runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if WELL_FORMED_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            route = route_of(request)
            request_logger.info(
                "%s %s %s",
                request.method,
                route,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": route,
                    "status": response.status_code,
                    # Until the response is handed to the server: a streamed download's body is not counted.
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request_id.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extra fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        request = getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            request = None
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": _scrub(_message(record), request),
        }
        # Django logs 4xx lines after the middleware has finished: the request still knows its id.
        request_id = _request_id.get() or getattr(request, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key in _RECORD_ATTRIBUTES or key in _NEVER_FIELDS or key in entry:
                continue
            # Only plain values: anything else could carry a path or a form in its repr.
            if isinstance(value, str):
                entry[key] = _scrub(value, request)
            elif value is None or isinstance(value, bool | int | float):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = _scrub(self.formatException(record.exc_info), request)
        elif record.exc_text:
            entry["exception"] = _scrub(record.exc_text, request)
        if record.stack_info:
            entry["stack"] = _scrub(self.formatStack(record.stack_info), request)
        return json.dumps(entry, default=str)


def _message(record: logging.LogRecord) -> str:
    message = record.getMessage()
    if record.name.startswith("gunicorn."):
        for prefix, replacement in GUNICORN_CUT_SHORT.items():
            if message.startswith(prefix):
                return replacement
    return message


def _scrub(text: str, request: HttpRequest | None) -> str:
    if request is not None:
        # Django quotes request.path, escaped with unicode_escape (django.utils.log.log_message).
        route = route_of(request)
        for path in {request.path, request.path.encode("unicode_escape").decode("ascii")}:
            if len(path) > 1:
                text = text.replace(path, route)
    return EMAIL.sub(EMAIL_MASK, text)
