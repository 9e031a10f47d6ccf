"""Every URL of the site, requested by everyone: the expected status for each kind of visitor.

The URL patterns come from the URLconf itself, so a new view without a row in ``EXPECTATIONS``
fails the suite ("new view without an access expectation"). Each row says how to fill the
pattern's arguments from the shared test world and what a GET answers to each principal:
anonymous, the partner member, municipality A's viewer, editor and administrator, and the
administrator of municipality B. ``LOGIN`` is a redirect to the sign-in page, 302 a redirect
elsewhere. POST-only views answer GET with 405; how they answer POST without a CSRF token is
tried in test_csrf_and_methods.py, and who may POST in test_tenant_isolation.py (ACTIONS) or,
for the ones not there, in ``POST_ACCESS`` below.

The tenant pages of test_tenant_isolation.py are taken from its tables (their arguments and the
lowest level that may open them); only the pages it does not list are described here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.admin.sites import site as admin_site
from django.contrib.auth.views import PasswordResetView
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from integration_mapping import accounts
from integration_mapping.testing import World
from integration_mapping.tests import test_tenant_isolation as isolation
from reports.models import Export, ExportStatus
from surveys import services as survey_services
from surveys.models import InvitationBatch, SurveyStatus
from tenants import services as tenant_services
from tenants.access import Level
from tenants.models import AuditEvent, Role, User

LOGIN = "login"  # a redirect to the sign-in page

# Principal -> attribute of World (None: not signed in).
PRINCIPALS: dict[str, str | None] = {
    "anonymous": None,
    "partner": "partner_user",
    "viewer": "a_viewer",
    "editor": "a_editor",
    "administrator": "a_admin",
    "other_municipality": "b_admin",
}
LEVELS = {
    "partner": Level.PARTNER,
    "viewer": Level.VIEWER,
    "editor": Level.EDITOR,
    "administrator": Level.ADMINISTRATOR,
}


# The URL patterns.


@dataclass(frozen=True)
class Pattern:
    key: str  # the URL name, or the route for an unnamed pattern
    route: str
    callback: Callable

    def url(self, kwargs: dict) -> str:
        if self.key != self.route:
            return reverse(self.key, kwargs=kwargs)
        # An unnamed pattern: its arguments are the route's converters, filled in by name.
        path = self.route
        for name, value in kwargs.items():
            path = path.replace(f"<path:{name}>", value).replace(f"<{name}>", value)
        return "/" + path


def url_patterns() -> Iterator[Pattern]:
    """Every pattern of the URLconf, through every include, except the admin site's."""

    def walk(patterns: list, prefix: str) -> Iterator[Pattern]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == admin_site.name:
                    continue  # tried as a whole in test_admin_pages_need_a_staff_user
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                yield Pattern(pattern.name or route, route, pattern.callback)

    return walk(get_resolver().url_patterns, "")


# A pattern that an earlier one with the same route answers instead: it is never reached, and the
# one that is reached is the one in the table. Django's own password reset is replaced by the
# throttled one (integration_mapping.accounts).
SHADOWED = {("password_reset", PasswordResetView): accounts.password_reset}


def reachable_patterns() -> list[Pattern]:
    return [p for p in url_patterns() if (p.key, getattr(p.callback, "view_class", None)) not in SHADOWED]


# The expectations.


@dataclass(frozen=True)
class Expect:
    kwargs: Callable[[World], dict]
    status: dict[str, int | str]  # principal -> status of a GET (or LOGIN)
    # Who may use it: the principal the CSRF and method tests sign in as.
    actor: str

    def __post_init__(self) -> None:
        assert set(self.status) == set(PRINCIPALS), self.status


def no_kwargs(world: World) -> dict:
    return {}


def staff_page(kwargs: Callable[[World], dict], need: Level, **overrides: int | str) -> Expect:
    """A tenant page: sign-in first, another municipality's is 404, too little role 403."""
    status: dict[str, int | str] = {"anonymous": LOGIN, "other_municipality": 404}
    status |= {principal: 200 if level >= need else 403 for principal, level in LEVELS.items()}
    status |= overrides
    actor = next(principal for principal, level in LEVELS.items() if level >= need and status[principal] != 404)
    return Expect(kwargs, status, actor)


