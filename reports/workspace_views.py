"""A partner's workspace in a municipality: its indicators, the results of those indicators, its
observations and its links with QR codes, grouped per survey and wave with their status.

The results come from the same pipeline as the dashboard (``parse_report_query`` clamps the
indicators to the partner's, ``build_report`` suppresses), so the page cannot show more.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from observations.access import visible_observations
from reports import charts
from reports.build import build_report
from reports.params import parse_report_query
from surveys.access import partner_channels
from surveys.links import channel_rows
from surveys.models import Survey, SurveyStatus
from tenants.access import Access, get_access
from tenants.models import PartnerAssignment, PartnerOrganisation

OBSERVATIONS_SHOWN = 5


@dataclass(frozen=True)
class LinkGroup:
    """The partner's links to one survey (one wave), with rows for ``surveys/_channel_row.html``."""

    survey: Survey
    rows: list[dict]

    @property
    def accepts_responses(self) -> bool:
        return self.survey.accepts_responses()


@login_required
def partner_workspace(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_access(request, slug)
    if not access.is_partner:
        return redirect("municipality", slug=slug)  # staff have the municipality's own pages
    surveys = list(access.municipality.surveys.published())
    context = {
        "access": access,
        "municipality": access.municipality,
        "organisations": PartnerOrganisation.objects.filter(pk__in=access.partner_ids).order_by("name"),
        "indicator_rows": _indicator_rows(access),
        "earlier_waves": surveys[1:],
        "observations": visible_observations(access)[:OBSERVATIONS_SHOWN],
        "link_groups": link_groups(request, access),
        # Every survey that takes answers now may be answered in an interview (surveys.interview_views).
        "interview_surveys": [survey for survey in surveys if survey.accepts_responses()],
    }
    if surveys:
        context |= _latest_results(access, surveys[0])
    return render(request, "reports/workspace.html", context)


def _indicator_rows(access: Access) -> list[dict]:
    """The partner's indicators in circle order, each with what its organisations do for it."""
    notes: dict[int, list[tuple[str, str]]] = {}
    assignments = (
        PartnerAssignment.objects.current(access.municipality)
        .filter(partnership__partner_id__in=access.partner_ids)
        .select_related("partnership__partner")
        .order_by("partnership__partner__name")
    )
    for assignment in assignments:
        notes.setdefault(assignment.indicator_id, []).append((assignment.partnership.partner.name, assignment.note))
    return [{"indicator": indicator, "notes": notes.get(indicator.pk, [])} for indicator in access.indicators()]


def _latest_results(access: Access, survey: Survey) -> dict:
    """The limited dashboard of ``survey``: exactly what the dashboard shows this partner unfiltered."""
    survey.municipality = access.municipality  # already read (its k applies)
    query = parse_report_query(QueryDict(), access=access, survey=survey)
    context = {"survey": survey, "query": query, "result": None, "measured": set()}
    if query.indicators:
        result = build_report(query)
        context |= {
            "result": result,
            "figure": charts.figure_json(charts.result_circle(result, access=access, show=[])),
            "measured": {indicator.pk for indicator in query.indicators},
        }
    return context


def link_groups(request: HttpRequest, access: Access) -> list[LinkGroup]:
    """The partner's links per survey and wave, newest first; a draft's links are not shown.

    A link is offered as QR code and poster only while it takes answers (surveys.links, the same
    rule by which the QR code and poster views refuse the others). Two queries, whatever the number
    of links and surveys.
    """
    channels = (
        partner_channels(access)
        .exclude(survey__status=SurveyStatus.DRAFT)
        .order_by("-survey__published_at", "-survey_id", "created_at")
    )
    groups: list[LinkGroup] = []
    for row in channel_rows(request, channels, for_partner=True):
        channel = row["channel"]
        if not groups or groups[-1].survey.pk != channel.survey_id:
            groups.append(LinkGroup(channel.survey, []))
        groups[-1].rows.append(row)
    return groups
