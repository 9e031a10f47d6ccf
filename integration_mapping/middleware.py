"""Project middleware."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

NUL = "\x00"


class RejectNulCharactersMiddleware:
    """Answer 400 to a request with a NUL character in its path, query or form data.

    No person types one, and PostgreSQL refuses it in text with an error rather than a miss, so
    a NUL that reached a query anywhere (a lookup by code, a filter) would become a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = [*request.GET.lists(), *(request.POST.lists() if request.method == "POST" else [])]
        if NUL in request.path or any(NUL in key or any(NUL in value for value in values) for key, values in fields):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)