def post_only(kwargs: Callable[[World], dict], need: Level) -> Expect:
    """A state-changing action: GET is refused with 405 before anything is looked up."""
    status: dict[str, int | str] = dict.fromkeys(PRINCIPALS, 405) | {"anonymous": LOGIN}
    return Expect(kwargs, status, next(p for p, level in LEVELS.items() if level >= need))


def signed_in(kwargs: Callable[[World], dict], status: int, **overrides: int | str) -> Expect:
    """Not a tenant's page: anyone signed in."""
    statuses: dict[str, int | str] = dict.fromkeys(PRINCIPALS, status) | {"anonymous": LOGIN}
    return Expect(kwargs, statuses | overrides, "viewer")


def public(kwargs: Callable[[World], dict], status: int) -> Expect:
    """A page for anyone (newcomers, sign-in): every principal the same."""
    return Expect(kwargs, dict.fromkeys(PRINCIPALS, status), "anonymous")


def survey(world: World, **extra: str) -> dict:
    return {"slug": world.a.slug, "public_id": world.survey.public_id, **extra}


def batch(world: World) -> dict:
    existing = InvitationBatch.objects.filter(survey=world.survey).first()
    if existing is None:
        existing, _tokens = survey_services.create_invitations(
            survey=world.survey, label="Taalcafé", size=2, created_by=world.a_editor
        )
    return survey(world, batch_id=existing.public_id)


def export(world: World) -> dict:
    """A finished answers export whose file is still there (MEDIA_ROOT is the test's own folder)."""
    existing = Export.objects.filter(survey=world.survey).first()
    if existing is None:
        name = default_storage.save("exports/test.xlsx", ContentFile(b"PK"))
        existing = Export.objects.create(
            survey=world.survey,
            created_by=world.a_editor,
            language="en",
            status=ExportStatus.READY,
            file_name=name,
            finished_at=timezone.now(),
        )
    return survey(world, export_id=existing.public_id)


def staff_invitation(world: World) -> dict:
    """A pending invitation to join municipality A: its link works for whoever holds it."""
    _invitation, link = tenant_services.invite(
        municipality=world.a, email="new-colleague@example.org", role=Role.VIEWER, by=world.a_admin
    )
    return {"token": resolve(urlsplit(link).path).kwargs["token"]}


def public_results(world: World) -> dict:
    """A closed wave whose figures the municipality made public."""
    if world.survey.status == SurveyStatus.DRAFT:
        survey_services.publish(survey=world.survey)
        survey_services.close(survey=world.survey)
        world.survey.refresh_from_db()
        world.survey.results_public = True
        world.survey.save(update_fields=["results_public"])
    return {"public_id": world.survey.public_id}


def respondent_link(world: World) -> dict:
    return {"token": world.channel.token}


def answers(kwargs: Callable[[World], dict], status: int = 200) -> Expect:
    """The anonymised answers: editors and administrators; a viewer 403, a partner 404 (reports.export_views)."""
    return staff_page(kwargs, Level.EDITOR, partner=404, editor=status, administrator=status)


def redirecting(name: str, kwargs: Callable[[World], dict], need: Level) -> Expect:
    """test_tenant_isolation.REDIRECTS says which levels a page sends elsewhere."""
    sent = {principal: 302 for principal, level in LEVELS.items() if level in isolation.REDIRECTS[name]}
    return staff_page(kwargs, need, **sent)


SCOPED = {name: kwargs for name, kwargs, _need in isolation.SCOPED_PAGES}

