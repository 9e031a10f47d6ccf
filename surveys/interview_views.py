"""Interview mode: a signed-in officer or partner member answers on behalf of a newcomer."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse



def interview_start(request: HttpRequest, slug: str, public_id: str, **kwargs: str) -> HttpResponse:
    raise Http404  # built in issue 10
