"""A partner's workspace in a municipality: its indicators, the results of those indicators, its
observations and its links with QR codes, grouped per survey and wave with their status.

The results come from the same pipeline as the dashboard (``parse_report_query`` clamps the
indicators to the partner's, ``build_report`` suppresses), so the page cannot show more.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from observations.access import visible_observations
from reports import charts
from reports.build import build_report
from reports.params import parse_report_query
from surveys.access import partner_channels
from surveys.models import Channel, Response, ResponseStatus, Survey, SurveyStatus
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
    surveys = list(access.municipality.surveys.filter(published_at__isnull=False).order_by("-published_at", "-pk"))
    context = {
        "access": access,
        "municipality": access.municipality,
        "organisations": PartnerOrganisation.objects.filter(pk__in=access.partner_ids).order_by("name"),
        "indicator_rows": _indicator_rows(access),
        "earlier_waves": surveys[1:],
        "observations": visible_observations(access)[:OBSERVATIONS_SHOWN],
        "link_groups": link_groups(request, access),
    }
    if surveys:
        context |= _latest_results(access, surveys[0])
    return render(request, "reports/workspace.html", context)


def _indicator_rows(access: Access) -> list[dict]:
    """The partner's indicators in circle order, each with what its organisations do for it."""
    notes: dict[int, list[tuple[str, str]]] = {}
    assignments = (
        PartnerAssignment.objects.filter(
            partnership__municipality=access.municipality,
            partnership__partner_id__in=access.partner_ids,
            partnership__ended_at=None,
        )
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

    A link is offered as QR code and poster only while it takes answers (surveys.views refuses
    the others the same way). Two queries, whatever the number of links and surveys.
    """
    channels = list(
        partner_channels(access)
        .exclude(survey__status=SurveyStatus.DRAFT)
        .order_by("-survey__published_at", "-survey_id", "created_at")
    )
    counts = {
        row["channel_id"]: row
        for row in Response.objects.filter(channel__in=channels)
        .values("channel_id")
        .annotate(started=Count("pk"), completed=Count("pk", filter=Q(status=ResponseStatus.COMPLETED)))
    }
    groups: list[LinkGroup] = []
    for channel in channels:
        if not groups or groups[-1].survey.pk != channel.survey_id:
            groups.append(LinkGroup(channel.survey, []))
        channel.survey = groups[-1].survey  # one object per survey, so its state is worked out once
        groups[-1].rows.append(_link_row(request, channel, counts.get(channel.pk, {})))
    return groups


def _link_row(request: HttpRequest, channel: Channel, counts: dict) -> dict:
    url = request.build_absolute_uri(reverse("respond_entry", kwargs={"token": channel.token}))
    printable = channel.active and channel.survey.accepts_responses()
    return {"channel": channel, "counts": counts, "url": url, "printable": printable}
