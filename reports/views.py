"""Results: the municipality's dashboard, its JSON, the indicator pages and reference values, and
the public results page a newcomer reaches from the thank-you page.

Every view: access -> survey -> ReportQuery -> build_report -> render. Figures come only from
the one suppressed ``ReportResult``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from indicators.models import Indicator
from integration_mapping.routers import report_reads
from observations.access import can_add as can_add_observation
from observations.access import report_observations, visible_observations
from reports import charts, services
from reports.build import (
    build_report,
    filter_choices,
    indicator_details,
    marked_answer_ids,
    response_counts,
    response_table,
)
from reports.forms import ReferenceForm
from reports.models import ReportQuote
from reports.params import BadReportQuery, ReportQuery, parse_report_query
from surveys.access import get_survey
from surveys.frame import newcomer_page, not_found, render_newcomer, requested_language
from surveys.models import Survey, SurveyStatus
from surveys.respond import Page
from surveys.scales import Section
from tenants.access import Access, Level
from tenants.vision import answered_prompts, current_version

OBSERVATIONS_SHOWN = 10  # on an indicator page, the newest; the rest are on the observations page


def answers_bad_query(view):
    """A query string the results cannot answer is a 400 with the reason, never a 500."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadReportQuery as error:
            if request.path.endswith(".json"):
                return JsonResponse({"error": str(error)}, status=error.status)
            return render(request, "400.html", {"message": str(error), "status": error.status}, status=error.status)

    return wrapper


def _report(request: HttpRequest, slug: str, public_id: str) -> tuple[Access, ReportQuery]:
    access, survey = get_survey(request, slug, public_id, need=Level.PARTNER)
    return access, parse_report_query(request.GET, access=access, survey=survey)


