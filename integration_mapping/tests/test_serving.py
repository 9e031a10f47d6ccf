"""Serving in production: JSON logs without tokens, request ids, the health check, gunicorn's config."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from integration_mapping.logs import JsonFormatter
from integration_mapping.testing import World
from tenants import services as tenant_services
from tenants.models import Role

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log_text(caplog: pytest.LogCaptureFixture) -> Iterator[Callable[[], str]]:
    """Everything logged during the test, as the production handler writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    caplog.set_level(logging.INFO, logger="integration_mapping.requests")
    yield stream.getvalue
    logging.getLogger().removeHandler(handler)


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def request_lines(text: str) -> list[dict]:
    return [line for line in lines(text) if line["logger"] == "integration_mapping.requests"]


# The JSON formatter


def test_each_record_is_one_json_object_with_its_fields_and_exception() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("integration_mapping.tests.serving")
    logger.addHandler(handler)
    try:
        logger.warning("Export %s failed\non two lines", "abc", extra={"survey": 12, "kind": "xlsx"})
        try:
            raise ValueError("broken")
        except ValueError:
            logger.exception("Worker stopped")
    finally:
        logger.removeHandler(handler)

    first, second = lines(stream.getvalue())
    assert first["level"] == "WARNING"
    assert first["logger"] == "integration_mapping.tests.serving"
    assert first["message"] == "Export abc failed\non two lines"
    assert first["survey"] == 12 and first["kind"] == "xlsx"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", first["time"])
    assert "exception" not in first
    assert second["message"] == "Worker stopped"
    assert second["exception"].startswith("Traceback") and "ValueError: broken" in second["exception"]


def test_an_email_address_in_a_message_or_traceback_is_masked() -> None:
    record = logging.LogRecord(
        "django.db", logging.ERROR, __file__, 1, "Key (email)=(%s) exists", ("jan@example.nl",), None
    )
    record.address = "piet.de.vries+x@gemeente-a.nl"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Key (email)=(<e-mail>) exists"
    assert line["address"] == "<e-mail>"


def test_gunicorns_lines_that_quote_the_request_are_cut_short() -> None:
    formatter = JsonFormatter()
    error = logging.LogRecord(
        "gunicorn.error", logging.ERROR, __file__, 1, "Error handling request %s %s", ("GET", "/s/SECRET/?q=1"), None
    )
    invalid = logging.LogRecord(
        "gunicorn.error", logging.WARNING, __file__, 1, "Invalid request from ip=10.1.2.3: 'GET /s/SECRET/'", (), None
    )
    assert json.loads(formatter.format(error))["message"] == "Error handling request"
    assert json.loads(formatter.format(invalid))["message"] == "Invalid request"


# The request log: one line per request, the URL pattern rather than the path


def test_a_request_is_logged_once_with_its_route_status_and_duration(world: World, log_text: Callable) -> None:
    response = world.client_for(world.a_viewer).get(reverse("survey_list", kwargs={"slug": world.a.slug}))
    (line,) = request_lines(log_text())
    assert line["method"] == "GET"
    assert line["path"] == "/m/<slug:slug>/surveys/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert line["message"] == "GET /m/<slug:slug>/surveys/ 200"


def test_a_newcomers_link_is_logged_without_its_token_or_query(world: World, log_text: Callable) -> None:
    token = world.channel.token
    client = Client()
    client.get(f"/s/{token}/?email=jan@example.nl&q=mijn-antwoord")
    client.get("/s/UnknownTokenThatIsLongEnough123/")  # a 404: Django logs "Not Found: <path>"
    text = log_text()
    assert token not in text and "UnknownTokenThatIsLongEnough123" not in text
    assert "example.nl" not in text and "mijn-antwoord" not in text
    assert [line["path"] for line in request_lines(text)] == ["/s/<token:token>/", "/s/<token:token>/"]
    (not_found,) = [line for line in lines(text) if line["logger"] == "django.request"]
    assert not_found["message"] == "Not Found: /s/<token:token>/"
    assert not_found["status_code"] == 404


def test_a_staff_invitation_link_is_logged_without_its_token(world: World, log_text: Callable) -> None:
    _, link = tenant_services.invite(
        municipality=world.a, email="nieuw@example.org", role=Role.VIEWER, by=world.a_admin
    )
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert Client().get(reverse("accept_invitation", kwargs={"token": token})).status_code == 200
    text = log_text()
    assert token not in text
    assert "nieuw@example.org" not in text
    assert [line["path"] for line in request_lines(text)] == ["/invitation/<token:token>/"]


def test_a_password_reset_link_is_logged_without_its_token(world: World, log_text: Callable) -> None:
    uid = urlsafe_base64_encode(force_bytes(world.a_viewer.pk))
    token = default_token_generator.make_token(world.a_viewer)
    Client().get(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))
    text = log_text()
    assert token not in text
    assert [line["path"] for line in request_lines(text)] == ["/accounts/reset/<uidb64>/<token>/"]


