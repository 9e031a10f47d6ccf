"""CSRF and state change by GET, on every view of the URLconf.

Every view that takes POST refuses a POST without a CSRF token with 403, signed in with enough role,
and nothing changes in the database. Every POST-only view refuses GET with 405 and changes nothing
(that no page changes anything on GET is tried in test_url_access.py). The views, their arguments
and who may use them come from test_url_access.EXPECTATIONS, so a new view is tried here as soon
as it has its row there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.sites import site as admin_site
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import reverse

from integration_mapping.testing import World
from integration_mapping.tests import test_tenant_isolation as isolation
from integration_mapping.tests.test_url_access import (
    EXPECTATIONS,
    POST_ACCESS,
    PRINCIPALS,
    Pattern,
    allowed_methods,
    database_state,
    failed_export,
    post_only_patterns,
    reachable_patterns,
)


@pytest.fixture
def media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def takes_post(pattern: Pattern) -> bool:
    methods = allowed_methods(pattern.callback)
    return methods is None or "POST" in methods


def signed_in(world: World, principal: str, **client_options: object) -> Client:
    client = Client(**client_options)
    attribute = PRINCIPALS[principal]
    if attribute is not None:
        client.force_login(getattr(world, attribute))
    return client


def post_data(name: str) -> tuple[Callable[[World], None], Callable[[World], dict]]:
    """The set-up and the data with which the view would act, when a table describes them."""
    if name in isolation.ACTION_EFFECTS:
        set_up, data, _happened = isolation.ACTION_EFFECTS[name]
        return set_up, data
    if name in POST_ACCESS:
        return (failed_export if name == "export_retry" else lambda w: None), POST_ACCESS[name][1]
    return lambda w: None, lambda w: {}


@contextmanager
def csrf_refusals() -> Iterator[list[logging.LogRecord]]:
    """The CSRF check's refusals while the block runs (Django logs each on this logger)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("django.security.csrf")
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def ids(pattern: Pattern) -> str:
    return pattern.key


# Settings.


def test_csrf_middleware_is_on() -> None:
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


# Views exempt from CSRF, with the reason. None: every form of the site carries the token.
CSRF_EXEMPT: dict[str, str] = {}


def is_csrf_exempt(view: Callable) -> bool:
    function: Callable | None = view
    while function is not None:
        if getattr(function, "csrf_exempt", False):
            return True
        function = getattr(function, "__wrapped__", None)
    return False


def test_no_view_is_csrf_exempt_except_the_listed_ones() -> None:
    exempt = {pattern.key for pattern in reachable_patterns() if is_csrf_exempt(pattern.callback)}
    assert exempt == set(CSRF_EXEMPT)


def test_no_admin_view_is_csrf_exempt() -> None:
    def views(patterns: list) -> list[Callable]:
        found = []
        for pattern in patterns:
            found += views(pattern.url_patterns) if hasattr(pattern, "url_patterns") else [pattern.callback]
        return found

    admin_views = views(admin_site.urls[0])
    assert len(admin_views) > 10
    assert not [view for view in admin_views if is_csrf_exempt(view)]


def test_the_method_reader_sees_the_decorators() -> None:
    """allowed_methods reads require_POST, require_http_methods and class views correctly."""
    methods = {pattern.key: allowed_methods(pattern.callback) for pattern in reachable_patterns()}
    assert methods["survey_action"] == {"POST"}
    assert methods["survey_settings"] == {"GET", "POST"}
    assert methods["logout"] == {"POST", "OPTIONS"}
    assert methods["survey_list"] is None


# POST without a token.

POST_PATTERNS = [pattern for pattern in reachable_patterns() if takes_post(pattern)]


@pytest.mark.parametrize("pattern", POST_PATTERNS, ids=ids)
def test_post_without_csrf_token_is_refused_and_changes_nothing(world: World, media: None, pattern: Pattern) -> None:
    expect = EXPECTATIONS.get(pattern.key)
    if expect is None:
        pytest.fail(f"new view without an access expectation: {pattern.key}")
    set_up, data = post_data(pattern.key)
    url = pattern.url(expect.kwargs(world))
    set_up(world)
    client = signed_in(world, expect.actor, enforce_csrf_checks=True)
    before = database_state()
    with csrf_refusals() as refusals:
        response = client.post(url, data(world))
    assert response.status_code == 403
    assert refusals, "refused by the view, not by the CSRF check"
    assert database_state() == before


@pytest.mark.parametrize("name", sorted(isolation.ACTION_EFFECTS))
def test_the_same_post_with_its_token_goes_through(world: World, name: str) -> None:
    """The refusals above are the missing token's: with it, the action happens."""
    set_up, data, happened = isolation.ACTION_EFFECTS[name]
    kwargs = EXPECTATIONS[name].kwargs(world)
    set_up(world)
    client = signed_in(world, EXPECTATIONS[name].actor, enforce_csrf_checks=True)
    url = reverse(name, kwargs=kwargs)
    assert client.post(url, data(world)).status_code == 403 and not happened(world)
    token = get_token(RequestFactory().get("/"))
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    assert client.post(url, {**data(world), "csrfmiddlewaretoken": token}).status_code == 302
    assert happened(world)


def test_signing_in_without_a_token_is_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a-administrator", "password": "a-long-test-password-1"})
    assert response.status_code == 403 and "_auth_user_id" not in client.session
    response = client.post(reverse("admin:login"), {"username": "a-administrator", "password": "x"})
    assert response.status_code == 403


# GET on an action, and GET anywhere.


@pytest.mark.parametrize("pattern", post_only_patterns(), ids=ids)
def test_get_on_a_post_only_view_is_405_and_changes_nothing(world: World, media: None, pattern: Pattern) -> None:
    expect = EXPECTATIONS[pattern.key]
    set_up, _data = post_data(pattern.key)
    url = pattern.url(expect.kwargs(world))
    set_up(world)
    client = signed_in(world, expect.actor)
    before = database_state()
    assert client.get(url).status_code == 405
    assert database_state() == before


def test_a_refused_newcomer_form_answers_in_the_newcomers_language(world: World) -> None:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["respond_language"] = "ar"
    response = client.post(reverse("respond_step", args=[1]), {"anything": "1"})
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="ar" dir="rtl"' in page
    assert "حدثت مشكلة" in page  # "Something went wrong", in the newcomer's frame
    staff = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x", "password": "y"})
    assert staff.status_code == 403 and b"CSRF" in staff.content
