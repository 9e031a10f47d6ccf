"""A translator's round trip: the texts of one language as XLSX, and back."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse



def texts_download(request: HttpRequest, slug: str, public_id: str, **kwargs: str) -> HttpResponse:
    raise Http404  # built in issue 10


def texts_upload(request: HttpRequest, slug: str, public_id: str, **kwargs: str) -> HttpResponse:
    raise Http404  # built in issue 10
