"""The paper questionnaire: every question of a survey on A4, to print."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse



def paper_questionnaire(request: HttpRequest, slug: str, public_id: str, **kwargs: str) -> HttpResponse:
    raise Http404  # built in issue 10