# Taken from test_tenant_isolation.py: its pages, redirecting pages and actions with their levels.
EXPECTATIONS: dict[str, Expect] = {name: staff_page(kwargs, need) for name, kwargs, need in isolation.PAGES}
EXPECTATIONS |= {name: redirecting(name, kwargs, need) for name, kwargs, need in isolation.REDIRECTING_PAGES}
EXPECTATIONS |= {name: post_only(kwargs, need) for name, kwargs, need in isolation.ACTIONS}
EXPECTATIONS |= {
    # Pages a partner cannot know of, or may use with less than a viewer's role.
    "results_indicator": staff_page(SCOPED["results_indicator"], Level.VIEWER, partner=404),
    "observation_create": staff_page(SCOPED["observation_create"], Level.EDITOR, partner=200),
    # Signed-in pages of no tenant. Home sends someone with one municipality (and no partner work) there.
    "home": signed_in(no_kwargs, 302, partner=200),
    "framework": signed_in(no_kwargs, 200),
    "password_change": signed_in(no_kwargs, 200),
    "password_change_done": signed_in(no_kwargs, 200),
    # Results and their downloads: partners see their own indicators' figures.
    "results_csv": staff_page(survey, Level.PARTNER),
    "results_xlsx": staff_page(survey, Level.PARTNER),
    "results_report": staff_page(survey, Level.PARTNER),
    "answers_csv": answers(survey),
    "answers_xlsx": answers(survey, 302),  # to the exports page, which starts the XLSX
    "export_list": answers(survey),
    "export_detail": answers(export),
    "export_download": answers(export),
    "export_start": post_only(survey, Level.EDITOR),
    "export_retry": post_only(export, Level.EDITOR),
    "batch_toggle": post_only(batch, Level.EDITOR),
    # For anyone: the newcomer's pages, an invitation link, public figures, signing in.
    "public_results": public(public_results, 200),
    "accept_invitation": public(staff_invitation, 200),
    "respond_entry": public(respondent_link, 302),
    # Without the session a link opens, the questionnaire's pages know of nothing.
    "respond_start": public(no_kwargs, 404),
    "respond_step": public(lambda w: {"step": 1}, 404),
    "respond_review": public(no_kwargs, 404),
    "respond_thanks": public(no_kwargs, 404),
    "respond_delete": public(no_kwargs, 404),
    "respond_again": public(no_kwargs, 405),
    "respond_language": public(no_kwargs, 405),
    "respond_accessibility": public(no_kwargs, 200),
    "s/<path:rest>/": public(lambda w: {"rest": "not/a-link"}, 404),
    "answer/<path:rest>/": public(lambda w: {"rest": "not/a-page"}, 404),
    "login": public(no_kwargs, 200),
    "logout": public(no_kwargs, 405),  # signing out is a POST
    "password_reset": public(no_kwargs, 200),
    "password_reset_done": public(no_kwargs, 200),
    "password_reset_confirm": public(lambda w: {"uidb64": "MQ", "token": "set-password"}, 200),
    "password_reset_complete": public(no_kwargs, 200),
    "set_language": public(no_kwargs, 302),  # back to where the visitor was; sets nothing on GET
    "health": public(no_kwargs, 200),
}


def allowed_methods(view: Callable) -> frozenset[str] | None:
    """The HTTP methods a view takes, read from its require_http_methods wrapper (require_POST is
    one) or its class; None when it takes any method."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return frozenset(method.upper() for method in view_class.http_method_names if hasattr(view_class, method))
    function: Callable | None = view
    while function is not None:
        if getattr(function, "__closure__", None):
            methods = inspect.getclosurevars(function).nonlocals.get("request_method_list")
            if methods is not None:
                return frozenset(methods)
        function = getattr(function, "__wrapped__", None)
    return None


def post_only_patterns() -> list[Pattern]:
    return [p for p in reachable_patterns() if (methods := allowed_methods(p.callback)) and "GET" not in methods]


def outcome(response: HttpResponse) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


def client_for(world: World, principal: str) -> Client:
    attribute = PRINCIPALS[principal]
    return world.client_for(getattr(world, attribute) if attribute else None)


@pytest.fixture
def media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_every_url_pattern_has_an_access_expectation() -> None:
    missing = [pattern.key for pattern in reachable_patterns() if pattern.key not in EXPECTATIONS]
    assert not missing, f"new view without an access expectation: {', '.join(missing)} (add it to {__name__})"


def test_every_expectation_is_of_a_url_pattern() -> None:
    assert set(EXPECTATIONS) <= {pattern.key for pattern in reachable_patterns()}


def test_a_shadowed_pattern_is_answered_by_the_view_that_replaces_it() -> None:
    shadowed = [p for p in url_patterns() if (p.key, getattr(p.callback, "view_class", None)) in SHADOWED]
    assert len(shadowed) == len(SHADOWED)
    for pattern in shadowed:
        assert resolve(pattern.url({})).func is SHADOWED[(pattern.key, pattern.callback.view_class)]


@pytest.mark.parametrize("pattern", reachable_patterns(), ids=lambda pattern: pattern.key)
def test_every_url_answers_every_principal_as_expected(world: World, media: None, pattern: Pattern) -> None:
    expect = EXPECTATIONS.get(pattern.key)
    if expect is None:
        pytest.fail(f"new view without an access expectation: {pattern.key}")
    url = pattern.url(expect.kwargs(world))
    # The address reaches this pattern's view, not another one with a similar route.
    assert resolve(url).func is pattern.callback, url
    clients = {principal: client_for(world, principal) for principal in PRINCIPALS}
    before = database_state()
    answered = {principal: outcome(read(client.get(url))) for principal, client in clients.items()}
    assert answered == expect.status
    # And a GET changes nothing (but the audit record of a download).
    after = database_state()
    written = {label for label in before if before[label] != after[label]}
    assert written == ({GET_WRITES[pattern.key]._meta.label} if pattern.key in GET_WRITES else set())


def read(response: HttpResponse) -> HttpResponse:
    if response.streaming:
        b"".join(response.streaming_content)  # a streamed download does its work while it is read
    return response


# Signing in writes a session row and the last sign-in; the clients sign in before the comparison.
NOT_COMPARED = {"sessions.Session"}
# Pages whose GET writes, and what: a download of answers or figures is recorded in the audit log.
GET_WRITES = {"results_csv": AuditEvent, "results_xlsx": AuditEvent, "answers_csv": AuditEvent}


def database_state() -> dict[str, list[tuple]]:
    """Every row of every table, in primary key order: any insert, update or delete shows."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.label not in NOT_COMPARED and not model._meta.proxy
    }


