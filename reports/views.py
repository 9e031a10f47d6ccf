"""The public results page a newcomer reaches from the thank-you page. No login: it shows only
aggregated figures of groups of at least k respondents (PRODUCT.md, "Small groups")."""

from __future__ import annotations

import pandas as pd
from django.http import HttpRequest, HttpResponse

from indicators.models import Indicator
from reports.aggregation import indicator_summary
from reports.queries import respondent_indicator_scores
from surveys.models import ResponseStatus, Survey, SurveyStatus
from surveys.respond import Page
from surveys.respond_views import newcomer_page, not_found, render_newcomer, requested_language
from surveys.scales import Section


@newcomer_page
def public_results(request: HttpRequest, public_id: str) -> HttpResponse:
    survey = (
        Survey.objects.filter(
            public_id=public_id, results_public=True, status__in=[SurveyStatus.OPEN, SurveyStatus.CLOSED]
        )
        .select_related("municipality", "previous_wave")
        .first()
    )
    if survey is None:
        # Not public, a draft and an unknown id look alike, as unknown links do.
        return not_found(request)
    language = requested_language(request, survey.languages, survey.base_language)
    previous = survey.previous_wave
    context = {
        "survey": survey,
        "title": survey.title_in(language),
        "municipality": survey.municipality,
        # While the survey is open the page says figures come after it closes (see
        # Survey.shows_public_results), and links the previous wave's when those are public.
        "published": survey.shows_public_results(),
        "previous": previous if previous is not None and previous.shows_public_results() else None,
    }
    if context["published"]:
        context |= _figures(survey, language)
    return render_newcomer(request, "reports/public_results.html", context, language=language)


def _figures(survey: Survey, language: str) -> dict:
    k = survey.municipality.min_group_size
    indicators = list(survey.indicators.order_by("number"))
    summary = indicator_summary(respondent_indicator_scores(survey), k=k, indicators=[i.pk for i in indicators])
    completed = survey.responses.filter(status=ResponseStatus.COMPLETED).count()
    return {
        "completed": completed if completed >= k else None,
        "rows": [_row(indicator, summary.loc[indicator.pk], language) for indicator in indicators],
    }


def _row(indicator: Indicator, figures: pd.Series, language: str) -> dict:
    # The questionnaire's page title is the indicator's name in every survey language.
    row = {"code": indicator.code, "name": Page(Section.INDICATOR, indicator).title(language)}
    if figures["suppressed"]:
        return {**row, "suppressed": True}
    return {
        **row,
        "suppressed": False,
        "n": int(figures["n"]),
        "mean": round(figures["mean"]),
        "percent": round(100 * figures["share_positive"]),
    }
