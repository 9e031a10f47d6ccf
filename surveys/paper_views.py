"""The paper questionnaire: every question of a survey on A4, to print."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from surveys.access import get_survey
from surveys.paper import build_paper, paper_languages


@login_required
def paper_questionnaire(request: HttpRequest, slug: str, public_id: str, language: str) -> HttpResponse:
    """The questionnaire in ``language`` to print, or to read out in an interview.

    Everyone who may see the survey's links may print it, drafts included (to check them): the
    screen-only bar then says "draft" in the staff's own language, above the newcomer's paper.
    """
    _access, survey = get_survey(request, slug, public_id)
    languages = paper_languages(survey)
    if language not in {item["code"] for item in languages}:
        raise Http404("The survey is not offered in this language.")
    context = {
        "survey": survey,
        "paper": build_paper(survey, language),
        "languages": languages,
        "back": reverse("channel_list", kwargs={"slug": slug, "public_id": public_id}),
        "staff_language": translation.get_language(),
        "staff_rtl": translation.get_language_bidi(),
    }
    with translation.override(language):
        return render(request, "surveys/paper.html", context)