# POST-only views not tried by role in test_tenant_isolation.py (ACTIONS): who may POST, and how it
# shows. Each: (POST data, "it happened"). The expected status per principal: LOGIN for anonymous,
# 404 for the other municipality, and otherwise as given.
POST_ACCESS: dict[str, tuple[dict[str, int | str], Callable[[World], dict], Callable[[World], bool]]] = {
    "batch_toggle": (
        {"partner": 403, "viewer": 403, "editor": 302, "administrator": 302},
        lambda w: {},
        lambda w: InvitationBatch.objects.filter(survey=w.survey, active=False).exists(),
    ),
    "export_start": (
        {"partner": 404, "viewer": 403, "editor": 302, "administrator": 302},
        lambda w: {},
        lambda w: Export.objects.filter(survey=w.survey).exists(),
    ),
    "export_retry": (
        {"partner": 404, "viewer": 403, "editor": 302, "administrator": 302},
        lambda w: {},
        lambda w: Export.objects.filter(survey=w.survey, status=ExportStatus.QUEUED).exists(),
    ),
}


def failed_export(world: World) -> None:
    Export.objects.filter(survey=world.survey).update(status=ExportStatus.FAILED)


def test_every_post_only_view_has_its_roles_tried() -> None:
    tried = {name for name, _kwargs, _need in isolation.ACTIONS} | set(POST_ACCESS)
    # Those for anyone (a newcomer's "start again", signing out) have no roles to try.
    for_staff = [p.key for p in post_only_patterns() if EXPECTATIONS[p.key].status["anonymous"] == LOGIN]
    untried = [key for key in for_staff if key not in tried]
    assert not untried, f"POST-only view whose roles no test tries: {', '.join(untried)}"


@pytest.mark.parametrize("name", sorted(POST_ACCESS))
def test_post_only_views_refuse_too_little_role_and_other_tenants(world: World, media: None, name: str) -> None:
    statuses, data, happened = POST_ACCESS[name]
    url = reverse(name, kwargs=EXPECTATIONS[name].kwargs(world))
    if name == "export_retry":
        failed_export(world)
    expected = {"anonymous": LOGIN, "other_municipality": 404, **statuses}
    # The refused first, each seeing that nothing happened; then the one allowed.
    order = sorted(PRINCIPALS, key=lambda principal: expected[principal] == 302)
    for principal in order:
        response = client_for(world, principal).post(url, data(world))
        assert outcome(response) == expected[principal], principal
        assert happened(world) == (expected[principal] == 302), principal
        if expected[principal] == 302:
            break


# The admin site.


def test_admin_pages_need_a_staff_user(world: World) -> None:
    staff = User.objects.create_user(username="site-staff", password="x", is_staff=True, is_superuser=True)
    urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin_site._registry
    ]
    assert len(urls) > 5
    login = reverse("admin:login")
    for url in urls:
        for principal in PRINCIPALS:
            response = client_for(world, principal).get(url)
            assert response.status_code == 302 and response["Location"].startswith(login), (url, principal)
        assert world.client_for(staff).get(url).status_code == 200, url
