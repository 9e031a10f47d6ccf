"""The newcomer page frame shared by the questionnaire and the public results: the respondent's
language, the headers every newcomer page sends, and the pages for unknown links, bad requests and too
many tries."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from integration_mapping.languages import SURVEY_LANGUAGES
from surveys import throttle
from surveys.respond import language_context

# Where the questionnaire keeps its state in the session (see respond_views.State); the frame
# reads only the language from it.
SESSION_KEY = "respond"
# The language of the newcomer's last page, and nothing else, in a cookie that ends with the browser
# session: the session lives in the database, so when that goes away this cookie is what lets the
# "connection lost" page (database_unavailable) speak the newcomer's language.
LANGUAGE_COOKIE = "respond_language"


def newcomer_page(view):
    """Headers for every newcomer page: no Referer leaves for another site, nothing is cached.

    Not "no-referrer": browsers then send "Origin: null" with forms, which CSRF rightly refuses.
    The token never reaches a Referer anyway: the page that carries it only redirects.
    The view runs in the respondent's language (see the comment below).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        # The whole view speaks the respondent's language: field labels and validation messages
        # are made before the template renders.
        language = (request.session.get(SESSION_KEY) or {}).get("language")
        if language not in SURVEY_LANGUAGES:
            language = browser_language(request, list(SURVEY_LANGUAGES), settings.LANGUAGE_CODE)
        with translation.override(language):
            response = view(request, *args, **kwargs)
        return _with_newcomer_headers(response)

    # So that a request the middleware refuses (a NUL character) still gets a newcomer page.
    wrapper.newcomer_page = True
    return wrapper


def _with_newcomer_headers(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


def is_newcomer_view(view: object) -> bool:
    return getattr(view, "newcomer_page", False)


def newcomer_language(request: HttpRequest, *, session: bool = True) -> str:
    """The language of a page that has no survey to go by (an unknown link, a bad request): ``?lang=``,
    else the language chosen earlier in the questionnaire (from the session, unless ``session`` is
    False because the database is gone, then from the cookie of the last page), else the browser's."""
    for chosen in (
        request.GET.get("lang"),
        (request.session.get(SESSION_KEY) or {}).get("language") if session else None,
        request.COOKIES.get(LANGUAGE_COOKIE),
    ):
        if chosen in SURVEY_LANGUAGES:
            return chosen
    return browser_language(request, list(SURVEY_LANGUAGES), settings.LANGUAGE_CODE)


def requested_language(request: HttpRequest, offered: list[str], default: str) -> str:
    """``?lang=`` when it is offered (the language links of pages without a session), else the
    browser's best match."""
    asked = request.GET.get("lang")
    return asked if asked in offered else browser_language(request, offered, default)


def browser_language(request: HttpRequest, offered: list[str], default: str) -> str:
    """The offered language that best matches the browser's Accept-Language header."""
    for code, _quality in parse_accept_lang_header(request.headers.get("accept-language", "")):
        primary = code.split("-")[0].lower()
        if primary in offered:
            return primary
    return default


def render_newcomer(
    request: HttpRequest, template: str, context: dict, *, language: str, status: int = 200
) -> HttpResponse:
    with translation.override(language):
        response = render(request, template, {**context, **_language_frame(context, language)}, status=status)
    if request.COOKIES.get(LANGUAGE_COOKIE) != language:
        response.set_cookie(
            LANGUAGE_COOKIE, language, secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax"
        )
    return response


def _language_frame(context: dict, language: str) -> dict:
    survey = context.get("survey")
    if survey is not None:
        return language_context(survey, language)
    name, rtl = SURVEY_LANGUAGES[language]
    return {"language": language, "language_name": name, "rtl": rtl, "languages": []}


def not_found(request: HttpRequest) -> HttpResponse:
    """One answer for unknown, switched-off and foreign links alike."""
    return render_newcomer(
        request, "surveys/respond/not_found.html", {}, language=newcomer_language(request), status=404
    )


def bad_request(request: HttpRequest) -> HttpResponse:
    """A request no person sends (a NUL character), on a newcomer page: the frame, not the staff's."""
    return _with_newcomer_headers(
        render_newcomer(
            request, "surveys/respond/bad_request.html", {}, language=newcomer_language(request), status=400
        )
    )


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The newcomer's page when the database went away during the request (a 503, see
    integration_mapping.middleware). Made without the database: the language comes from ``?lang=``,
    the cookie of the newcomer's last page or the browser, never from the session. A GET can simply
    be tried again; a sent page is sent again from the browser's Back button, so nothing is sent
    twice without the newcomer choosing to."""
    language = newcomer_language(request, session=False)
    context = {"retry": request.get_full_path() if request.method == "GET" else None}
    return _with_newcomer_headers(
        render_newcomer(request, "surveys/respond/unavailable.html", context, language=language, status=503)
    )


def too_many(request: HttpRequest, language: str | None = None) -> HttpResponse:
    language = language or newcomer_language(request)
    response = render_newcomer(request, "surveys/respond/too_many.html", {}, language=language, status=429)
    response["Retry-After"] = str(throttle.WINDOW_SECONDS)
    return response
