"""The newcomer's side: from a link to the thank-you page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from surveys.models import Channel, hash_token


def entry(request: HttpRequest, token: str) -> HttpResponse:
    channel = Channel.objects.filter(token_hash=hash_token(token), active=True).select_related("survey").first()
    if channel is None:
        return render(request, "surveys/respond/not_found.html", status=404)
    return render(request, "surveys/respond/not_found.html", status=404)
