"""Project middleware."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django.views import csrf

from surveys.frame import bad_request, database_unavailable, is_newcomer_view

logger = logging.getLogger(__name__)

NUL = "\x00"


class RejectNulCharactersMiddleware:
    """Answer 400 to a request with a NUL character in its path, query or form data.

    No person types one, and PostgreSQL refuses it in text with an error rather than a miss, so
    a NUL that reached a query anywhere (a lookup by code, a filter) would become a 500.
    On a newcomer page the 400 is the newcomer's page in their language, not the staff's.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = [*request.GET.lists(), *(request.POST.lists() if request.method == "POST" else [])]
        if NUL in request.path or any(NUL in key or any(NUL in value for value in values) for key, values in fields):
            if _for_a_newcomer(request):
                return bad_request(request)
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Answer 503 with ``Retry-After`` when the database goes away during a request, never a 500.

    A lost connection (PostgreSQL stopped or restarted, the network between) raises
    OperationalError or InterfaceError from whatever query the view was making. Writes that must
    hold together are atomic, so the request left nothing half done and can simply be sent again.
    Newcomers get their own frame in their own language (surveys.frame.database_unavailable), staff
    a plain page in theirs; neither page reads the database, the session included.
    """

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # The view's name, never the path: a link's path carries its token.
        view = request.resolver_match.view_name if request.resolver_match else "-"
        logger.warning("Database unavailable in %s: %s", view, type(exception).__name__)
        session = getattr(request, "session", None)
        if session is not None:
            # Saving it would need the database too, and turn this page into a 500.
            session.modified = False
        if _for_a_newcomer(request):
            response = database_unavailable(request)
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
            add_never_cache_headers(response)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a refused form on a newcomer page (cookies blocked, a page left open
    for very long) is the newcomer's "something went wrong" page in their language, a 403; staff
    get Django's page."""
    if _for_a_newcomer(request):
        response = bad_request(request)
        response.status_code = 403
        return response
    return csrf.csrf_failure(request, reason)


def _for_a_newcomer(request: HttpRequest) -> bool:
    try:
        return is_newcomer_view(resolve(request.path_info).func)
    except Resolver404:
        return False
