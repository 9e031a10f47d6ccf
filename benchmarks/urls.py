"""The app's URLs plus two benchmark-only views (never part of the product).

- ``bench/ceiling/``: a bare view returning a tiny response, the most the stack can serve.
- ``bench/write-floor/``: the least work a completed 40-question response can cost: one
  transaction that inserts one Response and its 40 Answers with ``bulk_create``.

The write floor uses the survey named by ``BENCH_SURVEY_ID`` (set by benchmarks/questionnaire.py).
"""

from __future__ import annotations

import os
import secrets

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from surveys.models import Answer, Question, Response, ResponseStatus, Survey, SurveyStatus

# Responses written by the write floor carry this start_key prefix, so they can be counted apart.
FLOOR_PREFIX = "floor-"
_loaded: dict[str, tuple[Survey, list[Question]]] = {}


def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


def _survey_and_questions() -> tuple[Survey, list[Question]]:
    if "survey" not in _loaded:
        survey = Survey.objects.get(pk=int(os.environ["BENCH_SURVEY_ID"]), status=SurveyStatus.OPEN)
        _loaded["survey"] = (survey, list(survey.visible_questions()))
    return _loaded["survey"]


def _answer(response: Response, question: Question) -> Answer:
    keys = {"response": response, "survey_id": response.survey_id, "question": question}
    keys["indicator_id"] = question.indicator_id
    if question.is_scored:
        return Answer(**keys, number=4, score=question.score(4))
    if question.is_choice:
        return Answer(**keys, choice=question.option_values()[0])
    return Answer(**keys, text="Een antwoord in eigen woorden.")


@csrf_exempt
@require_POST
def write_floor(request: HttpRequest) -> HttpResponse:
    survey, questions = _survey_and_questions()
    with transaction.atomic():
        response = Response.objects.create(
            survey=survey,
            language=survey.base_language,
            start_key=FLOOR_PREFIX + secrets.token_urlsafe(24),
            status=ResponseStatus.COMPLETED,
            completed_at=timezone.now(),
        )
        Answer.objects.bulk_create([_answer(response, question) for question in questions])
    return HttpResponse(str(response.pk).encode(), status=201, content_type="text/plain")


urlpatterns = [
    path("bench/ceiling/", ceiling, name="bench_ceiling"),
    path("bench/write-floor/", write_floor, name="bench_write_floor"),
    path("", include("integration_mapping.urls")),
]