def test_a_refused_post_logs_neither_its_path_nor_its_form(world: World, log_text: Callable) -> None:
    token = world.channel.token
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/s/{token}/", {"answer": "Ik voel me vaak alleen", "email": "jan@example.nl"})
    assert response.status_code == 403
    text = log_text()
    assert token not in text and "alleen" not in text and "jan@example.nl" not in text
    (csrf,) = [line for line in lines(text) if line["logger"] == "django.security.csrf"]
    assert csrf["message"].startswith("Forbidden (") and csrf["message"].endswith(": /s/<token:token>/")
    assert csrf["request_id"] == response["X-Request-ID"]


def test_an_address_no_pattern_matches_is_logged_as_unmatched(db: None, log_text: Callable) -> None:
    Client().get("/no/such/place/for-a-token-123/")
    text = log_text()
    assert "for-a-token-123" not in text
    assert [line["path"] for line in request_lines(text)] == ["<unmatched>"]


# Request ids


def test_each_response_carries_a_new_request_id(db: None) -> None:
    first, second = (Client().get(reverse("health"))["X-Request-ID"] for _ in range(2))
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_the_proxys_request_id_is_kept(db: None) -> None:
    response = Client().get(reverse("health"), headers={"X-Request-ID": "lb-7f3a.2024_01"})
    assert response["X-Request-ID"] == "lb-7f3a.2024_01"


@pytest.mark.parametrize("incoming", ["", "a b", 'x"}{', "x" * 65, "id\\nfake"])
def test_a_malformed_request_id_is_replaced(db: None, incoming: str) -> None:
    response = Client().get(reverse("health"), headers={"X-Request-ID": incoming})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


# The health check


def test_health_answers_ok_without_session_or_cache(db: None) -> None:
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert Client().head("/health/").status_code == 200


def test_health_refuses_other_methods(db: None) -> None:
    assert Client().post("/health/").status_code == 405


def test_health_is_503_when_the_database_does_not_answer(db: None, log_text: Callable) -> None:
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused")):
        response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    (warning,) = [line for line in lines(log_text()) if line["logger"] == "integration_mapping.health"]
    assert warning["level"] == "WARNING" and "OperationalError" in warning["message"]


def test_health_still_needs_an_allowed_host(db: None) -> None:
    assert Client().get("/health/", headers={"Host": "evil.example.com"}).status_code == 400


# Production settings and gunicorn, in fresh processes as a deployment starts them

PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "integratie.example.nl",
    "DATABASE_URL": "sqlite:////tmp/integration-mapping-serving-check.sqlite3",
}


def fresh_env(**extra: str) -> dict[str, str]:
    ours = ("DJANGO_", "DATABASE_", "GUNICORN_", "PORT", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS")
    return {**{key: value for key, value in os.environ.items() if not key.startswith(ours)}, **extra}


PRODUCTION_FACTS = """
import json, logging
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory
security = SecurityMiddleware(lambda request: HttpResponse())
def redirected(path):
    return security.process_request(RequestFactory().get(path, HTTP_HOST="integratie.example.nl")) is not None
print(json.dumps({
    "health_redirected": redirected("/health/"),
    "page_redirected": redirected("/accounts/login/"),
    "request_log": logging.getLogger("integration_mapping.requests").isEnabledFor(logging.INFO),
    "formatter": type(logging.getLogger().handlers[0].formatter).__name__,
}))
"""


def test_production_logs_requests_as_json_and_lets_a_plain_health_probe_through() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PRODUCTION_FACTS],
        cwd=ROOT,
        env=fresh_env(**PRODUCTION),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts == {
        "health_redirected": False,
        "page_redirected": True,
        "request_log": True,
        "formatter": "JsonFormatter",
    }


def gunicorn(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", *args],
        cwd=ROOT,
        env=fresh_env(**PRODUCTION, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_gunicorn_config_loads_the_app() -> None:
    result = gunicorn("--check-config", "integration_mapping.wsgi")
    assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_takes_bind_and_workers_from_the_environment() -> None:
    result = gunicorn("--print-config", PORT="8123", WEB_CONCURRENCY="3")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^workers\s*= 3$", result.stdout, re.MULTILINE)
    assert re.search(r"^bind\s*= \['127\.0\.0\.1:8123'\]$", result.stdout, re.MULTILINE)
    assert re.search(r"^accesslog\s*= None$", result.stdout, re.MULTILINE)


@pytest.mark.parametrize("name", ["PORT", "GUNICORN_TIMEOUT"])
def test_gunicorn_refuses_a_malformed_number(name: str) -> None:
    result = gunicorn("--check-config", **{name: "many"})
    assert result.returncode != 0
    assert f"{name} must be a whole number" in result.stdout + result.stderr
