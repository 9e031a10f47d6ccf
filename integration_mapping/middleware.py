"""Project middleware."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from surveys.frame import bad_request, is_newcomer_view

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


def _for_a_newcomer(request: HttpRequest) -> bool:
    try:
        return is_newcomer_view(resolve(request.path_info).func)
    except Resolver404:
        return False