@login_required
@answers_bad_query
@report_reads()
def dashboard(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    access, query = _report(request, slug, public_id)
    result = build_report(query)
    counts = response_counts(query.survey)
    show = request.GET.getlist("show") or [group.key for group in result.groups[1:3]]
    context = {
        "access": access,
        "municipality": access.municipality,
        "survey": query.survey,
        "query": query,
        "result": result,
        "figure": charts.figure_json(charts.result_circle(result, access=access, show=show)),
        "choices": filter_choices(query, counts),
        "waves": access.municipality.surveys.exclude(pk=query.survey.pk).exclude(status=SurveyStatus.DRAFT),
        "counts": response_table(query, counts) if not access.is_partner else None,
        "show": show,
        "can_edit": access.allows(Level.EDITOR),
        "vision_answers": _vision_answers(access),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
@answers_bad_query
@report_reads()
def results_json(request: HttpRequest, slug: str, public_id: str) -> JsonResponse:
    _access, query = _report(request, slug, public_id)
    return JsonResponse(build_report(query).records(), json_dumps_params={"ensure_ascii": False})


@login_required
@answers_bad_query
@require_http_methods(["GET", "POST"])
@report_reads()
def indicator_page(request: HttpRequest, slug: str, public_id: str, code: str) -> HttpResponse:
    access, query = _report(request, slug, public_id)
    indicator = next((indicator for indicator in query.indicators if indicator.code == code), None)
    if indicator is None:
        raise Http404("No such indicator in this survey.")
    if request.method == "POST":
        return _mark_quote(request, access, query, indicator)
    # The page shows one indicator: the rest of the circle need not be computed.
    query = replace(query, indicators=(indicator,))
    result = build_report(query)
    details = quotes = None
    if query.survey.raw_deleted_at is None:  # else the answers per question and the written ones are gone
        details = indicator_details(query, indicator, hidden_reason=result.hidden_reason)
        if details.quotes is not None:
            quotes = Paginator(details.quotes, 20).get_page(request.GET.get("page"))
    context = {
        "access": access,
        "municipality": access.municipality,
        "survey": query.survey,
        "query": query,
        "result": result,
        "indicator": indicator,
        "row": next(row for row in result.rows() if row["indicator"] == indicator),
        "details": details,
        "quotes": quotes,
        "marked": marked_answer_ids(query.survey, indicator),
        "can_mark": access.allows(Level.EDITOR),
        # Not from the respondents, so shown even when the figures are too few to show.
        "observations": list(visible_observations(access).filter(indicators=indicator)[:OBSERVATIONS_SHOWN]),
        "can_add_observation": can_add_observation(access),
    }
    return render(request, "reports/indicator.html", context)


def _mark_quote(request: HttpRequest, access: Access, query: ReportQuery, indicator: Indicator) -> HttpResponse:
    if not access.allows(Level.EDITOR):
        raise PermissionDenied
    try:
        marked = services.toggle_quote(
            survey=query.survey, indicator=indicator, answer_id=request.POST.get("answer", ""), by=request.user
        )
    except ValidationError as error:
        return render(request, "400.html", {"message": " ".join(error.messages)}, status=400)
    messages.success(request, _("Marked for the report.") if marked else _("No longer marked for the report."))
    url = reverse("results_indicator", args=[access.municipality.slug, query.survey.public_id, indicator.code])
    return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)


@login_required
@require_http_methods(["GET", "POST"])
def references(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    access, survey = get_survey(request, slug, public_id, need=Level.EDITOR)
    indicators = list(survey.indicators.in_circle_order())
    if request.method == "POST" and "copy" in request.POST:
        copied = services.copy_references(survey=survey, by=request.user)
        messages.success(
            request, _("%(count)s reference values taken over from the previous wave.") % {"count": copied}
        )
        return redirect("results_references", slug=slug, public_id=public_id)
    form = ReferenceForm(request.POST or None, survey=survey, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        services.save_references(survey=survey, values=form.values(), by=request.user)
        messages.success(request, _("The reference values have been saved."))
        return redirect("results", slug=slug, public_id=public_id)
    context = {"municipality": access.municipality, "survey": survey, "form": form}
    return render(request, "reports/references.html", context)


@newcomer_page
@report_reads()
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
        # Waves often share a title: the wave and its answering period say which figures these are.
        "period": survey.answer_period(),
        # While the survey is open the page says figures come after it closes (see
        # Survey.shows_public_results), and links the previous wave's when those are public.
        "published": survey.shows_public_results(),
        "previous": previous if previous is not None and previous.shows_public_results() else None,
    }
    if context["published"]:
        context |= _public_figures(survey, language)
    return render_newcomer(request, "reports/public_results.html", context, language=language)


def _public_figures(survey: Survey, language: str) -> dict:
    query = ReportQuery(survey, tuple(survey.indicators.in_circle_order()))
    result = build_report(query)
    rows = []
    for indicator in query.indicators:
        cell = result.cell(indicator)
        # The questionnaire's page title is the indicator's name in every survey language.
        row = {"code": indicator.code, "name": Page(Section.INDICATOR, indicator).title(language)}
        if cell.suppressed or not cell.n:
            rows.append({**row, "suppressed": True})
        else:
            rows.append(
                {
                    **row,
                    "suppressed": False,
                    "n": cell.n,
                    "mean": round(cell.mean),
                    "percent": round(cell.share_positive),
                }
            )
    return {"completed": result.everyone.respondents.n, "rows": rows}


@login_required
@answers_bad_query
@report_reads()
def report(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    """The dashboard's current view as a page made for print on A4 (see static/css/report.css)."""
    access, query = _report(request, slug, public_id)
    result = build_report(query)
    show = request.GET.getlist("show") or [group.key for group in result.groups[1:3]]
    figure = charts.result_circle(result, access=access, show=show)
    # A fixed size that fits the printed page: a responsive plot would take the screen's width.
    width, height = REPORT_CIRCLE_SIZE
    figure["layout"] |= {
        "autosize": False,
        "width": width,
        "height": height,
        "margin": {"l": 130, "r": 130, "t": 30, "b": 20},
    }
    context = {
        "access": access,
        "municipality": access.municipality,
        "survey": query.survey,
        "query": query,
        "result": result,
        "figure": figure,
        "period": query.survey.answer_period(),
        # Chosen from everyone's answers: shown only when the population shown may be shown at all.
        "quotes": None if result.is_hidden else _report_quotes(query),
        "printed_on": timezone.localdate(),
        "vision_answers": _vision_answers(access),
        "observations": report_observations(access, query.indicators),
    }
    return render(request, "reports/report.html", context)


def _vision_answers(access: Access) -> list[tuple[str, str]]:
    """The answers to the guiding questions of the current vision, when it has a version. One query."""
    municipality = access.municipality
    return answered_prompts(current_version(municipality, municipality.vision_versions.first()))


REPORT_CIRCLE_SIZE = (640, 540)  # CSS pixels: 169 by 143 mm, within A4's 180 mm between the margins


def _report_quotes(query: ReportQuery) -> list[tuple[Indicator, list[ReportQuote]]]:
    """The written answers marked "for the report", per indicator in circle order. One query."""
    per_indicator: dict[int, list[ReportQuote]] = {indicator.pk: [] for indicator in query.indicators}
    marked = (
        ReportQuote.objects.filter(survey=query.survey, indicator__in=query.indicators, answer__question__hidden=False)
        .select_related("answer__question")
        .order_by("marked_at", "pk")
    )
    for quote in marked:
        per_indicator[quote.indicator_id].append(quote)
    return [(indicator, per_indicator[indicator.pk]) for indicator in query.indicators if per_indicator[indicator.pk]]
